using AnnLab.Kernels;

namespace AnnLab.Tests.Kernels;

public class MatrixKernelTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        for (int s = 0; s <= 64; s++)
        {
            data.Add(s, 7, 33);
            data.Add(7, s, 33);
            data.Add(33, 7, s);
        }

        data.Add(200, 784, 25); // the lab's first layer with a batch of 200
        data.Add(200, 25, 10);  // the lab's second layer
        data.Add(13, 784, 256);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_product_equals_reference(int m, int n, int k)
    {
        var r = new Random((m * 1000) + (n * 10) + k);
        float[] x = Fill(r, m * n), w = Fill(r, k * n), b = Fill(r, k);
        var fast = new float[m * k];
        var reference = new float[m * k];
        MatrixKernels.MultiplyTransposedAddBias<float>(x, w, b, fast, m, n, k, 0, m);
        MatrixKernels.MultiplyTransposedAddBiasReference<float>(x, w, b, reference, m, n, k);
        AssertClose(reference, fast, n);

        // Any split of the rows gives the same bits.
        var split = new float[m * k];
        MatrixKernels.MultiplyTransposedAddBias<float>(x, w, b, split, m, n, k, 0, m / 2);
        MatrixKernels.MultiplyTransposedAddBias<float>(x, w, b, split, m, n, k, m / 2, m);
        Assert.Equal(fast, split);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_product_equals_reference(int m, int n, int k)
    {
        var r = new Random((m * 999) + (n * 11) + k);
        float[] d = Fill(r, m * k), w = Fill(r, k * n);
        var fast = new float[m * n];
        var reference = new float[m * n];
        MatrixKernels.Multiply<float>(d, w, fast, m, n, k, 0, m);
        MatrixKernels.MultiplyReference<float>(d, w, reference, m, n, k);
        AssertClose(reference, fast, k);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Weight_gradient_product_equals_reference(int m, int n, int k)
    {
        var r = new Random((m * 998) + (n * 12) + k);
        float[] d = Fill(r, m * k), x = Fill(r, m * n), start = Fill(r, k * n);
        float[] fast = (float[])start.Clone(), reference = (float[])start.Clone();
        MatrixKernels.AccumulateTransposedMultiply<float>(d, x, fast, m, n, k, 0, n);
        MatrixKernels.AccumulateTransposedMultiplyReference<float>(d, x, reference, m, n, k);
        AssertClose(reference, fast, m);

        // Splitting the columns (as the threads do) gives the same bits.
        float[] split = (float[])start.Clone();
        int cut = Math.Min(n, 16);
        MatrixKernels.AccumulateTransposedMultiply<float>(d, x, split, m, n, k, 0, cut);
        MatrixKernels.AccumulateTransposedMultiply<float>(d, x, split, m, n, k, cut, n);
        Assert.Equal(fast, split);
    }

    [Fact]
    public void Double_versions_agree_with_the_reference_to_1e_12()
    {
        var r = new Random(5);
        int m = 9, n = 37, k = 6;
        double[] x = Enumerable.Range(0, m * n).Select(_ => r.NextDouble() - 0.5).ToArray();
        double[] w = Enumerable.Range(0, k * n).Select(_ => r.NextDouble() - 0.5).ToArray();
        double[] b = Enumerable.Range(0, k).Select(_ => r.NextDouble()).ToArray();
        var fast = new double[m * k];
        var reference = new double[m * k];
        MatrixKernels.MultiplyTransposedAddBias<double>(x, w, b, fast, m, n, k, 0, m);
        MatrixKernels.MultiplyTransposedAddBiasReference<double>(x, w, b, reference, m, n, k);
        for (int i = 0; i < fast.Length; i++)
        {
            Assert.Equal(reference[i], fast[i], 1e-12);
        }
    }

    [Fact]
    public void A_buffer_too_small_for_the_shape_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => MatrixKernels.MultiplyTransposedAddBias<float>(new float[5], new float[6], new float[2], new float[6], 3, 2, 2, 0, 3));
        Assert.Contains("x holds 5 elements, the shape needs 6", e.Message);
    }

    private static float[] Fill(Random r, int count)
    {
        var a = new float[count];
        for (int i = 0; i < count; i++)
        {
            a[i] = (float)((r.NextDouble() * 2) - 1);
        }

        return a;
    }

    // Relative 1e-5 of the sum of absolute terms (the scale of the rounding in a sum of `terms` products).
    private static void AssertClose(float[] expected, float[] actual, int terms)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = 1e-5 * Math.Max(1, terms);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}

using AnnLab.Kernels;

namespace AnnLab.Tests.Kernels;

public class MatrixKernelTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var shapes = new HashSet<(int, int, int)>();
        for (int s = 0; s <= 64; s++)
        {
            shapes.Add((s, 7, 33));
            shapes.Add((7, s, 33));
            shapes.Add((33, 7, s));
        }

        shapes.Add((200, 784, 25)); // the lab's first layer with a batch of 200
        shapes.Add((200, 25, 10));  // the lab's second layer
        shapes.Add((13, 784, 256));
        var data = new TheoryData<int, int, int>();
        foreach ((int m, int n, int k) in shapes)
        {
            data.Add(m, n, k);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_variant_equals_the_reference(int m, int n, int k)
    {
        var r = new Random((m * 997) + (n * 13) + k);
        float[] x = Fill(r, m * n), w = Fill(r, k * n), b = Fill(r, k), d = Fill(r, m * k), g0 = Fill(r, k * n);
        KernelVariant reference = KernelVariants.Reference;
        var z = new float[m * k];
        var back = new float[m * n];
        float[] g = (float[])g0.Clone();
        reference.Forward(x, w, b, z, m, n, k);
        reference.Backward(d, w, back, m, n, k);
        reference.WeightGradient(d, x, g, m, n, k);
        foreach (KernelVariant variant in KernelVariants.All.Skip(1))
        {
            var z2 = new float[m * k];
            var back2 = new float[m * n];
            float[] g2 = (float[])g0.Clone();
            variant.Forward(x, w, b, z2, m, n, k);
            variant.Backward(d, w, back2, m, n, k);
            variant.WeightGradient(d, x, g2, m, n, k);
            AssertClose(z, z2, n);
            AssertClose(back, back2, k);
            AssertClose(g, g2, m);
        }
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

        // Any split of the rows gives the same bits.
        var split = new float[m * n];
        MatrixKernels.Multiply<float>(d, w, split, m, n, k, 0, m / 2);
        MatrixKernels.Multiply<float>(d, w, split, m, n, k, m / 2, m);
        Assert.Equal(fast, split);
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

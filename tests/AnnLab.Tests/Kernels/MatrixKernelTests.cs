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

        // Columns past one 64-column Vector512 tile, with every remainder.
        for (int n = 65; n <= 128; n++)
        {
            shapes.Add((7, n, 33));
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

    // The fast variants with their row or column ranges, the form training calls.
    private delegate void RangedForward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> z, int m, int n, int k, int rowStart, int rowEnd);

    private delegate void RangedBackward(ReadOnlySpan<float> delta, ReadOnlySpan<float> w, Span<float> d, int m, int n, int k, int rowStart, int rowEnd);

    private delegate void RangedWeightGradient(ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> g, int m, int n, int k, int columnStart, int columnEnd);

    private static readonly (string Name, RangedForward Forward, RangedBackward Backward, RangedWeightGradient WeightGradient)[] Ranged =
    [
        ("vector256", MatrixKernels.MultiplyTransposedAddBias<float>, MatrixKernels.Multiply<float>, MatrixKernels.AccumulateTransposedMultiply<float>),
        ("vector512", MatrixKernels.MultiplyTransposedAddBias512<float>, MatrixKernels.Multiply512<float>, MatrixKernels.AccumulateTransposedMultiply512<float>),
        ("narrow512", MatrixKernels.MultiplyTransposedAddBiasNarrow<float>, MatrixKernels.Multiply512<float>, MatrixKernels.AccumulateTransposedMultiply512<float>),
    ];

    [Fact]
    public void Every_fast_variant_has_its_splits_tested()
        => Assert.Equal(KernelVariants.All.Skip(1).Select(v => v.Name), Ranged.Select(v => v.Name));

    // Cuts of 0..count into consecutive ranges: `first` alone, then pieces of each size (the last
    // one shorter), so that every remainder of a tile ends some range.
    private static IEnumerable<int[]> Cuts(int count, int first, params int[] sizes)
    {
        yield return [0, first, count];
        foreach (int size in sizes)
        {
            yield return [.. Enumerable.Range(0, (count + size - 1) / size).Select(q => q * size), count];
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_product_gives_the_same_bits_for_any_split_of_the_rows(int m, int n, int k)
    {
        var r = new Random((m * 1000) + (n * 10) + k);
        float[] x = Fill(r, m * n), w = Fill(r, k * n), b = Fill(r, k);
        foreach (var variant in Ranged)
        {
            AssertCutsGiveTheSameBits(new float[m * k], m, Cuts(m, m / 2, 1, 2, 3, 5), (z, start, end) => variant.Forward(x, w, b, z, m, n, k, start, end), $"{variant.Name} forward, rows");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_product_gives_the_same_bits_for_any_split_of_the_rows(int m, int n, int k)
    {
        var r = new Random((m * 999) + (n * 11) + k);
        float[] d = Fill(r, m * k), w = Fill(r, k * n);
        foreach (var variant in Ranged)
        {
            AssertCutsGiveTheSameBits(new float[m * n], m, Cuts(m, m / 2, 1, 2, 3, 5), (back, start, end) => variant.Backward(d, w, back, m, n, k, start, end), $"{variant.Name} backward, rows");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Weight_gradient_gives_the_same_bits_for_splits_of_the_columns_at_multiples_of_16(int m, int n, int k)
    {
        var r = new Random((m * 998) + (n * 12) + k);
        float[] d = Fill(r, m * k), x = Fill(r, m * n), g = Fill(r, k * n);
        foreach (var variant in Ranged)
        {
            AssertCutsGiveTheSameBits(g, n, Cuts(n, Math.Min(n, 16), 16, 48, 64), (g2, start, end) => variant.WeightGradient(d, x, g2, m, n, k, start, end), $"{variant.Name} weight gradient, columns");
        }
    }

    // Runs `kernel` over 0..count and over each cut's ranges in turn, each time into a copy of
    // `initial`, and checks that every cut gives the bits of the whole.
    private static void AssertCutsGiveTheSameBits(float[] initial, int count, IEnumerable<int[]> cuts, Action<float[], int, int> kernel, string what)
    {
        float[] whole = (float[])initial.Clone();
        kernel(whole, 0, count);
        foreach (int[] cut in cuts)
        {
            float[] split = (float[])initial.Clone();
            for (int c = 0; c + 1 < cut.Length; c++)
            {
                kernel(split, cut[c], cut[c + 1]);
            }

            AssertSameBits(whole, split, $"{what} cut at {string.Join(",", cut)}");
        }
    }

    // Training's numbers must not change with the variant: the Vector512 weight gradient and
    // backward product do each element's arithmetic exactly as the Vector256 ones.
    [Theory]
    [MemberData(nameof(Shapes))]
    public void Vector512_backward_and_weight_gradient_equal_vector256_bit_for_bit(int m, int n, int k)
    {
        var r = new Random((m * 996) + (n * 14) + k);
        float[] d = Fill(r, m * k), w = Fill(r, k * n), x = Fill(r, m * n), start = Fill(r, k * n);
        float[] back256 = new float[m * n], back512 = new float[m * n];
        KernelVariants.Vector256.Backward(d, w, back256, m, n, k);
        KernelVariants.Vector512.Backward(d, w, back512, m, n, k);
        AssertSameBits(back256, back512, "backward");
        float[] g256 = (float[])start.Clone(), g512 = (float[])start.Clone();
        KernelVariants.Vector256.WeightGradient(d, x, g256, m, n, k);
        KernelVariants.Vector512.WeightGradient(d, x, g512, m, n, k);
        AssertSameBits(g256, g512, "weight gradient");
    }

    [Theory]
    [InlineData(200, 784, 25, 0, 784)] // the lab's first layer, batch 200
    [InlineData(200, 784, 25, 0, 64)]
    [InlineData(200, 784, 25, 64, 128)]
    [InlineData(200, 784, 25, 768, 784)]
    [InlineData(200, 784, 25, 3, 700)] // a range that starts off the 16-column grid
    [InlineData(200, 25, 10, 0, 25)]   // the lab's second layer
    [InlineData(200, 25, 10, 0, 16)]
    [InlineData(200, 25, 10, 16, 25)]
    [InlineData(200, 784, 256, 0, 784)]
    [InlineData(199, 784, 26, 0, 784)] // an odd batch, one unit past the tiles of five
    public void Vector512_weight_gradient_equals_vector256_bit_for_bit_on_the_labs_column_ranges(int m, int n, int k, int columnStart, int columnEnd)
    {
        var r = new Random(m + n + k + columnStart);
        float[] d = Fill(r, m * k), x = Fill(r, m * n), start = Fill(r, k * n);
        float[] g256 = (float[])start.Clone(), g512 = (float[])start.Clone();
        MatrixKernels.AccumulateTransposedMultiply<float>(d, x, g256, m, n, k, columnStart, columnEnd);
        MatrixKernels.AccumulateTransposedMultiply512<float>(d, x, g512, m, n, k, columnStart, columnEnd);
        AssertSameBits(g256, g512, $"columns {columnStart}..{columnEnd}");
        Assert.NotEqual(start, g512); // the range was really computed
    }

    // The Vector512 forward's documented arithmetic, written out one (row, unit) at a time: a chain
    // of FMAs per lane over the 16-float chunks, the two halves added, one 8-float chunk if any,
    // Vector256.Sum, then the scalar tail. Its 4 x 5 tiles (the lab's 784 inputs take the path that
    // sums four rows at once by horizontal adds) must give exactly these bits.
    [Theory]
    [InlineData(7, 784, 25)]
    [InlineData(200, 784, 25)]
    [InlineData(13, 32, 15)]
    [InlineData(9, 64, 10)]
    [InlineData(5, 79, 5)]
    [InlineData(6, 72, 26)]
    [InlineData(3, 100, 12)]
    public void Vector512_forward_equals_its_lane_by_lane_definition_bit_for_bit(int m, int n, int k)
    {
        var r = new Random((m * 994) + (n * 16) + k);
        float[] x = Fill(r, m * n), w = Fill(r, k * n), b = Fill(r, k);
        var z = new float[m * k];
        MatrixKernels.MultiplyTransposedAddBias512<float>(x, w, b, z, m, n, k, 0, m);
        var expected = new float[m * k];
        int vn = n - (n % 16);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < k - (k % 5); j++)
            {
                var a = System.Runtime.Intrinsics.Vector512<float>.Zero;
                for (int p = 0; p < vn; p += 16)
                {
                    a = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(System.Runtime.Intrinsics.Vector512.Create(x.AsSpan((i * n) + p, 16)), System.Runtime.Intrinsics.Vector512.Create(w.AsSpan((j * n) + p, 16)), a);
                }

                var h = System.Runtime.Intrinsics.Vector512.GetLower(a) + System.Runtime.Intrinsics.Vector512.GetUpper(a);
                int tail = vn;
                if (tail + 8 <= n)
                {
                    h = System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(System.Runtime.Intrinsics.Vector256.Create(x.AsSpan((i * n) + tail, 8)), System.Runtime.Intrinsics.Vector256.Create(w.AsSpan((j * n) + tail, 8)), h);
                    tail += 8;
                }

                float sum = System.Runtime.Intrinsics.Vector256.Sum(h);
                for (int p = tail; p < n; p++)
                {
                    sum += x[(i * n) + p] * w[(j * n) + p];
                }

                expected[(i * k) + j] = b[j] + sum;
            }
        }

        for (int i = 0; i < m; i++)
        {
            for (int j = k - (k % 5); j < k; j++)
            {
                expected[(i * k) + j] = z[(i * k) + j]; // the k % 5 units left over: the two-accumulator path, checked against the reference elsewhere
            }
        }

        AssertSameBits(expected, z, $"{m}x{n}x{k}");
    }

    // Training writes the weight gradient over a block's stale gradient buffer instead of clearing
    // it and accumulating: the numbers must be the same bits, and every element of the range written.
    [Theory]
    [MemberData(nameof(Shapes))]
    public void Overwriting_weight_gradient_equals_clearing_then_accumulating_bit_for_bit(int m, int n, int k)
    {
        var r = new Random((m * 995) + (n * 15) + k);
        float[] d = Fill(r, m * k), x = Fill(r, m * n), stale = Fill(r, k * n);
        float[] cleared = new float[k * n];
        MatrixKernels.AccumulateTransposedMultiply<float>(d, x, cleared, m, n, k, 0, n);
        float[] over256 = (float[])stale.Clone(), over512 = (float[])stale.Clone();
        MatrixKernels.TransposedMultiply<float>(d, x, over256, m, n, k, 0, n);
        MatrixKernels.TransposedMultiply512<float>(d, x, over512, m, n, k, 0, n);
        AssertSameBits(cleared, over256, "vector256");
        AssertSameBits(cleared, over512, "vector512");
    }

    [Theory]
    [InlineData(100, 784, 25, 0, 784)] // the lab's first layer, a block of 100 rows
    [InlineData(100, 784, 25, 64, 128)]
    [InlineData(100, 784, 25, 3, 700)]
    [InlineData(100, 25, 10, 0, 25)]   // the lab's second layer: 16 + 8 + 1 columns
    [InlineData(64, 784, 512, 0, 784)] // the deep preset's first layer, a block of 64 rows
    [InlineData(99, 256, 11, 0, 256)]  // an odd block, one unit past the tiles of five
    public void Overwriting_weight_gradient_writes_only_its_column_range(int m, int n, int k, int columnStart, int columnEnd)
    {
        var r = new Random(m + n + k + columnStart);
        float[] d = Fill(r, m * k), x = Fill(r, m * n), stale = Fill(r, k * n);
        float[] expected = (float[])stale.Clone();
        for (int j = 0; j < k; j++)
        {
            Array.Clear(expected, (j * n) + columnStart, columnEnd - columnStart);
        }

        MatrixKernels.AccumulateTransposedMultiply<float>(d, x, expected, m, n, k, columnStart, columnEnd);
        float[] over = (float[])stale.Clone();
        MatrixKernels.TransposedMultiply512<float>(d, x, over, m, n, k, columnStart, columnEnd);
        AssertSameBits(expected, over, $"columns {columnStart}..{columnEnd}");
    }

    [Fact]
    public void Double_versions_agree_with_the_reference_to_1e_12_and_the_two_widths_bit_for_bit()
    {
        var r = new Random(5);
        int m = 9, n = 75, k = 6; // 75 doubles: two 32-double Vector512 tiles and 11 left over
        double[] Fill(int count) => Enumerable.Range(0, count).Select(_ => r.NextDouble() - 0.5).ToArray();
        double[] x = Fill(m * n), w = Fill(k * n), b = Fill(k), d = Fill(m * k), start = Fill(k * n);
        var reference = new double[m * k];
        MatrixKernels.MultiplyTransposedAddBiasReference<double>(x, w, b, reference, m, n, k);
        var fast = new double[m * k];
        var fast512 = new double[m * k];
        MatrixKernels.MultiplyTransposedAddBias<double>(x, w, b, fast, m, n, k, 0, m);
        MatrixKernels.MultiplyTransposedAddBias512<double>(x, w, b, fast512, m, n, k, 0, m);
        for (int i = 0; i < fast.Length; i++)
        {
            Assert.Equal(reference[i], fast[i], 1e-12);
            Assert.Equal(reference[i], fast512[i], 1e-12);
        }

        double[] back = new double[m * n], back512 = new double[m * n];
        MatrixKernels.Multiply<double>(d, w, back, m, n, k, 0, m);
        MatrixKernels.Multiply512<double>(d, w, back512, m, n, k, 0, m);
        Assert.Equal(back, back512);
        double[] g = (double[])start.Clone(), g512 = (double[])start.Clone();
        MatrixKernels.AccumulateTransposedMultiply<double>(d, x, g, m, n, k, 0, n);
        MatrixKernels.AccumulateTransposedMultiply512<double>(d, x, g512, m, n, k, 0, n);
        Assert.Equal(g, g512);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 25)]
    [InlineData(100, 10)]
    [InlineData(100, 25)]
    [InlineData(7, 41)]
    [InlineData(3, 256)]
    public void Column_sums_equal_adding_the_rows_into_a_cleared_buffer_bit_for_bit(int rows, int k)
    {
        var r = new Random((rows * 31) + k);
        float[] a = Fill(r, rows * k);
        for (int i = 0; i < a.Length; i += 7)
        {
            a[i] = -0f; // a column of negative zeros sums to +0 both ways
        }

        var expected = new float[k];
        for (int i = 0; i < rows; i++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(expected, a.AsSpan(i * k, k), expected);
        }

        float[] actual = Enumerable.Repeat(float.NaN, k).ToArray();
        MatrixKernels.ColumnSums<float>(a, actual, rows, k);
        AssertSameBits(expected, actual, $"{rows} x {k}");
        if (k > 0)
        {
            var e = Assert.Throws<ArgumentException>(() => MatrixKernels.ColumnSums<float>(a, actual, rows + 1, k));
            Assert.Contains($"a holds {rows * k} elements, the shape needs {(rows + 1) * k}", e.Message);
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

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"{what}: element {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
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

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AnnLab.Kernels;

// The Vector512 (AVX-512) forms of the three products. AVX-512 has 32 vector registers, twice
// AVX2's, so the tiles hold up to 20 accumulators. Where Vector512 is not accelerated each one runs
// the Vector256 kernel instead.
public static partial class MatrixKernels
{
    /// <summary>
    /// Z = X W^T + b as <see cref="MultiplyTransposedAddBias{T}"/>, with Vector512 tiles of five rows
    /// of X by five rows of W. Any split of the rows gives the same bits; they may differ from the
    /// Vector256 kernel's in the last places (the sums go in chunks of 16 floats, not 8).
    /// </summary>
    /// <inheritdoc cref="MultiplyTransposedAddBias{T}" path="/param"/>
    /// <exception cref="ArgumentException">A buffer is shorter than its shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyTransposedAddBias512<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> z, int m, int n, int k, int rowStart, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            MultiplyTransposedAddBias(x, w, bias, z, m, n, k, rowStart, rowEnd);
            return;
        }

        CheckForwardShapes(x, w, bias, z, m, n, k);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T wr = ref MemoryMarshal.GetReference(w);
        ref T br = ref MemoryMarshal.GetReference(bias);
        ref T zr = ref MemoryMarshal.GetReference(z);
        int vn = n - (n % Vector512<T>.Count);
        int tiled = k - (k % 5);
        // Units outer, rows inner: a five-unit tile of W (five rows of n, 15.7 KB for the lab's 784
        // inputs) stays in the L1 cache while every row of X passes it, instead of all of W
        // (78 KB, past a 32-48 KB L1) streaming from L2 for each four rows. The arithmetic of every
        // element is the same either way.
        for (int j = 0; j < tiled; j += 5)
        {
            for (int i = rowStart; i < rowEnd; i += 5)
            {
                Dot5x5(ref xr, ref wr, ref br, ref zr, n, k, vn, FourRows.From(i, rowEnd), Math.Min(i + 4, rowEnd - 1), j);
            }
        }

        // The k % 5 units left over: Dot2x1's arithmetic, one row at a time (a few units at most).
        for (int i = rowStart; i < rowEnd; i++)
        {
            for (int j = tiled; j < k; j++)
            {
                z[(i * k) + j] = bias[j] + DotTwoAccumulators(x.Slice(i * n, n), w.Slice(j * n, n));
            }
        }
    }

    // Five rows of X (four in rows, the fifth r4) against five rows of W: twenty-five accumulators
    // and ten loads per twenty-five FMAs, 31 of the 32 vector registers (the lab's 25 hidden units
    // are five such tiles; four rows by five units needed nine loads per twenty FMAs, and ran 8 %
    // slower alone, hot in cache; inside training 2 % at most). Every (row, unit) sum is one chain over the 16-float chunks, finished by
    // FinishHalves, whichever slot of the tile it is in.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Dot5x5<T>(ref T xr, ref T wr, ref T br, ref T zr, int n, int k, int vn, FourRows rows, int r4, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T x0 = ref Unsafe.Add(ref xr, rows.R0 * n);
        ref T x1 = ref Unsafe.Add(ref xr, rows.R1 * n);
        ref T x2 = ref Unsafe.Add(ref xr, rows.R2 * n);
        ref T x3 = ref Unsafe.Add(ref xr, rows.R3 * n);
        ref T x4 = ref Unsafe.Add(ref xr, r4 * n);
        ref T w0 = ref Unsafe.Add(ref wr, j * n);
        ref T w1 = ref Unsafe.Add(ref w0, n);
        ref T w2 = ref Unsafe.Add(ref w0, 2 * n);
        ref T w3 = ref Unsafe.Add(ref w0, 3 * n);
        ref T w4 = ref Unsafe.Add(ref w0, 4 * n);
        Vector512<T> a00 = default, a01 = default, a02 = default, a03 = default, a04 = default;
        Vector512<T> a10 = default, a11 = default, a12 = default, a13 = default, a14 = default;
        Vector512<T> a20 = default, a21 = default, a22 = default, a23 = default, a24 = default;
        Vector512<T> a30 = default, a31 = default, a32 = default, a33 = default, a34 = default;
        Vector512<T> a40 = default, a41 = default, a42 = default, a43 = default, a44 = default;
        for (int p = 0; p < vn; p += Vector512<T>.Count)
        {
            Vector512<T> xa = Vector512.LoadUnsafe(ref x0, (nuint)p), xb = Vector512.LoadUnsafe(ref x1, (nuint)p);
            Vector512<T> xc = Vector512.LoadUnsafe(ref x2, (nuint)p), xd = Vector512.LoadUnsafe(ref x3, (nuint)p);
            Vector512<T> xe = Vector512.LoadUnsafe(ref x4, (nuint)p);
            Vector512<T> v = Vector512.LoadUnsafe(ref w0, (nuint)p);
            a00 = Fma(xa, v, a00); a10 = Fma(xb, v, a10); a20 = Fma(xc, v, a20); a30 = Fma(xd, v, a30); a40 = Fma(xe, v, a40);
            v = Vector512.LoadUnsafe(ref w1, (nuint)p);
            a01 = Fma(xa, v, a01); a11 = Fma(xb, v, a11); a21 = Fma(xc, v, a21); a31 = Fma(xd, v, a31); a41 = Fma(xe, v, a41);
            v = Vector512.LoadUnsafe(ref w2, (nuint)p);
            a02 = Fma(xa, v, a02); a12 = Fma(xb, v, a12); a22 = Fma(xc, v, a22); a32 = Fma(xd, v, a32); a42 = Fma(xe, v, a42);
            v = Vector512.LoadUnsafe(ref w3, (nuint)p);
            a03 = Fma(xa, v, a03); a13 = Fma(xb, v, a13); a23 = Fma(xc, v, a23); a33 = Fma(xd, v, a33); a43 = Fma(xe, v, a43);
            v = Vector512.LoadUnsafe(ref w4, (nuint)p);
            a04 = Fma(xa, v, a04); a14 = Fma(xb, v, a14); a24 = Fma(xc, v, a24); a34 = Fma(xd, v, a34); a44 = Fma(xe, v, a44);
        }

        if (typeof(T) == typeof(float) && Avx512F.IsSupported && vn == n)
        {
            // No chunk left over (the lab's 784 inputs are 49 x 16): all twenty-five sums at once by
            // a shuffle-and-add network over whole registers (SumSixteen), the same additions as below.
            ref float bf = ref Unsafe.As<T, float>(ref Unsafe.Add(ref br, j));
            Vector512<float> first = SumSixteen(
                a00.AsSingle(), a04.AsSingle(), a01.AsSingle(), a10.AsSingle(), a02.AsSingle(), a11.AsSingle(), a03.AsSingle(), a12.AsSingle(),
                a13.AsSingle(), a22.AsSingle(), a14.AsSingle(), a23.AsSingle(), a20.AsSingle(), a24.AsSingle(), a21.AsSingle(), a30.AsSingle());
            Vector512<float> zero = Vector512<float>.Zero;
            Vector512<float> second = SumSixteen(
                a31.AsSingle(), a40.AsSingle(), a32.AsSingle(), a41.AsSingle(), a33.AsSingle(), a42.AsSingle(), a34.AsSingle(), a43.AsSingle(),
                a44.AsSingle(), zero, zero, zero, zero, zero, zero, zero);
            StoreTile5x5(ref Unsafe.As<T, float>(ref zr), ref bf, k, j, rows, r4, first, second);
            return;
        }

        // Halve the accumulators before any call (a vector live across a call is kept on the stack, and the JIT would then store all of them there on every pass of the loop above).
        Vector256<T> h00 = a00.GetLower() + a00.GetUpper(), h01 = a01.GetLower() + a01.GetUpper(), h02 = a02.GetLower() + a02.GetUpper(), h03 = a03.GetLower() + a03.GetUpper(), h04 = a04.GetLower() + a04.GetUpper();
        Vector256<T> h10 = a10.GetLower() + a10.GetUpper(), h11 = a11.GetLower() + a11.GetUpper(), h12 = a12.GetLower() + a12.GetUpper(), h13 = a13.GetLower() + a13.GetUpper(), h14 = a14.GetLower() + a14.GetUpper();
        Vector256<T> h20 = a20.GetLower() + a20.GetUpper(), h21 = a21.GetLower() + a21.GetUpper(), h22 = a22.GetLower() + a22.GetUpper(), h23 = a23.GetLower() + a23.GetUpper(), h24 = a24.GetLower() + a24.GetUpper();
        Vector256<T> h30 = a30.GetLower() + a30.GetUpper(), h31 = a31.GetLower() + a31.GetUpper(), h32 = a32.GetLower() + a32.GetUpper(), h33 = a33.GetLower() + a33.GetUpper(), h34 = a34.GetLower() + a34.GetUpper();
        Vector256<T> h40 = a40.GetLower() + a40.GetUpper(), h41 = a41.GetLower() + a41.GetUpper(), h42 = a42.GetLower() + a42.GetUpper(), h43 = a43.GetLower() + a43.GetUpper(), h44 = a44.GetLower() + a44.GetUpper();
        ref T b = ref Unsafe.Add(ref br, j);
        if (typeof(T) == typeof(float) && Avx.IsSupported && vn + Vector256<T>.Count > n)
        {
            // No 8-float chunk left (the lab's 784 inputs are 49 x 16): the four rows' sums of
            // each unit at once by horizontal adds, which pair the lanes as Vector256.Sum does.
            ref float z = ref Unsafe.As<T, float>(ref zr);
            ref float bf = ref Unsafe.As<T, float>(ref b);
            StoreFourRows(ref z, rows, k, j, Unsafe.Add(ref bf, 0), SumFour(h00, h10, h20, h30), ref x0, ref x1, ref x2, ref x3, ref w0, vn, n);
            StoreFourRows(ref z, rows, k, j + 1, Unsafe.Add(ref bf, 1), SumFour(h01, h11, h21, h31), ref x0, ref x1, ref x2, ref x3, ref w1, vn, n);
            StoreFourRows(ref z, rows, k, j + 2, Unsafe.Add(ref bf, 2), SumFour(h02, h12, h22, h32), ref x0, ref x1, ref x2, ref x3, ref w2, vn, n);
            StoreFourRows(ref z, rows, k, j + 3, Unsafe.Add(ref bf, 3), SumFour(h03, h13, h23, h33), ref x0, ref x1, ref x2, ref x3, ref w3, vn, n);
            StoreFourRows(ref z, rows, k, j + 4, Unsafe.Add(ref bf, 4), SumFour(h04, h14, h24, h34), ref x0, ref x1, ref x2, ref x3, ref w4, vn, n);
            StoreFiveHalves(ref Unsafe.Add(ref zr, (r4 * k) + j), ref b, ref x4, ref w0, n, vn, h40, h41, h42, h43, h44);
            return;
        }

        StoreFiveHalves(ref Unsafe.Add(ref zr, (rows.R0 * k) + j), ref b, ref x0, ref w0, n, vn, h00, h01, h02, h03, h04);
        StoreFiveHalves(ref Unsafe.Add(ref zr, (rows.R1 * k) + j), ref b, ref x1, ref w0, n, vn, h10, h11, h12, h13, h14);
        StoreFiveHalves(ref Unsafe.Add(ref zr, (rows.R2 * k) + j), ref b, ref x2, ref w0, n, vn, h20, h21, h22, h23, h24);
        StoreFiveHalves(ref Unsafe.Add(ref zr, (rows.R3 * k) + j), ref b, ref x3, ref w0, n, vn, h30, h31, h32, h33, h34);
        StoreFiveHalves(ref Unsafe.Add(ref zr, (r4 * k) + j), ref b, ref x4, ref w0, n, vn, h40, h41, h42, h43, h44);
    }

    // The sums of sixteen accumulators, each exactly as FinishHalves finishes one without a tail:
    // h = lower 8 + upper 8, then ((h0 + h1) + (h2 + h3)) + ((h4 + h5) + (h6 + h7)). Argument i's
    // sum lands in lane L(i), L = 0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15 (Dot5x5
    // passes its accumulators so that the sums come out row-major). Four levels of two shuffles
    // and an add: 15 adds and 30 shuffles for sixteen sums, where one sum at a time took a dozen
    // instructions, most of them scalar address arithmetic.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> SumSixteen(
        Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3, Vector512<float> s4, Vector512<float> s5, Vector512<float> s6, Vector512<float> s7,
        Vector512<float> s8, Vector512<float> s9, Vector512<float> s10, Vector512<float> s11, Vector512<float> s12, Vector512<float> s13, Vector512<float> s14, Vector512<float> s15)
    {
        // Level 1: [h(a) | h(b)], the two 256-bit halves of each added.
        Vector512<float> p0 = Halves(s0, s1), p1 = Halves(s2, s3), p2 = Halves(s4, s5), p3 = Halves(s6, s7);
        Vector512<float> p4 = Halves(s8, s9), p5 = Halves(s10, s11), p6 = Halves(s12, s13), p7 = Halves(s14, s15);

        // Levels 2 and 3: adjacent lanes added within each 128-bit block, as vhaddps pairs them.
        Vector512<float> q0 = Pairs(Pairs(p0, p1), Pairs(p2, p3)), q1 = Pairs(Pairs(p4, p5), Pairs(p6, p7));

        // Level 4: each 128-bit block holds four sums of lanes 0-3 or 4-7 of h; add the pairs.
        return Avx512F.Shuffle4x128(q0, q1, 0x88) + Avx512F.Shuffle4x128(q0, q1, 0xDD);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Halves(Vector512<float> a, Vector512<float> b)
        => Avx512F.Shuffle4x128(a, b, 0x44) + Avx512F.Shuffle4x128(a, b, 0xEE);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pairs(Vector512<float> a, Vector512<float> b)
        => Avx512F.Shuffle(a, b, 0x88) + Avx512F.Shuffle(a, b, 0xDD);

    // A Dot5x5 tile's twenty-five results, bias + sum: the sums of rows 0-2 and unit 0 of row 3
    // in first (row-major, five to a row), the rest in second.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTile5x5(ref float z, ref float b, int k, int j, FourRows rows, int r4, Vector512<float> first, Vector512<float> second)
    {
        TileSums sums = default;
        ref float s = ref sums[0];
        first.StoreUnsafe(ref s);
        second.StoreUnsafe(ref s, 16);
        Vector128<float> bias = Vector128.LoadUnsafe(ref b);
        float bias4 = Unsafe.Add(ref b, 4);
        StoreRow(ref Unsafe.Add(ref z, (rows.R0 * k) + j), ref s, bias, bias4);
        StoreRow(ref Unsafe.Add(ref z, (rows.R1 * k) + j), ref Unsafe.Add(ref s, 5), bias, bias4);
        StoreRow(ref Unsafe.Add(ref z, (rows.R2 * k) + j), ref Unsafe.Add(ref s, 10), bias, bias4);
        StoreRow(ref Unsafe.Add(ref z, (rows.R3 * k) + j), ref Unsafe.Add(ref s, 15), bias, bias4);
        StoreRow(ref Unsafe.Add(ref z, (r4 * k) + j), ref Unsafe.Add(ref s, 20), bias, bias4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(ref float z, ref float sums, Vector128<float> bias, float bias4)
    {
        (bias + Vector128.LoadUnsafe(ref sums)).StoreUnsafe(ref z);
        Unsafe.Add(ref z, 4) = bias4 + Unsafe.Add(ref sums, 4);
    }

    [InlineArray(32)]
    private struct TileSums
    {
        private float element;
    }

    // Vector256.Sum of four float vectors at once, bit for bit: each is ((v0 + v1) + (v2 + v3)) +
    // ((v4 + v5) + (v6 + v7)), the pairs that vhaddps forms within each 128-bit lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> SumFour<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c, Vector256<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<float> ab = Avx.HorizontalAdd(a.AsSingle(), b.AsSingle()), cd = Avx.HorizontalAdd(c.AsSingle(), d.AsSingle());
        Vector256<float> all = Avx.HorizontalAdd(ab, cd);
        return all.GetLower() + all.GetUpper();
    }

    // One unit's results for the first four rows of a Dot5x5 tile: bias + sum, then the scalar tail in
    // order, as FinishHalves does.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFourRows<T>(ref float z, FourRows rows, int k, int unit, float bias, Vector128<float> sums, ref T x0, ref T x1, ref T x2, ref T x3, ref T w, int vn, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref float wf = ref Unsafe.As<T, float>(ref w);
        Unsafe.Add(ref z, (rows.R0 * k) + unit) = bias + Tail(sums.GetElement(0), ref Unsafe.As<T, float>(ref x0), ref wf, vn, n);
        Unsafe.Add(ref z, (rows.R1 * k) + unit) = bias + Tail(sums.GetElement(1), ref Unsafe.As<T, float>(ref x1), ref wf, vn, n);
        Unsafe.Add(ref z, (rows.R2 * k) + unit) = bias + Tail(sums.GetElement(2), ref Unsafe.As<T, float>(ref x2), ref wf, vn, n);
        Unsafe.Add(ref z, (rows.R3 * k) + unit) = bias + Tail(sums.GetElement(3), ref Unsafe.As<T, float>(ref x3), ref wf, vn, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Tail(float s, ref float x, ref float w, int from, int n)
    {
        for (int p = from; p < n; p++)
        {
            s += Unsafe.Add(ref x, p) * Unsafe.Add(ref w, p);
        }

        return s;
    }

    // One row's five results of a Dot5x5 tile, from its accumulators' two halves added.
    private static void StoreFiveHalves<T>(ref T z, ref T b, ref T x, ref T w0, int n, int vn, Vector256<T> h0, Vector256<T> h1, Vector256<T> h2, Vector256<T> h3, Vector256<T> h4)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        z = b + FinishHalves(h0, ref x, ref w0, vn, n);
        Unsafe.Add(ref z, 1) = Unsafe.Add(ref b, 1) + FinishHalves(h1, ref x, ref Unsafe.Add(ref w0, n), vn, n);
        Unsafe.Add(ref z, 2) = Unsafe.Add(ref b, 2) + FinishHalves(h2, ref x, ref Unsafe.Add(ref w0, 2 * n), vn, n);
        Unsafe.Add(ref z, 3) = Unsafe.Add(ref b, 3) + FinishHalves(h3, ref x, ref Unsafe.Add(ref w0, 3 * n), vn, n);
        Unsafe.Add(ref z, 4) = Unsafe.Add(ref b, 4) + FinishHalves(h4, ref x, ref Unsafe.Add(ref w0, 4 * n), vn, n);
    }

    // The end of a dot product of length n whose first vn terms are in a Vector512 accumulator,
    // given as its two halves added (h): at most one Vector256 chunk (the lab's 25 inputs are
    // 16 + 8 + 1), then the scalar tail.
    private static T FinishHalves<T>(Vector256<T> h, ref T a, ref T b, int vn, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = vn;
        if (p + Vector256<T>.Count <= n)
        {
            h = Fma(Vector256.LoadUnsafe(ref a, (nuint)p), Vector256.LoadUnsafe(ref b, (nuint)p), h);
            p += Vector256<T>.Count;
        }

        T s = Vector256.Sum(h);
        for (; p < n; p++)
        {
            s += Unsafe.Add(ref a, p) * Unsafe.Add(ref b, p);
        }

        return s;
    }

    /// <summary>
    /// D = Delta W as <see cref="Multiply{T}"/>, with Vector512 tiles of four rows by four or one
    /// vectors of columns. Every element is the same FMA chain over j as in the Vector256 kernel, so
    /// the result equals that kernel's bit for bit, for any split of the rows.
    /// </summary>
    /// <inheritdoc cref="Multiply{T}" path="/param"/>
    /// <exception cref="ArgumentException">A buffer is shorter than its shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply512<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> w, Span<T> d, int m, int n, int k, int rowStart, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            Multiply(delta, w, d, m, n, k, rowStart, rowEnd);
            return;
        }

        CheckBackwardShapes(delta, w, d, m, n, k);
        ref T dr = ref MemoryMarshal.GetReference(delta);
        ref T wr = ref MemoryMarshal.GetReference(w);
        ref T outr = ref MemoryMarshal.GetReference(d);
        int c = Vector512<T>.Count;
        int vn = n - (n % c);
        for (int i = rowStart; i < rowEnd; i += 4)
        {
            var rows = FourRows.From(i, rowEnd);
            int p = 0;
            for (; p + (4 * c) <= vn; p += 4 * c)
            {
                Multiply4x4(ref dr, ref wr, ref outr, n, k, rows, p);
            }

            for (; p < vn; p += c)
            {
                Multiply4x1(ref dr, ref wr, ref outr, n, k, rows, p);
            }
        }

        MultiplyColumns(delta, w, d, n, k, rowStart, rowEnd, vn);
    }

    // Four rows of Delta times four vectors of W's columns: sixteen accumulators, four loads and
    // four broadcasts per sixteen FMAs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Multiply4x4<T>(ref T dr, ref T wr, ref T outr, int n, int k, FourRows rows, int p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nuint c = (nuint)Vector512<T>.Count;
        ref T d0 = ref Unsafe.Add(ref dr, rows.R0 * k);
        ref T d1 = ref Unsafe.Add(ref dr, rows.R1 * k);
        ref T d2 = ref Unsafe.Add(ref dr, rows.R2 * k);
        ref T d3 = ref Unsafe.Add(ref dr, rows.R3 * k);
        Vector512<T> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<T> b0 = default, b1 = default, b2 = default, b3 = default;
        Vector512<T> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector512<T> e0 = default, e1 = default, e2 = default, e3 = default;
        for (int jj = 0; jj < k; jj++)
        {
            ref T wj = ref Unsafe.Add(ref wr, (jj * n) + p);
            Vector512<T> w0 = Vector512.LoadUnsafe(ref wj), w1 = Vector512.LoadUnsafe(ref wj, c);
            Vector512<T> w2 = Vector512.LoadUnsafe(ref wj, 2 * c), w3 = Vector512.LoadUnsafe(ref wj, 3 * c);
            Vector512<T> s = Vector512.Create(Unsafe.Add(ref d0, jj));
            a0 = Fma(s, w0, a0); a1 = Fma(s, w1, a1); a2 = Fma(s, w2, a2); a3 = Fma(s, w3, a3);
            s = Vector512.Create(Unsafe.Add(ref d1, jj));
            b0 = Fma(s, w0, b0); b1 = Fma(s, w1, b1); b2 = Fma(s, w2, b2); b3 = Fma(s, w3, b3);
            s = Vector512.Create(Unsafe.Add(ref d2, jj));
            c0 = Fma(s, w0, c0); c1 = Fma(s, w1, c1); c2 = Fma(s, w2, c2); c3 = Fma(s, w3, c3);
            s = Vector512.Create(Unsafe.Add(ref d3, jj));
            e0 = Fma(s, w0, e0); e1 = Fma(s, w1, e1); e2 = Fma(s, w2, e2); e3 = Fma(s, w3, e3);
        }

        StoreFour(ref Unsafe.Add(ref outr, (rows.R0 * n) + p), a0, a1, a2, a3);
        StoreFour(ref Unsafe.Add(ref outr, (rows.R1 * n) + p), b0, b1, b2, b3);
        StoreFour(ref Unsafe.Add(ref outr, (rows.R2 * n) + p), c0, c1, c2, c3);
        StoreFour(ref Unsafe.Add(ref outr, (rows.R3 * n) + p), e0, e1, e2, e3);
    }

    // Four rows of Delta times one vector of W's columns (the lab's 25 inputs have one such chunk).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Multiply4x1<T>(ref T dr, ref T wr, ref T outr, int n, int k, FourRows rows, int p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T d0 = ref Unsafe.Add(ref dr, rows.R0 * k);
        ref T d1 = ref Unsafe.Add(ref dr, rows.R1 * k);
        ref T d2 = ref Unsafe.Add(ref dr, rows.R2 * k);
        ref T d3 = ref Unsafe.Add(ref dr, rows.R3 * k);
        Vector512<T> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int jj = 0; jj < k; jj++)
        {
            Vector512<T> wj = Vector512.LoadUnsafe(ref wr, (nuint)((jj * n) + p));
            a0 = Fma(Vector512.Create(Unsafe.Add(ref d0, jj)), wj, a0);
            a1 = Fma(Vector512.Create(Unsafe.Add(ref d1, jj)), wj, a1);
            a2 = Fma(Vector512.Create(Unsafe.Add(ref d2, jj)), wj, a2);
            a3 = Fma(Vector512.Create(Unsafe.Add(ref d3, jj)), wj, a3);
        }

        a0.StoreUnsafe(ref outr, (nuint)((rows.R0 * n) + p));
        a1.StoreUnsafe(ref outr, (nuint)((rows.R1 * n) + p));
        a2.StoreUnsafe(ref outr, (nuint)((rows.R2 * n) + p));
        a3.StoreUnsafe(ref outr, (nuint)((rows.R3 * n) + p));
    }

    /// <summary>
    /// G += Delta^T X as <see cref="AccumulateTransposedMultiply{T}"/>, with Vector512 tiles of five
    /// units by four vectors (64 columns). Each element gets exactly the arithmetic it gets in the
    /// Vector256 kernel with the same column range (one FMA chain over i = 0..m-1 for units in
    /// tiles of five, even and odd rows in two chains for the k % 5 units left over, the last
    /// columns through that kernel itself), so the result equals that kernel's bit for bit.
    /// </summary>
    /// <inheritdoc cref="AccumulateTransposedMultiply{T}" path="/param"/>
    /// <exception cref="ArgumentException">A buffer is shorter than its shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateTransposedMultiply512<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> x, Span<T> g, int m, int n, int k, int columnStart, int columnEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
        => TransposedMultiply512Core(delta, x, g, m, n, k, columnStart, columnEnd, overwrite: false);

    /// <summary>
    /// G = Delta^T X as <see cref="TransposedMultiply{T}"/> (columns columnStart..columnEnd-1 of G
    /// overwritten), with the tiles of <see cref="AccumulateTransposedMultiply512{T}"/>: the result
    /// of clearing them and calling that, bit for bit. Training's weight gradient.
    /// </summary>
    /// <inheritdoc cref="AccumulateTransposedMultiply{T}" path="/param"/>
    /// <exception cref="ArgumentException">A buffer is shorter than its shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransposedMultiply512<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> x, Span<T> g, int m, int n, int k, int columnStart, int columnEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
        => TransposedMultiply512Core(delta, x, g, m, n, k, columnStart, columnEnd, overwrite: true);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposedMultiply512Core<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> x, Span<T> g, int m, int n, int k, int columnStart, int columnEnd, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = columnStart;
        if (Vector512.IsHardwareAccelerated)
        {
            CheckWeightGradientShapes(delta, x, g, m, n, k);
            ref T dr = ref MemoryMarshal.GetReference(delta);
            ref T xr = ref MemoryMarshal.GetReference(x);
            ref T gr = ref MemoryMarshal.GetReference(g);
            int c = Vector512<T>.Count;
            for (; p + (4 * c) <= columnEnd; p += 4 * c)
            {
                int j = 0;
                for (; j + 4 < k; j += 5)
                {
                    Accumulate5x4(ref dr, ref Unsafe.Add(ref xr, p), ref Unsafe.Add(ref gr, (j * n) + p), m, n, k, j, overwrite);
                }

                for (; j < k; j++)
                {
                    Accumulate1x4(ref dr, ref Unsafe.Add(ref xr, p), ref Unsafe.Add(ref gr, (j * n) + p), m, n, k, j, overwrite);
                }
            }
        }

        // Fewer than 64 columns left. The Vector256 kernel's 16-column blocks start at p, a multiple
        // of 16 after columnStart as they would in a call for the whole range.
        TransposedMultiplyCore(delta, x, g, m, n, k, p, columnEnd, overwrite);
    }

    // Five units (rows of G) times four vectors of columns: twenty accumulators held across the
    // batch, four loads of X and five broadcasts of Delta per twenty FMAs. Each lane is
    // Accumulate5x2's chain.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate5x4<T>(ref T dr, ref T x0, ref T g0, int m, int n, int k, int j, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nuint c = (nuint)Vector512<T>.Count;
        ref T g1 = ref Unsafe.Add(ref g0, n);
        ref T g2 = ref Unsafe.Add(ref g0, 2 * n);
        ref T g3 = ref Unsafe.Add(ref g0, 3 * n);
        ref T g4 = ref Unsafe.Add(ref g0, 4 * n);
        (Vector512<T> a0, Vector512<T> b0, Vector512<T> c0, Vector512<T> e0) = LoadFourOrZero(ref g0, overwrite);
        (Vector512<T> a1, Vector512<T> b1, Vector512<T> c1, Vector512<T> e1) = LoadFourOrZero(ref g1, overwrite);
        (Vector512<T> a2, Vector512<T> b2, Vector512<T> c2, Vector512<T> e2) = LoadFourOrZero(ref g2, overwrite);
        (Vector512<T> a3, Vector512<T> b3, Vector512<T> c3, Vector512<T> e3) = LoadFourOrZero(ref g3, overwrite);
        (Vector512<T> a4, Vector512<T> b4, Vector512<T> c4, Vector512<T> e4) = LoadFourOrZero(ref g4, overwrite);
        ref T di = ref Unsafe.Add(ref dr, j);
        for (int i = 0; i < m; i++)
        {
            ref T xi = ref Unsafe.Add(ref x0, i * n);
            Vector512<T> xa = Vector512.LoadUnsafe(ref xi), xb = Vector512.LoadUnsafe(ref xi, c);
            Vector512<T> xc = Vector512.LoadUnsafe(ref xi, 2 * c), xd = Vector512.LoadUnsafe(ref xi, 3 * c);
            Vector512<T> s = Vector512.Create(di);
            a0 = Fma(s, xa, a0); b0 = Fma(s, xb, b0); c0 = Fma(s, xc, c0); e0 = Fma(s, xd, e0);
            s = Vector512.Create(Unsafe.Add(ref di, 1));
            a1 = Fma(s, xa, a1); b1 = Fma(s, xb, b1); c1 = Fma(s, xc, c1); e1 = Fma(s, xd, e1);
            s = Vector512.Create(Unsafe.Add(ref di, 2));
            a2 = Fma(s, xa, a2); b2 = Fma(s, xb, b2); c2 = Fma(s, xc, c2); e2 = Fma(s, xd, e2);
            s = Vector512.Create(Unsafe.Add(ref di, 3));
            a3 = Fma(s, xa, a3); b3 = Fma(s, xb, b3); c3 = Fma(s, xc, c3); e3 = Fma(s, xd, e3);
            s = Vector512.Create(Unsafe.Add(ref di, 4));
            a4 = Fma(s, xa, a4); b4 = Fma(s, xb, b4); c4 = Fma(s, xc, c4); e4 = Fma(s, xd, e4);
            di = ref Unsafe.Add(ref di, k);
        }

        StoreFour(ref g0, a0, b0, c0, e0);
        StoreFour(ref g1, a1, b1, c1, e1);
        StoreFour(ref g2, a2, b2, c2, e2);
        StoreFour(ref g3, a3, b3, c3, e3);
        StoreFour(ref g4, a4, b4, c4, e4);
    }

    // One unit times four vectors of columns, even rows in one chain (starting from G) and odd rows
    // in another (starting from zero), added at the end: Accumulate1x2's arithmetic in each lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate1x4<T>(ref T dr, ref T x0, ref T g0, int m, int n, int k, int j, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nuint c = (nuint)Vector512<T>.Count;
        (Vector512<T> a0, Vector512<T> b0, Vector512<T> c0, Vector512<T> e0) = LoadFourOrZero(ref g0, overwrite);
        Vector512<T> a1 = default, b1 = default, c1 = default, e1 = default;
        int i = 0;
        for (; i + 1 < m; i += 2)
        {
            ref T xi = ref Unsafe.Add(ref x0, i * n);
            ref T xj = ref Unsafe.Add(ref xi, n);
            Vector512<T> s = Vector512.Create(Unsafe.Add(ref dr, (i * k) + j));
            Vector512<T> t = Vector512.Create(Unsafe.Add(ref dr, ((i + 1) * k) + j));
            a0 = Fma(s, Vector512.LoadUnsafe(ref xi), a0);
            b0 = Fma(s, Vector512.LoadUnsafe(ref xi, c), b0);
            c0 = Fma(s, Vector512.LoadUnsafe(ref xi, 2 * c), c0);
            e0 = Fma(s, Vector512.LoadUnsafe(ref xi, 3 * c), e0);
            a1 = Fma(t, Vector512.LoadUnsafe(ref xj), a1);
            b1 = Fma(t, Vector512.LoadUnsafe(ref xj, c), b1);
            c1 = Fma(t, Vector512.LoadUnsafe(ref xj, 2 * c), c1);
            e1 = Fma(t, Vector512.LoadUnsafe(ref xj, 3 * c), e1);
        }

        if (i < m)
        {
            ref T xi = ref Unsafe.Add(ref x0, i * n);
            Vector512<T> s = Vector512.Create(Unsafe.Add(ref dr, (i * k) + j));
            a0 = Fma(s, Vector512.LoadUnsafe(ref xi), a0);
            b0 = Fma(s, Vector512.LoadUnsafe(ref xi, c), b0);
            c0 = Fma(s, Vector512.LoadUnsafe(ref xi, 2 * c), c0);
            e0 = Fma(s, Vector512.LoadUnsafe(ref xi, 3 * c), e0);
        }

        StoreFour(ref g0, a0 + a1, b0 + b1, c0 + c1, e0 + e1);
    }

    // Four vectors of G, or +0 (what a cleared G holds) when the product overwrites G.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<T>, Vector512<T>, Vector512<T>, Vector512<T>) LoadFourOrZero<T>(ref T source, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        => overwrite ? default : LoadFour(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<T>, Vector512<T>, Vector512<T>, Vector512<T>) LoadFour<T>(ref T source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nuint c = (nuint)Vector512<T>.Count;
        return (Vector512.LoadUnsafe(ref source), Vector512.LoadUnsafe(ref source, c), Vector512.LoadUnsafe(ref source, 2 * c), Vector512.LoadUnsafe(ref source, 3 * c));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFour<T>(ref T destination, Vector512<T> v0, Vector512<T> v1, Vector512<T> v2, Vector512<T> v3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nuint c = (nuint)Vector512<T>.Count;
        v0.StoreUnsafe(ref destination);
        v1.StoreUnsafe(ref destination, c);
        v2.StoreUnsafe(ref destination, 2 * c);
        v3.StoreUnsafe(ref destination, 3 * c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        return (a * b) + c;
    }

    // The four row indices of a tile starting at row i. Past rowEnd they repeat the last row, so a
    // short last group goes through the same tile (its spare slots writing the same values twice)
    // and every row gets the same arithmetic wherever the rows are split.
    private readonly record struct FourRows(int R0, int R1, int R2, int R3)
    {
        public static FourRows From(int i, int rowEnd)
            => new(i, Math.Min(i + 1, rowEnd - 1), Math.Min(i + 2, rowEnd - 1), Math.Min(i + 3, rowEnd - 1));
    }
}

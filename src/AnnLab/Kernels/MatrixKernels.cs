using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AnnLab.Kernels;

/// <summary>
/// The three matrix products of training a fully connected layer, row-major, for float (training)
/// and double (gradient checks). Each has a plain scalar reference beside the fast version; tests
/// compare the two on every small size.
/// </summary>
/// <remarks>
/// Shapes: a batch of m samples, a layer with n inputs (fanIn) and k units (fanOut), weights
/// stored k x n (each unit's incoming weights contiguous). Then
/// <list type="bullet">
/// <item>forward: Z (m x k) = X (m x n) W^T + b (<see cref="MultiplyTransposedAddBias"/>);</item>
/// <item>backward to the inputs: D_in (m x n) = Delta (m x k) W (<see cref="Multiply"/>);</item>
/// <item>weight gradient: G (k x n) += Delta^T X (<see cref="AccumulateTransposedMultiply"/>).</item>
/// </list>
/// Every output element is a sum over one index taken in a fixed order, so the result never
/// depends on how the work is split between threads. The methods ending in 512
/// (MatrixKernels.Vector512.cs) are the same products with Vector512 tiles; the weight gradient's
/// kernel is in MatrixKernels.WeightGradient.cs and the scalar references in MatrixKernels.Reference.cs.
/// </remarks>
public static partial class MatrixKernels
{
    /// <summary>Z = X W^T + b: Z[i, j] = b[j] + sum_p X[i, p] W[j, p].</summary>
    /// <param name="x">m x n, row-major.</param>
    /// <param name="w">k x n, row-major.</param>
    /// <param name="bias">k.</param>
    /// <param name="z">m x k, row-major; overwritten.</param>
    /// <param name="m">Rows of X.</param>
    /// <param name="n">Columns of X and W.</param>
    /// <param name="k">Rows of W.</param>
    /// <param name="rowStart">First row of X and Z to compute (for splitting rows between threads).</param>
    /// <param name="rowEnd">One past the last row to compute.</param>
    /// <exception cref="ArgumentException">A buffer is shorter than its shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyTransposedAddBias<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> z, int m, int n, int k, int rowStart, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckForwardShapes(x, w, bias, z, m, n, k);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T wr = ref MemoryMarshal.GetReference(w);
        ref T zr = ref MemoryMarshal.GetReference(z);
        ref T br = ref MemoryMarshal.GetReference(bias);
        int vn = Vector256.IsHardwareAccelerated ? n - (n % Vector256<T>.Count) : 0;
        // Units outer, row pairs inner, as in the Vector512 kernel: a five-unit tile of W (15.7 KB
        // for 784 inputs) stays in the L1 cache while the rows pass it, where rows outer streamed
        // all of W (78 KB) from L2 for every two rows, five loads from L2 per ten FMAs. Each
        // element's arithmetic is the same in either order.
        int pairsEnd = rowStart + ((rowEnd - rowStart) & ~1);
        int j = 0;
        for (; j + 4 < k; j += 5)
        {
            for (int r = rowStart; r < pairsEnd; r += 2)
            {
                Dot2x5(ref Unsafe.Add(ref xr, r * n), ref Unsafe.Add(ref wr, j * n), n, vn, ref Unsafe.Add(ref zr, (r * k) + j), k, ref Unsafe.Add(ref br, j));
            }
        }

        for (; j < k; j++)
        {
            for (int r = rowStart; r < pairsEnd; r += 2)
            {
                Dot2x1(ref Unsafe.Add(ref xr, r * n), ref Unsafe.Add(ref wr, j * n), n, vn, ref Unsafe.Add(ref zr, (r * k) + j), k, Unsafe.Add(ref br, j));
            }
        }

        // A last odd row: the same sums in the same order as the two-row tiles, so any split of the
        // rows gives the same bits.
        int tiled = k - (k % 5);
        for (int i = pairsEnd; i < rowEnd; i++)
        {
            for (int unit = 0; unit < k; unit++)
            {
                ReadOnlySpan<T> xi = x.Slice(i * n, n), wj = w.Slice(unit * n, n);
                z[(i * k) + unit] = bias[unit] + (unit < tiled ? Dot(xi, wj) : DotTwoAccumulators(xi, wj));
            }
        }
    }

    // Dot2x1's arithmetic for one row.
    private static T DotTwoAccumulators<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Length, c = Vector256<T>.Count;
        int vn = Vector256.IsHardwareAccelerated ? n - (n % c) : 0;
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        Vector256<T> a0 = default, c0 = default;
        int p = 0;
        for (; p + (2 * c) <= vn; p += 2 * c)
        {
            a0 = Fma(Vector256.LoadUnsafe(ref ar, (nuint)p), Vector256.LoadUnsafe(ref br, (nuint)p), a0);
            c0 = Fma(Vector256.LoadUnsafe(ref ar, (nuint)(p + c)), Vector256.LoadUnsafe(ref br, (nuint)(p + c)), c0);
        }

        for (; p < vn; p += c)
        {
            a0 = Fma(Vector256.LoadUnsafe(ref ar, (nuint)p), Vector256.LoadUnsafe(ref br, (nuint)p), a0);
        }

        T s = Vector256.Sum(a0 + c0);
        for (p = vn; p < n; p++)
        {
            s += a[p] * b[p];
        }

        return s;
    }

    // Two rows of X against five rows of W: ten accumulators, seven loads per ten FMAs (the lab's
    // 25 hidden units are five such tiles).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot2x5<T>(ref T x0, ref T w0, int n, int vn, ref T z0, int k, ref T b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T x1 = ref Unsafe.Add(ref x0, n);
        ref T w1 = ref Unsafe.Add(ref w0, n);
        ref T w2 = ref Unsafe.Add(ref w0, 2 * n);
        ref T w3 = ref Unsafe.Add(ref w0, 3 * n);
        ref T w4 = ref Unsafe.Add(ref w0, 4 * n);
        Vector256<T> a00 = default, a01 = default, a02 = default, a03 = default, a04 = default;
        Vector256<T> a10 = default, a11 = default, a12 = default, a13 = default, a14 = default;
        for (int p = 0; p < vn; p += Vector256<T>.Count)
        {
            Vector256<T> xa = Vector256.LoadUnsafe(ref x0, (nuint)p);
            Vector256<T> xb = Vector256.LoadUnsafe(ref x1, (nuint)p);
            Vector256<T> v = Vector256.LoadUnsafe(ref w0, (nuint)p);
            a00 = Fma(xa, v, a00);
            a10 = Fma(xb, v, a10);
            v = Vector256.LoadUnsafe(ref w1, (nuint)p);
            a01 = Fma(xa, v, a01);
            a11 = Fma(xb, v, a11);
            v = Vector256.LoadUnsafe(ref w2, (nuint)p);
            a02 = Fma(xa, v, a02);
            a12 = Fma(xb, v, a12);
            v = Vector256.LoadUnsafe(ref w3, (nuint)p);
            a03 = Fma(xa, v, a03);
            a13 = Fma(xb, v, a13);
            v = Vector256.LoadUnsafe(ref w4, (nuint)p);
            a04 = Fma(xa, v, a04);
            a14 = Fma(xb, v, a14);
        }

        T s00 = Vector256.Sum(a00), s01 = Vector256.Sum(a01), s02 = Vector256.Sum(a02), s03 = Vector256.Sum(a03), s04 = Vector256.Sum(a04);
        T s10 = Vector256.Sum(a10), s11 = Vector256.Sum(a11), s12 = Vector256.Sum(a12), s13 = Vector256.Sum(a13), s14 = Vector256.Sum(a14);
        for (int p = vn; p < n; p++)
        {
            T xa = Unsafe.Add(ref x0, p), xb = Unsafe.Add(ref x1, p);
            T v0 = Unsafe.Add(ref w0, p), v1 = Unsafe.Add(ref w1, p), v2 = Unsafe.Add(ref w2, p), v3 = Unsafe.Add(ref w3, p), v4 = Unsafe.Add(ref w4, p);
            s00 += xa * v0; s01 += xa * v1; s02 += xa * v2; s03 += xa * v3; s04 += xa * v4;
            s10 += xb * v0; s11 += xb * v1; s12 += xb * v2; s13 += xb * v3; s14 += xb * v4;
        }

        ref T z1 = ref Unsafe.Add(ref z0, k);
        z0 = b + s00; Unsafe.Add(ref z0, 1) = Unsafe.Add(ref b, 1) + s01; Unsafe.Add(ref z0, 2) = Unsafe.Add(ref b, 2) + s02; Unsafe.Add(ref z0, 3) = Unsafe.Add(ref b, 3) + s03; Unsafe.Add(ref z0, 4) = Unsafe.Add(ref b, 4) + s04;
        z1 = b + s10; Unsafe.Add(ref z1, 1) = Unsafe.Add(ref b, 1) + s11; Unsafe.Add(ref z1, 2) = Unsafe.Add(ref b, 2) + s12; Unsafe.Add(ref z1, 3) = Unsafe.Add(ref b, 3) + s13; Unsafe.Add(ref z1, 4) = Unsafe.Add(ref b, 4) + s14;
    }

    // Two rows of X against one row of W, two accumulators per row so the FMAs do not wait on each other.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot2x1<T>(ref T x0, ref T w0, int n, int vn, ref T z0, int k, T b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T x1 = ref Unsafe.Add(ref x0, n);
        int c = Vector256<T>.Count;
        Vector256<T> a0 = default, a1 = default, c0 = default, c1 = default;
        int p = 0;
        for (; p + (2 * c) <= vn; p += 2 * c)
        {
            Vector256<T> v = Vector256.LoadUnsafe(ref w0, (nuint)p), u = Vector256.LoadUnsafe(ref w0, (nuint)(p + c));
            a0 = Fma(Vector256.LoadUnsafe(ref x0, (nuint)p), v, a0);
            a1 = Fma(Vector256.LoadUnsafe(ref x1, (nuint)p), v, a1);
            c0 = Fma(Vector256.LoadUnsafe(ref x0, (nuint)(p + c)), u, c0);
            c1 = Fma(Vector256.LoadUnsafe(ref x1, (nuint)(p + c)), u, c1);
        }

        for (; p < vn; p += c)
        {
            Vector256<T> v = Vector256.LoadUnsafe(ref w0, (nuint)p);
            a0 = Fma(Vector256.LoadUnsafe(ref x0, (nuint)p), v, a0);
            a1 = Fma(Vector256.LoadUnsafe(ref x1, (nuint)p), v, a1);
        }

        T s0 = Vector256.Sum(a0 + c0), s1 = Vector256.Sum(a1 + c1);
        for (p = vn; p < n; p++)
        {
            T v = Unsafe.Add(ref w0, p);
            s0 += Unsafe.Add(ref x0, p) * v;
            s1 += Unsafe.Add(ref x1, p) * v;
        }

        z0 = b + s0;
        Unsafe.Add(ref z0, k) = b + s1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Dot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Length;
        int vn = Vector256.IsHardwareAccelerated ? n - n % Vector256<T>.Count : 0;
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        Vector256<T> acc = default;
        for (int p = 0; p < vn; p += Vector256<T>.Count)
        {
            acc = Fma(Vector256.LoadUnsafe(ref ar, (nuint)p), Vector256.LoadUnsafe(ref br, (nuint)p), acc);
        }

        T s = Vector256.Sum(acc);
        for (int p = vn; p < n; p++)
        {
            s += a[p] * b[p];
        }

        return s;
    }

    /// <summary>D = Delta W: D[i, p] = sum_j Delta[i, j] W[j, p].</summary>
    /// <param name="delta">m x k, row-major.</param>
    /// <param name="w">k x n, row-major.</param>
    /// <param name="d">m x n, row-major; overwritten.</param>
    /// <param name="m">Rows of Delta.</param>
    /// <param name="n">Columns of W.</param>
    /// <param name="k">Columns of Delta, rows of W.</param>
    /// <param name="rowStart">First row of Delta and D to compute.</param>
    /// <param name="rowEnd">One past the last row to compute.</param>
    /// <exception cref="ArgumentException">A buffer is shorter than its shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> w, Span<T> d, int m, int n, int k, int rowStart, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBackwardShapes(delta, w, d, m, n, k);
        MultiplyColumns(delta, w, d, n, k, rowStart, rowEnd, 0);
    }

    // Columns columnStart..n-1 of D (columnStart a multiple of Vector256<T>.Count) for rows
    // rowStart..rowEnd-1; the Vector512 kernel hands its last columns to this.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyColumns<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> w, Span<T> d, int n, int k, int rowStart, int rowEnd, int columnStart)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T wr = ref MemoryMarshal.GetReference(w);
        ref T dr = ref MemoryMarshal.GetReference(delta);
        ref T outr = ref MemoryMarshal.GetReference(d);
        int c = Vector256<T>.Count;
        int vn = Vector256.IsHardwareAccelerated ? n - (n % c) : 0;
        int i = rowStart;

        // Two rows at a time, four vectors of columns: eight independent accumulators, so the FMAs
        // of one column chunk do not wait on each other. Each output element is still the sum over
        // j in order, in one accumulator, whatever the tile: any split of the rows gives the same bits.
        for (; i + 1 < rowEnd; i += 2)
        {
            ref T d0 = ref Unsafe.Add(ref dr, i * k);
            ref T d1 = ref Unsafe.Add(ref d0, k);
            ref T o0 = ref Unsafe.Add(ref outr, i * n);
            ref T o1 = ref Unsafe.Add(ref o0, n);
            int p = columnStart;
            for (; p + (4 * c) <= vn; p += 4 * c)
            {
                Vector256<T> a0 = default, a1 = default, a2 = default, a3 = default;
                Vector256<T> b0 = default, b1 = default, b2 = default, b3 = default;
                for (int jj = 0; jj < k; jj++)
                {
                    ref T wj = ref Unsafe.Add(ref wr, (jj * n) + p);
                    Vector256<T> w0 = Vector256.LoadUnsafe(ref wj), w1 = Vector256.LoadUnsafe(ref wj, (nuint)c);
                    Vector256<T> w2 = Vector256.LoadUnsafe(ref wj, (nuint)(2 * c)), w3 = Vector256.LoadUnsafe(ref wj, (nuint)(3 * c));
                    Vector256<T> x = Vector256.Create(Unsafe.Add(ref d0, jj));
                    Vector256<T> y = Vector256.Create(Unsafe.Add(ref d1, jj));
                    a0 = Fma(x, w0, a0); a1 = Fma(x, w1, a1); a2 = Fma(x, w2, a2); a3 = Fma(x, w3, a3);
                    b0 = Fma(y, w0, b0); b1 = Fma(y, w1, b1); b2 = Fma(y, w2, b2); b3 = Fma(y, w3, b3);
                }

                a0.StoreUnsafe(ref o0, (nuint)p); a1.StoreUnsafe(ref o0, (nuint)(p + c)); a2.StoreUnsafe(ref o0, (nuint)(p + (2 * c))); a3.StoreUnsafe(ref o0, (nuint)(p + (3 * c)));
                b0.StoreUnsafe(ref o1, (nuint)p); b1.StoreUnsafe(ref o1, (nuint)(p + c)); b2.StoreUnsafe(ref o1, (nuint)(p + (2 * c))); b3.StoreUnsafe(ref o1, (nuint)(p + (3 * c)));
            }

            for (; p < vn; p += c)
            {
                Vector256<T> a0 = default, b0 = default;
                for (int jj = 0; jj < k; jj++)
                {
                    Vector256<T> w0 = Vector256.LoadUnsafe(ref wr, (nuint)((jj * n) + p));
                    a0 = Fma(Vector256.Create(Unsafe.Add(ref d0, jj)), w0, a0);
                    b0 = Fma(Vector256.Create(Unsafe.Add(ref d1, jj)), w0, b0);
                }

                a0.StoreUnsafe(ref o0, (nuint)p);
                b0.StoreUnsafe(ref o1, (nuint)p);
            }
        }

        for (; i < rowEnd; i++)
        {
            ref T d0 = ref Unsafe.Add(ref dr, i * k);
            ref T o0 = ref Unsafe.Add(ref outr, i * n);
            for (int p = columnStart; p < vn; p += c)
            {
                Vector256<T> a0 = default;
                for (int jj = 0; jj < k; jj++)
                {
                    a0 = Fma(Vector256.Create(Unsafe.Add(ref d0, jj)), Vector256.LoadUnsafe(ref wr, (nuint)((jj * n) + p)), a0);
                }

                a0.StoreUnsafe(ref o0, (nuint)p);
            }
        }

        for (i = rowStart; i < rowEnd; i++)
        {
            ReadOnlySpan<T> di = delta.Slice(i * k, k);
            for (int p = Math.Max(vn, columnStart); p < n; p++)
            {
                T sum = T.Zero;
                for (int jj = 0; jj < k; jj++)
                {
                    sum += di[jj] * Unsafe.Add(ref wr, (jj * n) + p);
                }

                d[(i * n) + p] = sum;
            }
        }
    }

    /// <summary>
    /// The column sums of a rows x k matrix: sums[j] = a[0, j] + a[1, j] + ... in row order from +0,
    /// the bias gradient db = column sums of delta (Nielsen, ch. 2, BP3). The bits equal adding the
    /// rows one by one into a cleared buffer; each column chunk is summed in a register down the rows,
    /// not stored and reloaded once per row.
    /// </summary>
    /// <param name="a">rows x k, row-major.</param>
    /// <param name="sums">k values, written.</param>
    /// <param name="rows">Rows of a.</param>
    /// <param name="k">Columns of a.</param>
    /// <exception cref="ArgumentException">A buffer is shorter than its shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ColumnSums<T>(ReadOnlySpan<T> a, Span<T> sums, int rows, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(a.Length, (long)rows * k, nameof(a));
        CheckShape(sums.Length, k, nameof(sums));
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T sr = ref MemoryMarshal.GetReference(sums);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + Vector512<T>.Count <= k; j += Vector512<T>.Count)
            {
                Vector512<T> s = Vector512<T>.Zero;
                for (int i = 0; i < rows; i++)
                {
                    s += Vector512.LoadUnsafe(ref ar, (nuint)((i * k) + j));
                }

                s.StoreUnsafe(ref sr, (nuint)j);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + Vector256<T>.Count <= k; j += Vector256<T>.Count)
            {
                Vector256<T> s = Vector256<T>.Zero;
                for (int i = 0; i < rows; i++)
                {
                    s += Vector256.LoadUnsafe(ref ar, (nuint)((i * k) + j));
                }

                s.StoreUnsafe(ref sr, (nuint)j);
            }
        }

        for (; j < k; j++)
        {
            T s = T.Zero;
            for (int i = 0; i < rows; i++)
            {
                s += Unsafe.Add(ref ar, (i * k) + j);
            }

            Unsafe.Add(ref sr, j) = s;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        return (a * b) + c;
    }

    private static void CheckForwardShapes<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, ReadOnlySpan<T> z, int m, int n, int k)
    {
        CheckShape(x.Length, (long)m * n, nameof(x));
        CheckShape(w.Length, (long)k * n, nameof(w));
        CheckShape(bias.Length, k, nameof(bias));
        CheckShape(z.Length, (long)m * k, nameof(z));
    }

    private static void CheckBackwardShapes<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> w, ReadOnlySpan<T> d, int m, int n, int k)
    {
        CheckShape(delta.Length, (long)m * k, nameof(delta));
        CheckShape(w.Length, (long)k * n, nameof(w));
        CheckShape(d.Length, (long)m * n, nameof(d));
    }

    private static void CheckWeightGradientShapes<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> x, ReadOnlySpan<T> g, int m, int n, int k)
    {
        CheckShape(delta.Length, (long)m * k, nameof(delta));
        CheckShape(x.Length, (long)m * n, nameof(x));
        CheckShape(g.Length, (long)k * n, nameof(g));
    }

    private static void CheckShape(int length, long needed, string name)
    {
        if (length < needed)
        {
            throw new ArgumentException($"{name} holds {length} elements, the shape needs {needed}", name);
        }
    }
}

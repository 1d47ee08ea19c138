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
/// depends on how the work is split between threads.
/// </remarks>
public static class MatrixKernels
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyTransposedAddBias<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> z, int m, int n, int k, int rowStart, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(x.Length, (long)m * n, nameof(x));
        CheckShape(w.Length, (long)k * n, nameof(w));
        CheckShape(bias.Length, k, nameof(bias));
        CheckShape(z.Length, (long)m * k, nameof(z));
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T wr = ref MemoryMarshal.GetReference(w);
        int vn = Vector256.IsHardwareAccelerated ? n - n % Vector256<T>.Count : 0;
        int i = rowStart;
        for (; i + 1 < rowEnd; i += 2)
        {
            int j = 0;
            for (; j + 3 < k; j += 4)
            {
                Dot2x4(ref Unsafe.Add(ref xr, i * n), ref Unsafe.Add(ref wr, j * n), n, vn, z, i, j, k, bias);
            }

            for (; j < k; j++)
            {
                z[i * k + j] = bias[j] + Dot(x.Slice(i * n, n), w.Slice(j * n, n));
                z[(i + 1) * k + j] = bias[j] + Dot(x.Slice((i + 1) * n, n), w.Slice(j * n, n));
            }
        }

        for (; i < rowEnd; i++)
        {
            for (int j = 0; j < k; j++)
            {
                z[i * k + j] = bias[j] + Dot(x.Slice(i * n, n), w.Slice(j * n, n));
            }
        }
    }

    // Two rows of X against four rows of W: eight accumulators, six loads per eight FMAs.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot2x4<T>(ref T x0, ref T w0, int n, int vn, Span<T> z, int i, int j, int k, ReadOnlySpan<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T x1 = ref Unsafe.Add(ref x0, n);
        ref T w1 = ref Unsafe.Add(ref w0, n);
        ref T w2 = ref Unsafe.Add(ref w0, 2 * n);
        ref T w3 = ref Unsafe.Add(ref w0, 3 * n);
        Vector256<T> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector256<T> a10 = default, a11 = default, a12 = default, a13 = default;
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
        }

        T s00 = Vector256.Sum(a00), s01 = Vector256.Sum(a01), s02 = Vector256.Sum(a02), s03 = Vector256.Sum(a03);
        T s10 = Vector256.Sum(a10), s11 = Vector256.Sum(a11), s12 = Vector256.Sum(a12), s13 = Vector256.Sum(a13);
        for (int p = vn; p < n; p++)
        {
            T xa = Unsafe.Add(ref x0, p), xb = Unsafe.Add(ref x1, p);
            T v0 = Unsafe.Add(ref w0, p), v1 = Unsafe.Add(ref w1, p), v2 = Unsafe.Add(ref w2, p), v3 = Unsafe.Add(ref w3, p);
            s00 += xa * v0; s01 += xa * v1; s02 += xa * v2; s03 += xa * v3;
            s10 += xb * v0; s11 += xb * v1; s12 += xb * v2; s13 += xb * v3;
        }

        Span<T> r0 = z.Slice(i * k + j, 4);
        Span<T> r1 = z.Slice((i + 1) * k + j, 4);
        r0[0] = bias[j] + s00; r0[1] = bias[j + 1] + s01; r0[2] = bias[j + 2] + s02; r0[3] = bias[j + 3] + s03;
        r1[0] = bias[j] + s10; r1[1] = bias[j + 1] + s11; r1[2] = bias[j + 2] + s12; r1[3] = bias[j + 3] + s13;
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> w, Span<T> d, int m, int n, int k, int rowStart, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(delta.Length, (long)m * k, nameof(delta));
        CheckShape(w.Length, (long)k * n, nameof(w));
        CheckShape(d.Length, (long)m * n, nameof(d));
        ref T wr = ref MemoryMarshal.GetReference(w);
        int vn = Vector256.IsHardwareAccelerated ? n - n % Vector256<T>.Count : 0;
        for (int i = rowStart; i < rowEnd; i++)
        {
            ReadOnlySpan<T> di = delta.Slice(i * k, k);
            ref T outRow = ref MemoryMarshal.GetReference(d.Slice(i * n, n));
            for (int p = 0; p < vn; p += Vector256<T>.Count)
            {
                Vector256<T> acc = default;
                for (int j = 0; j < k; j++)
                {
                    acc = Fma(Vector256.Create(di[j]), Vector256.LoadUnsafe(ref wr, (nuint)(j * n + p)), acc);
                }

                acc.StoreUnsafe(ref outRow, (nuint)p);
            }

            for (int p = vn; p < n; p++)
            {
                T s = T.Zero;
                for (int j = 0; j < k; j++)
                {
                    s += di[j] * Unsafe.Add(ref wr, j * n + p);
                }

                Unsafe.Add(ref outRow, p) = s;
            }
        }
    }

    /// <summary>G += Delta^T X: G[j, p] += sum_i Delta[i, j] X[i, p], the sum taken in row order i = 0..m-1.</summary>
    /// <param name="delta">m x k, row-major.</param>
    /// <param name="x">m x n, row-major.</param>
    /// <param name="g">k x n, row-major; accumulated into.</param>
    /// <param name="m">Rows of Delta and X.</param>
    /// <param name="n">Columns of X.</param>
    /// <param name="k">Columns of Delta.</param>
    /// <param name="columnStart">First column p of G to compute (for splitting columns between threads); a multiple of 16 keeps the fast path.</param>
    /// <param name="columnEnd">One past the last column to compute.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateTransposedMultiply<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> x, Span<T> g, int m, int n, int k, int columnStart, int columnEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(delta.Length, (long)m * k, nameof(delta));
        CheckShape(x.Length, (long)m * n, nameof(x));
        CheckShape(g.Length, (long)k * n, nameof(g));
        ref T dr = ref MemoryMarshal.GetReference(delta);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T gr = ref MemoryMarshal.GetReference(g);
        int c = Vector256<T>.Count;
        int p = columnStart;
        if (Vector256.IsHardwareAccelerated)
        {
            // Two vectors of columns times four units: eight accumulators held across the whole batch.
            for (; p + 2 * c <= columnEnd; p += 2 * c)
            {
                int j = 0;
                for (; j + 3 < k; j += 4)
                {
                    ref T g0 = ref Unsafe.Add(ref gr, j * n + p);
                    ref T g1 = ref Unsafe.Add(ref g0, n);
                    ref T g2 = ref Unsafe.Add(ref g0, 2 * n);
                    ref T g3 = ref Unsafe.Add(ref g0, 3 * n);
                    Vector256<T> a0 = Vector256.LoadUnsafe(ref g0), b0 = Vector256.LoadUnsafe(ref g0, (nuint)c);
                    Vector256<T> a1 = Vector256.LoadUnsafe(ref g1), b1 = Vector256.LoadUnsafe(ref g1, (nuint)c);
                    Vector256<T> a2 = Vector256.LoadUnsafe(ref g2), b2 = Vector256.LoadUnsafe(ref g2, (nuint)c);
                    Vector256<T> a3 = Vector256.LoadUnsafe(ref g3), b3 = Vector256.LoadUnsafe(ref g3, (nuint)c);
                    for (int i = 0; i < m; i++)
                    {
                        ref T xi = ref Unsafe.Add(ref xr, i * n + p);
                        Vector256<T> xa = Vector256.LoadUnsafe(ref xi), xb = Vector256.LoadUnsafe(ref xi, (nuint)c);
                        ref T di = ref Unsafe.Add(ref dr, i * k + j);
                        Vector256<T> d = Vector256.Create(di);
                        a0 = Fma(d, xa, a0); b0 = Fma(d, xb, b0);
                        d = Vector256.Create(Unsafe.Add(ref di, 1));
                        a1 = Fma(d, xa, a1); b1 = Fma(d, xb, b1);
                        d = Vector256.Create(Unsafe.Add(ref di, 2));
                        a2 = Fma(d, xa, a2); b2 = Fma(d, xb, b2);
                        d = Vector256.Create(Unsafe.Add(ref di, 3));
                        a3 = Fma(d, xa, a3); b3 = Fma(d, xb, b3);
                    }

                    a0.StoreUnsafe(ref g0); b0.StoreUnsafe(ref g0, (nuint)c);
                    a1.StoreUnsafe(ref g1); b1.StoreUnsafe(ref g1, (nuint)c);
                    a2.StoreUnsafe(ref g2); b2.StoreUnsafe(ref g2, (nuint)c);
                    a3.StoreUnsafe(ref g3); b3.StoreUnsafe(ref g3, (nuint)c);
                }

                for (; j < k; j++)
                {
                    ref T g0 = ref Unsafe.Add(ref gr, j * n + p);
                    Vector256<T> a0 = Vector256.LoadUnsafe(ref g0), b0 = Vector256.LoadUnsafe(ref g0, (nuint)c);
                    for (int i = 0; i < m; i++)
                    {
                        ref T xi = ref Unsafe.Add(ref xr, i * n + p);
                        Vector256<T> d = Vector256.Create(Unsafe.Add(ref dr, i * k + j));
                        a0 = Fma(d, Vector256.LoadUnsafe(ref xi), a0);
                        b0 = Fma(d, Vector256.LoadUnsafe(ref xi, (nuint)c), b0);
                    }

                    a0.StoreUnsafe(ref g0); b0.StoreUnsafe(ref g0, (nuint)c);
                }
            }
        }

        for (; p < columnEnd; p++)
        {
            for (int j = 0; j < k; j++)
            {
                T s = g[j * n + p];
                for (int i = 0; i < m; i++)
                {
                    s = T.FusedMultiplyAdd(delta[i * k + j], x[i * n + p], s);
                }

                g[j * n + p] = s;
            }
        }
    }

    /// <summary>Scalar reference of <see cref="MultiplyTransposedAddBias"/> over all rows.</summary>
    public static void MultiplyTransposedAddBiasReference<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> z, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < k; j++)
            {
                T s = bias[j];
                for (int p = 0; p < n; p++)
                {
                    s += x[i * n + p] * w[j * n + p];
                }

                z[i * k + j] = s;
            }
        }
    }

    /// <summary>Scalar reference of <see cref="Multiply"/> over all rows.</summary>
    public static void MultiplyReference<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> w, Span<T> d, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < n; p++)
            {
                T s = T.Zero;
                for (int j = 0; j < k; j++)
                {
                    s += delta[i * k + j] * w[j * n + p];
                }

                d[i * n + p] = s;
            }
        }
    }

    /// <summary>Scalar reference of <see cref="AccumulateTransposedMultiply"/> over all columns.</summary>
    public static void AccumulateTransposedMultiplyReference<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> x, Span<T> g, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < k; j++)
        {
            for (int p = 0; p < n; p++)
            {
                T s = g[j * n + p];
                for (int i = 0; i < m; i++)
                {
                    s += delta[i * k + j] * x[i * n + p];
                }

                g[j * n + p] = s;
            }
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

    private static void CheckShape(int length, long needed, string name)
    {
        if (length < needed)
        {
            throw new ArgumentException($"{name} holds {length} elements, the shape needs {needed}", name);
        }
    }
}

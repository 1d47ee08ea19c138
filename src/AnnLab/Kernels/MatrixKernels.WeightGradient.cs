using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AnnLab.Kernels;

// G += Delta^T X, the weight gradient of a layer, and its register tiles.
public static partial class MatrixKernels
{
    /// <summary>G += Delta^T X: G[j, p] += sum_i Delta[i, j] X[i, p], the sum taken in row order i = 0..m-1.</summary>
    /// <param name="delta">m x k, row-major.</param>
    /// <param name="x">m x n, row-major.</param>
    /// <param name="g">k x n, row-major; accumulated into.</param>
    /// <param name="m">Rows of Delta and X.</param>
    /// <param name="n">Columns of X.</param>
    /// <param name="k">Columns of Delta.</param>
    /// <param name="columnStart">First column p of G to compute (for splitting columns between threads); a multiple of 16 keeps the fast path.</param>
    /// <param name="columnEnd">One past the last column to compute.</param>
    /// <exception cref="ArgumentException">A buffer is shorter than its shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateTransposedMultiply<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> x, Span<T> g, int m, int n, int k, int columnStart, int columnEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
        => TransposedMultiplyCore(delta, x, g, m, n, k, columnStart, columnEnd, overwrite: false);

    /// <summary>
    /// G = Delta^T X over columns columnStart..columnEnd-1 of G, overwriting them: the result of
    /// clearing them and calling <see cref="AccumulateTransposedMultiply{T}"/>, bit for bit (each
    /// chain starts from +0 instead of loading it), without the pass over G that clearing takes.
    /// </summary>
    /// <inheritdoc cref="AccumulateTransposedMultiply{T}" path="/param"/>
    /// <exception cref="ArgumentException">A buffer is shorter than its shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransposedMultiply<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> x, Span<T> g, int m, int n, int k, int columnStart, int columnEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
        => TransposedMultiplyCore(delta, x, g, m, n, k, columnStart, columnEnd, overwrite: true);

    // G += Delta^T X, or G = Delta^T X when overwrite: every chain then starts from +0, the value
    // a cleared G would give it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposedMultiplyCore<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> x, Span<T> g, int m, int n, int k, int columnStart, int columnEnd, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckWeightGradientShapes(delta, x, g, m, n, k);
        ref T dr = ref MemoryMarshal.GetReference(delta);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T gr = ref MemoryMarshal.GetReference(g);
        int c = Vector256<T>.Count;
        int p = columnStart;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; p + (2 * c) <= columnEnd; p += 2 * c)
            {
                int j = 0;
                for (; j + 4 < k; j += 5)
                {
                    Accumulate5x2(ref dr, ref Unsafe.Add(ref xr, p), ref Unsafe.Add(ref gr, (j * n) + p), m, n, k, j, overwrite);
                }

                for (; j < k; j++)
                {
                    Accumulate1x2(ref dr, ref Unsafe.Add(ref xr, p), ref Unsafe.Add(ref gr, (j * n) + p), m, n, k, j, overwrite);
                }
            }

            for (; p + c <= columnEnd; p += c)
            {
                int j = 0;
                for (; j + 4 < k; j += 5)
                {
                    Accumulate5x1(ref dr, ref Unsafe.Add(ref xr, p), ref Unsafe.Add(ref gr, (j * n) + p), m, n, k, j, overwrite);
                }

                for (; j < k; j++)
                {
                    ref T g0 = ref Unsafe.Add(ref gr, (j * n) + p);
                    Vector256<T> a0 = LoadOrZero(ref g0, 0, overwrite);
                    for (int i = 0; i < m; i++)
                    {
                        a0 = Fma(Vector256.Create(Unsafe.Add(ref dr, (i * k) + j)), Vector256.LoadUnsafe(ref xr, (nuint)((i * n) + p)), a0);
                    }

                    a0.StoreUnsafe(ref g0);
                }
            }
        }

        for (; p < columnEnd; p++)
        {
            int j = 0;
            for (; j + 4 < k; j += 5)
            {
                AccumulateColumn5(ref dr, ref Unsafe.Add(ref xr, p), ref Unsafe.Add(ref gr, (j * n) + p), m, n, k, j, overwrite);
            }

            for (; j < k; j++)
            {
                T s = overwrite ? T.Zero : g[j * n + p];
                for (int i = 0; i < m; i++)
                {
                    s = T.FusedMultiplyAdd(delta[i * k + j], x[i * n + p], s);
                }

                g[j * n + p] = s;
            }
        }
    }

    // Five units times one vector of columns: five independent FMA chains over the rows (one
    // chain alone waits on each FMA's latency), each element's chain the one-unit loop's.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate5x1<T>(ref T dr, ref T x0, ref T g0, int m, int n, int k, int j, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T g1 = ref Unsafe.Add(ref g0, n);
        ref T g2 = ref Unsafe.Add(ref g0, 2 * n);
        ref T g3 = ref Unsafe.Add(ref g0, 3 * n);
        ref T g4 = ref Unsafe.Add(ref g0, 4 * n);
        Vector256<T> a0 = LoadOrZero(ref g0, 0, overwrite), a1 = LoadOrZero(ref g1, 0, overwrite), a2 = LoadOrZero(ref g2, 0, overwrite);
        Vector256<T> a3 = LoadOrZero(ref g3, 0, overwrite), a4 = LoadOrZero(ref g4, 0, overwrite);
        ref T di = ref Unsafe.Add(ref dr, j);
        for (int i = 0; i < m; i++)
        {
            Vector256<T> xi = Vector256.LoadUnsafe(ref Unsafe.Add(ref x0, i * n));
            a0 = Fma(Vector256.Create(di), xi, a0);
            a1 = Fma(Vector256.Create(Unsafe.Add(ref di, 1)), xi, a1);
            a2 = Fma(Vector256.Create(Unsafe.Add(ref di, 2)), xi, a2);
            a3 = Fma(Vector256.Create(Unsafe.Add(ref di, 3)), xi, a3);
            a4 = Fma(Vector256.Create(Unsafe.Add(ref di, 4)), xi, a4);
            di = ref Unsafe.Add(ref di, k);
        }

        a0.StoreUnsafe(ref g0); a1.StoreUnsafe(ref g1); a2.StoreUnsafe(ref g2); a3.StoreUnsafe(ref g3); a4.StoreUnsafe(ref g4);
    }

    // One column of five units: five independent scalar FMA chains over the rows, each the
    // one-unit loop's.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateColumn5<T>(ref T dr, ref T x0, ref T g0, int m, int n, int k, int j, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero, s4 = T.Zero;
        if (!overwrite)
        {
            (s0, s1, s2, s3, s4) = (g0, Unsafe.Add(ref g0, n), Unsafe.Add(ref g0, 2 * n), Unsafe.Add(ref g0, 3 * n), Unsafe.Add(ref g0, 4 * n));
        }

        ref T di = ref Unsafe.Add(ref dr, j);
        for (int i = 0; i < m; i++)
        {
            T xi = Unsafe.Add(ref x0, i * n);
            s0 = T.FusedMultiplyAdd(di, xi, s0);
            s1 = T.FusedMultiplyAdd(Unsafe.Add(ref di, 1), xi, s1);
            s2 = T.FusedMultiplyAdd(Unsafe.Add(ref di, 2), xi, s2);
            s3 = T.FusedMultiplyAdd(Unsafe.Add(ref di, 3), xi, s3);
            s4 = T.FusedMultiplyAdd(Unsafe.Add(ref di, 4), xi, s4);
            di = ref Unsafe.Add(ref di, k);
        }

        g0 = s0; Unsafe.Add(ref g0, n) = s1; Unsafe.Add(ref g0, 2 * n) = s2; Unsafe.Add(ref g0, 3 * n) = s3; Unsafe.Add(ref g0, 4 * n) = s4;
    }

    // Five units (rows of G) times two vectors of columns: ten accumulators held across the batch,
    // two loads of X and five broadcasts of Delta per ten FMAs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate5x2<T>(ref T dr, ref T x0, ref T g0, int m, int n, int k, int j, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nuint c = (nuint)Vector256<T>.Count;
        ref T g1 = ref Unsafe.Add(ref g0, n);
        ref T g2 = ref Unsafe.Add(ref g0, 2 * n);
        ref T g3 = ref Unsafe.Add(ref g0, 3 * n);
        ref T g4 = ref Unsafe.Add(ref g0, 4 * n);
        Vector256<T> a0 = LoadOrZero(ref g0, 0, overwrite), b0 = LoadOrZero(ref g0, c, overwrite);
        Vector256<T> a1 = LoadOrZero(ref g1, 0, overwrite), b1 = LoadOrZero(ref g1, c, overwrite);
        Vector256<T> a2 = LoadOrZero(ref g2, 0, overwrite), b2 = LoadOrZero(ref g2, c, overwrite);
        Vector256<T> a3 = LoadOrZero(ref g3, 0, overwrite), b3 = LoadOrZero(ref g3, c, overwrite);
        Vector256<T> a4 = LoadOrZero(ref g4, 0, overwrite), b4 = LoadOrZero(ref g4, c, overwrite);
        ref T di = ref Unsafe.Add(ref dr, j);
        for (int i = 0; i < m; i++)
        {
            ref T xi = ref Unsafe.Add(ref x0, i * n);
            Vector256<T> xa = Vector256.LoadUnsafe(ref xi), xb = Vector256.LoadUnsafe(ref xi, c);
            Vector256<T> d = Vector256.Create(di);
            a0 = Fma(d, xa, a0); b0 = Fma(d, xb, b0);
            d = Vector256.Create(Unsafe.Add(ref di, 1));
            a1 = Fma(d, xa, a1); b1 = Fma(d, xb, b1);
            d = Vector256.Create(Unsafe.Add(ref di, 2));
            a2 = Fma(d, xa, a2); b2 = Fma(d, xb, b2);
            d = Vector256.Create(Unsafe.Add(ref di, 3));
            a3 = Fma(d, xa, a3); b3 = Fma(d, xb, b3);
            d = Vector256.Create(Unsafe.Add(ref di, 4));
            a4 = Fma(d, xa, a4); b4 = Fma(d, xb, b4);
            di = ref Unsafe.Add(ref di, k);
        }

        a0.StoreUnsafe(ref g0); b0.StoreUnsafe(ref g0, c);
        a1.StoreUnsafe(ref g1); b1.StoreUnsafe(ref g1, c);
        a2.StoreUnsafe(ref g2); b2.StoreUnsafe(ref g2, c);
        a3.StoreUnsafe(ref g3); b3.StoreUnsafe(ref g3, c);
        a4.StoreUnsafe(ref g4); b4.StoreUnsafe(ref g4, c);
    }

    // One unit times two vectors of columns; rows taken two at a time into separate accumulators
    // (added at the end, in a fixed order) so consecutive FMAs do not wait on each other.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate1x2<T>(ref T dr, ref T x0, ref T g0, int m, int n, int k, int j, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nuint c = (nuint)Vector256<T>.Count;
        Vector256<T> a0 = LoadOrZero(ref g0, 0, overwrite), b0 = LoadOrZero(ref g0, c, overwrite);
        Vector256<T> a1 = default, b1 = default;
        int i = 0;
        for (; i + 1 < m; i += 2)
        {
            ref T xi = ref Unsafe.Add(ref x0, i * n);
            ref T xj = ref Unsafe.Add(ref xi, n);
            Vector256<T> d = Vector256.Create(Unsafe.Add(ref dr, (i * k) + j));
            Vector256<T> e = Vector256.Create(Unsafe.Add(ref dr, ((i + 1) * k) + j));
            a0 = Fma(d, Vector256.LoadUnsafe(ref xi), a0);
            b0 = Fma(d, Vector256.LoadUnsafe(ref xi, c), b0);
            a1 = Fma(e, Vector256.LoadUnsafe(ref xj), a1);
            b1 = Fma(e, Vector256.LoadUnsafe(ref xj, c), b1);
        }

        if (i < m)
        {
            ref T xi = ref Unsafe.Add(ref x0, i * n);
            Vector256<T> d = Vector256.Create(Unsafe.Add(ref dr, (i * k) + j));
            a0 = Fma(d, Vector256.LoadUnsafe(ref xi), a0);
            b0 = Fma(d, Vector256.LoadUnsafe(ref xi, c), b0);
        }

        (a0 + a1).StoreUnsafe(ref g0);
        (b0 + b1).StoreUnsafe(ref g0, c);
    }

    // G's vector at offset, or +0 (what a cleared G holds) when the product overwrites G.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> LoadOrZero<T>(ref T g, nuint offset, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        => overwrite ? Vector256<T>.Zero : Vector256.LoadUnsafe(ref g, offset);
}

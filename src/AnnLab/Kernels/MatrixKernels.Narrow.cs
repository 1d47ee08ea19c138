using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AnnLab.Kernels;

// The forward product of a layer with few units (the lab's 10 outputs): the units in the lanes of
// one Vector512, the inputs one broadcast at a time.
public static partial class MatrixKernels
{
    /// <summary>Inputs per row up to which <see cref="MultiplyTransposedAddBiasNarrow{T}"/> takes a
    /// layer; past it the transposed copy of W it makes per call costs more than it saves.</summary>
    public const int NarrowForwardMaxInputs = 64;

    /// <summary>
    /// Z = X W^T + b as <see cref="MultiplyTransposedAddBias{T}"/> for a layer of at most one
    /// Vector512 of units (16 floats) and at most <see cref="NarrowForwardMaxInputs"/> inputs: row
    /// i's k results are one vector, b + sum over p of x[i, p] times W^T's row p, one FMA per input in
    /// order p = 0..n-1. The tiled kernels instead sum each (row, unit) pair in chunks of inputs and
    /// add the chunk's lanes at the end, a horizontal sum per result that costs more than the
    /// products when n is small (200 x 25 x 10: README, Measured here). Eight rows go at once, eight
    /// FMA chains. Any split of the rows gives the same bits; they differ from the other kernels' in
    /// the last places. Other shapes, and machines without Vector512, run
    /// <see cref="MultiplyTransposedAddBias512{T}"/>.
    /// </summary>
    /// <inheritdoc cref="MultiplyTransposedAddBias{T}" path="/param"/>
    /// <exception cref="ArgumentException">A buffer is shorter than its shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyTransposedAddBiasNarrow<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> z, int m, int n, int k, int rowStart, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512<T>.Count;
        if (!Vector512.IsHardwareAccelerated || k > lanes || n > NarrowForwardMaxInputs || k == 0)
        {
            MultiplyTransposedAddBias512(x, w, bias, z, m, n, k, rowStart, rowEnd);
            return;
        }

        CheckForwardShapes(x, w, bias, z, m, n, k);

        // W^T with each row padded to a whole vector by zeros (at most 64 x 16 floats, 4 KB), and b
        // likewise.
        Span<T> wt = stackalloc T[NarrowForwardMaxInputs * Vector512<T>.Count];
        Span<T> b = stackalloc T[Vector512<T>.Count];
        wt[..(n * lanes)].Clear();
        b.Clear();
        bias[..k].CopyTo(b);
        for (int j = 0; j < k; j++)
        {
            ReadOnlySpan<T> wj = w.Slice(j * n, n);
            for (int p = 0; p < n; p++)
            {
                wt[(p * lanes) + j] = wj[p];
            }
        }

        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T wtr = ref MemoryMarshal.GetReference(wt);
        ref T zr = ref MemoryMarshal.GetReference(z);
        Vector512<T> bv = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(b));
        int i = rowStart;
        for (; i + 8 <= rowEnd; i += 8)
        {
            ref T x0 = ref Unsafe.Add(ref xr, i * n);
            Vector512<T> a0 = bv, a1 = bv, a2 = bv, a3 = bv, a4 = bv, a5 = bv, a6 = bv, a7 = bv;
            for (int p = 0; p < n; p++)
            {
                Vector512<T> v = Vector512.LoadUnsafe(ref wtr, (nuint)(p * lanes));
                a0 = Fma(Vector512.Create(Unsafe.Add(ref x0, p)), v, a0);
                a1 = Fma(Vector512.Create(Unsafe.Add(ref x0, n + p)), v, a1);
                a2 = Fma(Vector512.Create(Unsafe.Add(ref x0, (2 * n) + p)), v, a2);
                a3 = Fma(Vector512.Create(Unsafe.Add(ref x0, (3 * n) + p)), v, a3);
                a4 = Fma(Vector512.Create(Unsafe.Add(ref x0, (4 * n) + p)), v, a4);
                a5 = Fma(Vector512.Create(Unsafe.Add(ref x0, (5 * n) + p)), v, a5);
                a6 = Fma(Vector512.Create(Unsafe.Add(ref x0, (6 * n) + p)), v, a6);
                a7 = Fma(Vector512.Create(Unsafe.Add(ref x0, (7 * n) + p)), v, a7);
            }

            StoreNarrowRow(a0, ref zr, i, k, rowEnd);
            StoreNarrowRow(a1, ref zr, i + 1, k, rowEnd);
            StoreNarrowRow(a2, ref zr, i + 2, k, rowEnd);
            StoreNarrowRow(a3, ref zr, i + 3, k, rowEnd);
            StoreNarrowRow(a4, ref zr, i + 4, k, rowEnd);
            StoreNarrowRow(a5, ref zr, i + 5, k, rowEnd);
            StoreNarrowRow(a6, ref zr, i + 6, k, rowEnd);
            StoreNarrowRow(a7, ref zr, i + 7, k, rowEnd);
        }

        // The last rows one at a time: the same chain for each.
        for (; i < rowEnd; i++)
        {
            ref T x0 = ref Unsafe.Add(ref xr, i * n);
            Vector512<T> a0 = bv;
            for (int p = 0; p < n; p++)
            {
                a0 = Fma(Vector512.Create(Unsafe.Add(ref x0, p)), Vector512.LoadUnsafe(ref wtr, (nuint)(p * lanes)), a0);
            }

            StoreNarrowRow(a0, ref zr, i, k, rowEnd);
        }
    }

    // Row i's k results. A whole vector is stored where its lanes past k land on rows i + 1.. of
    // the range, which are stored after it (rows go in order); near the range's end, where they
    // would land on rows another thread writes, only the k values.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreNarrowRow<T>(Vector512<T> a, ref T zr, int i, int k, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if ((i * k) + Vector512<T>.Count <= rowEnd * k)
        {
            a.StoreUnsafe(ref zr, (nuint)(i * k));
            return;
        }

        for (int j = 0; j < k; j++)
        {
            Unsafe.Add(ref zr, (i * k) + j) = a.GetElement(j);
        }
    }
}

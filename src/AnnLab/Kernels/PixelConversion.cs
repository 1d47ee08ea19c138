using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AnnLab.Kernels;

/// <summary>Bytes 0..255 to floats x / 255, 16 pixels at a time with AVX-512 (each byte zero-extended to an int by one instruction), else 64 or 32 by widening.</summary>
public static class PixelConversion
{
    /// <summary>destination[i] = source[i] / 255f, bit-identical to the scalar float division (and to NumPy's float32(x) / 255).</summary>
    /// <exception cref="ArgumentException">destination is shorter than source.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToSingle(ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"destination holds {destination.Length} values, source has {source.Length}", nameof(destination));
        }

        int i = 0, length = source.Length;
        ref byte s = ref MemoryMarshal.GetReference(source);
        ref float d = ref MemoryMarshal.GetReference(destination);
        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated && length >= 64)
        {
            // 16 pixels a step, each zero-extended from its byte to an int by one instruction
            // (vpmovzxbd from memory) instead of the two widening shuffles of Vector512.Widen; a
            // last partial step is redone over the final 16. The same x / 255 as below.
            // The loop's only carried dependency is i += 16: the last step's start is clamped once,
            // after it, not on every pass (a clamp inside made the loop wait on it, 3 cycles a step).
            Vector512<float> scale = Vector512.Create(255f), inverse = Vector512.Create(1f / 255f);
            for (; i + 16 <= length; i += 16)
            {
                Vector512<int> pixels = Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref s, (nuint)i));
                DivideBy255(Avx512F.ConvertToVector512Single(pixels), scale, inverse).StoreUnsafe(ref d, (nuint)i);
            }

            if (i < length)
            {
                i = length - 16;
                Vector512<int> pixels = Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref s, (nuint)i));
                DivideBy255(Avx512F.ConvertToVector512Single(pixels), scale, inverse).StoreUnsafe(ref d, (nuint)i);
                i = length;
            }
        }
        else if (Vector512.IsHardwareAccelerated && length >= 64)
        {
            // 64 pixels a step; a last partial step is redone over the final 64 (the same values
            // again for the overlap), so an image of any size past 64 pixels takes no scalar tail.
            Vector512<float> scale = Vector512.Create(255f), inverse = Vector512.Create(1f / 255f);
            while (i < length)
            {
                i = Math.Min(i, length - 64);
                (Vector512<ushort> lo, Vector512<ushort> hi) = Vector512.Widen(Vector512.LoadUnsafe(ref s, (nuint)i));
                (Vector512<uint> a, Vector512<uint> b) = Vector512.Widen(lo);
                (Vector512<uint> c, Vector512<uint> e) = Vector512.Widen(hi);
                DivideBy255(Vector512.ConvertToSingle(a.AsInt32()), scale, inverse).StoreUnsafe(ref d, (nuint)i);
                DivideBy255(Vector512.ConvertToSingle(b.AsInt32()), scale, inverse).StoreUnsafe(ref d, (nuint)(i + 16));
                DivideBy255(Vector512.ConvertToSingle(c.AsInt32()), scale, inverse).StoreUnsafe(ref d, (nuint)(i + 32));
                DivideBy255(Vector512.ConvertToSingle(e.AsInt32()), scale, inverse).StoreUnsafe(ref d, (nuint)(i + 48));
                i += 64;
            }
        }
        else if (Vector256.IsHardwareAccelerated && length >= 32)
        {
            Vector256<float> scale = Vector256.Create(255f), inverse = Vector256.Create(1f / 255f);
            while (i < length)
            {
                i = Math.Min(i, length - 32);
                (Vector256<ushort> lo, Vector256<ushort> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref s, (nuint)i));
                (Vector256<uint> a, Vector256<uint> b) = Vector256.Widen(lo);
                (Vector256<uint> c, Vector256<uint> e) = Vector256.Widen(hi);
                DivideBy255(Vector256.ConvertToSingle(a.AsInt32()), scale, inverse).StoreUnsafe(ref d, (nuint)i);
                DivideBy255(Vector256.ConvertToSingle(b.AsInt32()), scale, inverse).StoreUnsafe(ref d, (nuint)(i + 8));
                DivideBy255(Vector256.ConvertToSingle(c.AsInt32()), scale, inverse).StoreUnsafe(ref d, (nuint)(i + 16));
                DivideBy255(Vector256.ConvertToSingle(e.AsInt32()), scale, inverse).StoreUnsafe(ref d, (nuint)(i + 24));
                i += 32;
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = source[i] / 255f;
        }
    }

    // x / 255 correctly rounded without a division (a vector division costs several times a
    // multiply-add): q = x * (1/255), then one Newton correction with the exact residual
    // x - 255 q (Markstein, IBM J. Res. Dev. 34(1), 1990). For the 256 byte values it equals the
    // division bit for bit; PixelConversionTests checks every one.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> DivideBy255(Vector512<float> x, Vector512<float> scale, Vector512<float> inverse)
    {
        Vector512<float> q = x * inverse;
        Vector512<float> residual = Vector512.FusedMultiplyAdd(-q, scale, x);
        return Vector512.FusedMultiplyAdd(residual, inverse, q);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> DivideBy255(Vector256<float> x, Vector256<float> scale, Vector256<float> inverse)
    {
        Vector256<float> q = x * inverse;
        Vector256<float> residual = Vector256.FusedMultiplyAdd(-q, scale, x);
        return Vector256.FusedMultiplyAdd(residual, inverse, q);
    }
}

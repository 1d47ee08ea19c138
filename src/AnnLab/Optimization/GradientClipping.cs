using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AnnLab.Optimization;

/// <summary>Gradient clipping by the global L2 norm (Pascanu, Mikolov and Bengio, ICML 2013, Algorithm 1).</summary>
public static class GradientClipping
{
    // PyTorch's clip_grad_norm_ adds this to the norm, so the clipped norm ends just below maxNorm.
    private const double NormEpsilon = 1e-6;

    /// <summary>
    /// Scales <paramref name="gradient"/> in place by maxNorm / (||g||_2 + 1e-6) when ||g||_2 &gt; maxNorm,
    /// and leaves it alone otherwise (PyTorch's <c>torch.nn.utils.clip_grad_norm_</c> with norm_type 2).
    /// </summary>
    /// <param name="gradient">Length n: the whole flat gradient (all layers' weights and biases together, hence "global").</param>
    /// <param name="maxNorm">The largest L2 norm let through, &gt; 0; positive infinity only measures.</param>
    /// <returns>
    /// ||g||_2 before clipping, summed in <see cref="double"/> (so it does not overflow where a float sum
    /// of squares would). When it is not finite (an infinite or NaN gradient) the gradient is left as it
    /// is, where PyTorch would turn it into NaNs or zeros, so the caller can see the divergence and stop.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not &gt; 0.</exception>
    /// <remarks>
    /// PyTorch multiplies by min(1, maxNorm / (norm + 1e-6)) always, so a norm within 1e-6 below maxNorm
    /// is scaled (by at most 1 - 1e-6 / maxNorm) there and not here.
    /// </remarks>
    public static double ClipByNorm(Span<float> gradient, double maxNorm)
    {
        if (!(maxNorm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "Must be > 0.");
        }

        double norm = Math.Sqrt(SumOfSquares(gradient));
        if (norm > maxNorm && double.IsFinite(norm))
        {
            TensorPrimitives.Multiply(gradient, (float)(maxNorm / (norm + NormEpsilon)), gradient);
        }

        return norm;
    }

    /// <summary>Sum of v[i]^2 in <see cref="double"/>: Vector256 widening from float when accelerated, else <see cref="SumOfSquaresReference"/>.</summary>
    internal static double SumOfSquares(ReadOnlySpan<float> v)
    {
        if (!Vector256.IsHardwareAccelerated || v.Length < Vector256<float>.Count)
        {
            return SumOfSquaresReference(v);
        }

        ref float start = ref MemoryMarshal.GetReference(v);
        Vector256<double> sum0 = Vector256<double>.Zero;
        Vector256<double> sum1 = Vector256<double>.Zero;
        int i = 0;
        for (; i <= v.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(Vector256.LoadUnsafe(ref start, (nuint)i));
            sum0 += lower * lower;
            sum1 += upper * upper;
        }

        double sum = Vector256.Sum(sum0 + sum1);
        for (; i < v.Length; i++)
        {
            double x = Unsafe.Add(ref start, i);
            sum += x * x;
        }

        return sum;
    }

    /// <summary>The scalar reference of <see cref="SumOfSquares"/>.</summary>
    internal static double SumOfSquaresReference(ReadOnlySpan<float> v)
    {
        double sum = 0;
        foreach (float f in v)
        {
            sum += (double)f * f;
        }

        return sum;
    }
}

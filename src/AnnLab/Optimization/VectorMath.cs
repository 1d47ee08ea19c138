using System.Numerics;
using System.Numerics.Tensors;

namespace AnnLab.Optimization;

/// <summary>The reductions the full-batch optimizers share, taken in double whatever T is.</summary>
internal static class VectorMath
{
    /// <summary>Sum of a[i] b[i], accumulated in double.</summary>
    public static double Dot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += double.CreateTruncating(a[i]) * double.CreateTruncating(b[i]);
        }

        return sum;
    }

    /// <summary>max |v[i]|, NaN if any element is NaN, 0 for an empty vector.</summary>
    public static double MaxAbs<T>(ReadOnlySpan<T> v)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        v.IsEmpty ? 0 : double.CreateTruncating(T.Abs(TensorPrimitives.MaxMagnitude(v)));
}

using System.Numerics;

namespace AnnLab.Kernels;

// The plain scalar references of the three products: the definitions the fast kernels are tested against.
public static partial class MatrixKernels
{
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
}

using AnnLab.Optimization;

namespace AnnLab.Tests.Optimization;

/// <summary>The problems the full-batch optimizers are tested on, with independent solutions.</summary>
internal static class TestProblems
{
    /// <summary>Size of <see cref="Quadratic"/>.</summary>
    public const int QuadraticSize = 10;

    // f = 100 (x1 - x0^2)^2 + (1 - x0)^2, minimum 0 at (1, 1).
    internal static double Rosenbrock(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double r = x[1] - x[0] * x[0];
        gradient[0] = -400 * x[0] * r - 2 * (1 - x[0]);
        gradient[1] = 200 * r;
        return 100 * r * r + (1 - x[0]) * (1 - x[0]);
    }

    // A = H D H, H = I - 2 v v' / v'v with v = (1, 2, ..., n), D = diag(1, 2, ..., n); b = (1, -2, 3, -4, ...).
    internal static (double[,] A, double[] B) Quadratic()
    {
        const int n = QuadraticSize;
        double vv = 0;
        for (int i = 0; i < n; i++)
        {
            vv += (i + 1.0) * (i + 1.0);
        }

        double H(int i, int j) => (i == j ? 1 : 0) - 2 * (i + 1.0) * (j + 1.0) / vv;
        var a = new double[n, n];
        var b = new double[n];
        for (int i = 0; i < n; i++)
        {
            b[i] = (i % 2 == 0 ? 1 : -1) * (i + 1.0);
            for (int j = 0; j < n; j++)
            {
                for (int k = 0; k < n; k++)
                {
                    a[i, j] += H(i, k) * (k + 1.0) * H(k, j);
                }
            }
        }

        return (a, b);
    }

    // f = x'Ax / 2 - b'x, gradient Ax - b.
    internal static CostFunction<double> QuadraticCost(double[,] a, double[] b) => (x, gradient) =>
    {
        double cost = 0;
        for (int i = 0; i < b.Length; i++)
        {
            double ax = 0;
            for (int j = 0; j < b.Length; j++)
            {
                ax += a[i, j] * x[j];
            }

            gradient[i] = ax - b[i];
            cost += 0.5 * x[i] * ax - b[i] * x[i];
        }

        return cost;
    };

    // Gaussian elimination with partial pivoting, independent of the optimizer.
    internal static double[] SolveByGaussianElimination(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var y = (double[])b.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int row = col + 1; row < n; row++)
            {
                if (Math.Abs(m[row, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = row;
                }
            }

            for (int k = 0; k < n; k++)
            {
                (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
            }

            (y[col], y[pivot]) = (y[pivot], y[col]);
            for (int row = col + 1; row < n; row++)
            {
                double factor = m[row, col] / m[col, col];
                for (int k = col; k < n; k++)
                {
                    m[row, k] -= factor * m[col, k];
                }

                y[row] -= factor * y[col];
            }
        }

        var x = new double[n];
        for (int row = n - 1; row >= 0; row--)
        {
            double sum = y[row];
            for (int k = row + 1; k < n; k++)
            {
                sum -= m[row, k] * x[k];
            }

            x[row] = sum / m[row, row];
        }

        return x;
    }
}

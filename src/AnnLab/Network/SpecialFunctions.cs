using System.Numerics;

namespace AnnLab.Network;

/// <summary>
/// The few special functions the activations need and .NET lacks or computes inaccurately:
/// the error function (no <c>Math.Erf</c>), and log(1 + x) and e^x - 1 for small x
/// (<c>double.LogP1</c> and <c>double.ExpM1</c> are <c>Log(1 + x)</c> and <c>Exp(x) - 1</c>,
/// which lose every digit of a tiny x).
/// </summary>
public static class SpecialFunctions
{
    /// <summary>1 / sqrt(pi).</summary>
    private const double InverseSqrtPi = 0.56418958354775628695;

    // W. J. Cody's coefficients (Math. Comp. 23, 1969; SPECFUN CALERF, 1990 revision).
    // erf(x) = x P(x^2) / Q(x^2) for |x| <= 0.46875.
    private static readonly double[] A = [3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03, 1.85777706184603153e-1];
    private static readonly double[] B = [2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03];

    // erfc(x) = e^(-x^2) P(x) / Q(x) for 0.46875 < x <= 4.
    private static readonly double[] C =
    [
        5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02,
        8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
        2.15311535474403846e-8,
    ];

    private static readonly double[] D =
    [
        1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03,
        3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03,
    ];

    // erfc(x) = e^(-x^2) / x (1/sqrt(pi) + P(1/x^2) / (x^2 Q(1/x^2))) for x > 4.
    private static readonly double[] P = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2];
    private static readonly double[] Q = [2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3];

    /// <summary>
    /// The error function erf(x) = 2 / sqrt(pi) * integral from 0 to x of e^(-t^2) dt.
    /// </summary>
    /// <remarks>
    /// W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23
    /// (1969) 631-638, as in his SPECFUN routine CALERF: near-minimax rational functions on
    /// |x| &lt;= 0.46875, 0.46875..4 and beyond 4. Measured against mpmath at 26,000 points in
    /// -30..30: absolute error at most 2.3e-16 (1 ulp of values near 1). erf(+-inf) = +-1,
    /// erf(NaN) = NaN.
    /// </remarks>
    public static double Erf(double x)
    {
        double y = Math.Abs(x);
        if (y <= 0.46875)
        {
            return SmallErf(x);
        }

        // 1 - erfc(y) loses nothing here: erfc(y) < 0.51.
        double erf = 0.5 - ErfcAbove(y) + 0.5;
        return x < 0 ? -erf : erf;
    }

    /// <summary>The complementary error function erfc(x) = 1 - erf(x), with full relative accuracy for large x.</summary>
    /// <remarks>
    /// Cody's approximations, as <see cref="Erf"/>. Relative error below 1e-15 (measured against
    /// mpmath as for <see cref="Erf"/>); erfc(x) underflows to 0
    /// beyond x = 26.55. erfc(-inf) = 2, erfc(inf) = 0, erfc(NaN) = NaN.
    /// </remarks>
    public static double Erfc(double x)
    {
        double y = Math.Abs(x);
        if (y <= 0.46875)
        {
            return 1.0 - SmallErf(x);
        }

        double erfc = ErfcAbove(y);
        return x < 0 ? 2.0 - erfc : erfc;
    }

    /// <summary>The standard normal distribution function Phi(x) = (1 + erf(x / sqrt 2)) / 2, computed as erfc(-x / sqrt 2) / 2 so the left tail keeps its relative accuracy.</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x * (1.0 / Math.Sqrt(2.0)));

    /// <summary>The standard normal density phi(x) = e^(-x^2 / 2) / sqrt(2 pi).</summary>
    public static double NormalPdf(double x) => Math.Exp(-0.5 * x * x) * (1.0 / Math.Sqrt(2.0 * Math.PI));

    /// <summary>log(1 + x), accurate for small |x| too (x &gt;= -1).</summary>
    /// <remarks>
    /// With u = fl(1 + x), log(u) * x / (u - 1) cancels the rounding of 1 + x: D. Goldberg, "What every
    /// computer scientist should know about floating-point arithmetic", ACM Computing Surveys 23
    /// (1991), Theorem 4 (a trick of W. Kahan's HP-15C). Error a few ulps.
    /// </remarks>
    public static T Log1P<T>(T x) where T : IFloatingPointIeee754<T>
    {
        T u = T.One + x;
        if (u == T.One)
        {
            return x;
        }

        return T.IsPositiveInfinity(u) ? u : T.Log(u) * x / (u - T.One);
    }

    /// <summary>e^x - 1, accurate for small |x| too.</summary>
    /// <remarks>
    /// With u = fl(e^x), (u - 1) * x / log(u) cancels the rounding of e^x: N. J. Higham, Accuracy and
    /// Stability of Numerical Algorithms, 2nd ed. (2002), section 1.14.1 (Kahan's algorithm). Error a
    /// few ulps.
    /// </remarks>
    public static T ExpM1<T>(T x) where T : IFloatingPointIeee754<T>
    {
        T u = T.Exp(x);
        if (u == T.One)
        {
            return x;
        }

        T um1 = u - T.One;
        if (um1 == -T.One || T.IsPositiveInfinity(u))
        {
            return um1;
        }

        return um1 * x / T.Log(u);
    }

    /// <summary>erf(x) for |x| &lt;= 0.46875.</summary>
    private static double SmallErf(double x)
    {
        // Below 1.11e-16, x^2 would only risk underflow and erf(x) = 2x / sqrt(pi) to the last bit.
        double ysq = Math.Abs(x) > 1.11e-16 ? x * x : 0.0;
        double num = A[4] * ysq, den = ysq;
        for (int i = 0; i < 3; i++)
        {
            num = (num + A[i]) * ysq;
            den = (den + B[i]) * ysq;
        }

        return x * (num + A[3]) / (den + B[3]);
    }

    /// <summary>erfc(y) for y &gt; 0.46875 (or NaN).</summary>
    private static double ErfcAbove(double y)
    {
        double result;
        if (y <= 4.0)
        {
            double num = C[8] * y, den = y;
            for (int i = 0; i < 7; i++)
            {
                num = (num + C[i]) * y;
                den = (den + D[i]) * y;
            }

            result = (num + C[7]) / (den + D[7]);
        }
        else if (y >= 26.543)
        {
            // erfc underflows; also catches +inf.
            return 0.0;
        }
        else if (double.IsNaN(y))
        {
            return y;
        }
        else
        {
            double ysq = 1.0 / (y * y);
            double num = P[5] * ysq, den = ysq;
            for (int i = 0; i < 4; i++)
            {
                num = (num + P[i]) * ysq;
                den = (den + Q[i]) * ysq;
            }

            result = ysq * (num + P[4]) / (den + Q[4]);
            result = (InverseSqrtPi - result) / y;
        }

        // e^(-y^2) as e^(-r^2) e^(-(y - r)(y + r)) with r = y rounded down to 1/16: y^2 is not exact
        // in double, and its rounding error, multiplied by up to 700, would spoil the result.
        double r = Math.Truncate(y * 16.0) / 16.0;
        double del = (y - r) * (y + r);
        return Math.Exp(-r * r) * Math.Exp(-del) * result;
    }
}

using AnnLab.Optimization;

namespace AnnLab.Tests.Optimization;

public class LineSearchTests
{
    private const double C1 = 1e-4;
    private const double C2 = 0.4;

    // phi given as value and slope functions, with an optional extra acceptance test; counts calls.
    private sealed class Phi(Func<double, double> value, Func<double, double> slope, Func<double, bool>? accept = null)
        : ILineFunction
    {
        public List<double> Steps { get; } = [];

        public double Evaluate(double alpha, out double slopeAtAlpha)
        {
            Steps.Add(alpha);
            slopeAtAlpha = slope(alpha);
            return value(alpha);
        }

        public bool IsAcceptable(double alpha) => accept?.Invoke(alpha) ?? true;
    }

    public static TheoryData<string, double> Functions => new()
    {
        { "quadratic", 1 },
        { "quadratic", 10 },
        { "far quadratic", 1 },
        { "exp", 1 },
        { "exp", 0.01 },
        { "quartic", 1 },
        { "quartic", 3 },
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public void Step_satisfies_both_strong_Wolfe_conditions(string name, double initialStep)
    {
        (Func<double, double> value, Func<double, double> slope) = name switch
        {
            // (alpha - 3)^2: minimizer 3.
            "quadratic" => ((Func<double, double>)(a => (a - 3) * (a - 3)), (Func<double, double>)(a => 2 * (a - 3))),
            // (alpha - 50)^2 from step 1: the bracketing phase doubles up to 64 and zooms back.
            "far quadratic" => (a => (a - 50) * (a - 50), a => 2 * (a - 50)),
            // e^alpha - 5 alpha: minimizer ln 5.
            "exp" => (a => Math.Exp(a) - 5 * a, a => Math.Exp(a) - 5),
            // (alpha - 1)^4 - alpha: minimizer 1 + 4^(-1/3).
            "quartic" => (a => Math.Pow(a - 1, 4) - a, a => 4 * Math.Pow(a - 1, 3) - 1),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        var phi = new Phi(value, slope);
        double value0 = value(0);
        double slope0 = slope(0);

        var result = LineSearch.StrongWolfe(phi, value0, slope0, initialStep, C1, C2);

        Assert.Equal(LineSearchStatus.StrongWolfe, result.Status);
        Assert.True(result.Value <= value0 + C1 * result.Step * slope0, "sufficient decrease");
        Assert.True(Math.Abs(result.Slope) <= C2 * Math.Abs(slope0), "curvature");
        Assert.Equal(value(result.Step), result.Value);
        Assert.Equal(slope(result.Step), result.Slope);
        Assert.Equal(phi.Steps.Count, result.Evaluations);
        Assert.Equal(result.Step, phi.Steps[^1]);
    }

    [Fact]
    public void Zoom_interpolates_a_quadratic_exactly()
    {
        // phi = (alpha - 3)^2: phi(0) = 9, phi'(0) = -6, phi(10) = 49 fails sufficient decrease.
        // The quadratic through these: 9 - 6 alpha + B alpha^2 with B = (49 - 9 + 60) / 100 = 1,
        // minimizer 6 / (2 B) = 3, where phi' = 0.
        var phi = new Phi(a => (a - 3) * (a - 3), a => 2 * (a - 3));

        var result = LineSearch.StrongWolfe(phi, 9, -6, 10, C1, C2);

        Assert.Equal(LineSearchStatus.StrongWolfe, result.Status);
        Assert.Equal([10.0, 3.0], phi.Steps);
        Assert.Equal(3, result.Step, 1e-12);
        Assert.Equal(0, result.Value, 1e-12);
        Assert.Equal(2, result.Evaluations);
    }

    [Fact]
    public void A_rejected_step_makes_the_search_go_on()
    {
        // phi = (alpha - 3)^2 from 2.5: phi' = -1 meets the curvature bound 0.4 * 6 = 2.4, but the
        // extra test wants alpha >= 2.9. Doubling to 5 gives phi = 4 >= phi(2.5) = 0.25, so zoom
        // on [2.5, 5]: B = (4 - 0.25 + 2.5) / 6.25 = 1, minimizer 2.5 + 1 / 2 = 3.
        var phi = new Phi(a => (a - 3) * (a - 3), a => 2 * (a - 3), a => a >= 2.9);

        var result = LineSearch.StrongWolfe(phi, 9, -6, 2.5, C1, C2);

        Assert.Equal(LineSearchStatus.StrongWolfe, result.Status);
        Assert.Equal([2.5, 5.0, 3.0], phi.Steps);
        Assert.Equal(3, result.Step, 1e-12);
    }

    [Fact]
    public void An_uphill_function_fails_after_the_zoom_budget()
    {
        // phi = alpha, but the caller claims phi'(0) = -1: no step decreases phi.
        var phi = new Phi(a => a, _ => 1);

        var result = LineSearch.StrongWolfe(phi, 0, -1, 1, C1, C2);

        Assert.Equal(LineSearchStatus.Failed, result.Status);
        Assert.Equal(0, result.Step);
        Assert.Equal(1 + LineSearch.MaxZoomSteps, result.Evaluations);
        Assert.False(result.NonFiniteSeen);
    }

    [Fact]
    public void A_function_falling_without_end_gives_SufficientDecreaseOnly_after_the_doublings()
    {
        // phi = -alpha: slope -1 everywhere never meets the curvature bound 0.4.
        var phi = new Phi(a => -a, _ => -1);

        var result = LineSearch.StrongWolfe(phi, 0, -1, 0.5, C1, C2);

        Assert.Equal(LineSearchStatus.SufficientDecreaseOnly, result.Status);
        Assert.Equal(LineSearch.MaxBracketingSteps, result.Evaluations);
        Assert.Equal(0.5 * Math.Pow(2, LineSearch.MaxBracketingSteps - 1), result.Step);
        Assert.Equal(-result.Step, result.Value);
    }

    [Fact]
    public void A_NaN_value_counts_as_a_step_too_long()
    {
        // (alpha - 0.8)^2 for alpha <= 1, NaN beyond: the first step 4 is NaN, zoom backs off.
        var phi = new Phi(
            a => a <= 1 ? (a - 0.8) * (a - 0.8) : double.NaN,
            a => a <= 1 ? 2 * (a - 0.8) : double.NaN);

        var result = LineSearch.StrongWolfe(phi, 0.64, -1.6, 4, C1, C2);

        Assert.Equal(LineSearchStatus.StrongWolfe, result.Status);
        Assert.True(result.NonFiniteSeen);
        Assert.True(result.Step <= 1);
        Assert.True(result.Value <= 0.64 + C1 * result.Step * -1.6);
        Assert.True(Math.Abs(result.Slope) <= C2 * 1.6);
    }

    [Theory]
    [InlineData(double.NaN, -1, 1, C1, C2, "value0")]
    [InlineData(0, 0, 1, C1, C2, "slope0")]
    [InlineData(0, double.NaN, 1, C1, C2, "slope0")]
    [InlineData(0, -1, 0, C1, C2, "initialStep")]
    [InlineData(0, -1, double.PositiveInfinity, C1, C2, "initialStep")]
    [InlineData(0, -1, 1, 0, C2, "c1")]
    [InlineData(0, -1, 1, 0.5, 0.4, "c1")]
    [InlineData(0, -1, 1, C1, 1, "c2")]
    public void Arguments_out_of_range_throw(double value0, double slope0, double initialStep, double c1, double c2, string name)
    {
        var phi = new Phi(a => a, _ => 1);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LineSearch.StrongWolfe(phi, value0, slope0, initialStep, c1, c2));

        Assert.Equal(name, e.ParamName);
    }

    [Theory]
    // 1.01 * 2 * (10 - 12) / -8 = 0.505.
    [InlineData(10, 12, -8, 0.505)]
    // The expected step 1.01 * 2 * 2 / 1 exceeds 1.
    [InlineData(10, 12, -1, 1)]
    // The cost rose: the ratio is negative, use 1.
    [InlineData(12, 10, -1, 1)]
    // No change: 0, which fmin_cg treats as a line-search failure.
    [InlineData(10, 10, -1, 0)]
    [InlineData(10, 12, 0, 1)]
    public void InitialStep_follows_scipy(double value0, double previousValue, double slope0, double expected)
    {
        Assert.Equal(expected, LineSearch.InitialStep(value0, previousValue, slope0), 1e-15);
    }

    [Fact]
    public void CubicMinimizer_finds_the_local_minimum_of_a_cubic()
    {
        // f = x^3 - 3x: local minimum at 1. Points a = 0 (f 0, f' -3), b = 2 (f 2), c = 3 (f 18).
        Assert.Equal(1, LineSearch.CubicMinimizer(0, 0, -3, 2, 2, 3, 18), 1e-12);
        // Coincident b and c leave the cubic undetermined.
        Assert.True(double.IsNaN(LineSearch.CubicMinimizer(0, 0, -3, 2, 2, 2, 2)));
    }

    [Fact]
    public void QuadraticMinimizer_finds_the_vertex()
    {
        // f = 2 (x - 1.5)^2: a = 1 (f 0.5, f' -2), b = 3 (f 4.5); vertex 1.5.
        Assert.Equal(1.5, LineSearch.QuadraticMinimizer(1, 0.5, -2, 3, 4.5), 1e-12);
        // A straight line has no vertex.
        Assert.True(double.IsNaN(LineSearch.QuadraticMinimizer(0, 0, 1, 1, 1)));
    }
}

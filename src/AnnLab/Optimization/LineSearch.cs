namespace AnnLab.Optimization;

/// <summary>
/// The restriction phi(alpha) = f(x + alpha p) of a cost f to the ray from x along a search
/// direction p, as seen by <see cref="LineSearch"/>.
/// </summary>
public interface ILineFunction
{
    /// <summary>Evaluates phi at a step length.</summary>
    /// <param name="alpha">The step length, &gt; 0.</param>
    /// <param name="slope">Receives phi'(alpha) = grad f(x + alpha p) . p.</param>
    /// <returns>phi(alpha). A non-finite value or slope is read as "step too long" (for example an overflow).</returns>
    double Evaluate(double alpha, out double slope);

    /// <summary>
    /// An extra acceptance test, applied only to a step that already satisfies the strong Wolfe
    /// conditions and only right after <see cref="Evaluate"/> was called with that same step
    /// (scipy's <c>extra_condition</c>). Returning false makes the search go on.
    /// </summary>
    /// <param name="alpha">The step length that was just evaluated.</param>
    /// <returns>True to accept the step.</returns>
    bool IsAcceptable(double alpha) => true;
}

/// <summary>How a <see cref="LineSearch.StrongWolfe"/> search ended.</summary>
public enum LineSearchStatus
{
    /// <summary>The step satisfies both strong Wolfe conditions and <see cref="ILineFunction.IsAcceptable"/>.</summary>
    StrongWolfe,

    /// <summary>
    /// The bracketing phase doubled the step <see cref="LineSearch.MaxBracketingSteps"/> times and phi was
    /// still falling steeply; the last step satisfies sufficient decrease only (what scipy accepts too).
    /// </summary>
    SufficientDecreaseOnly,

    /// <summary>No acceptable step was found; <see cref="LineSearchResult.Step"/> is 0.</summary>
    Failed,
}

/// <summary>The outcome of a line search.</summary>
/// <param name="Status">How the search ended.</param>
/// <param name="Step">The accepted step length alpha; 0 when <paramref name="Status"/> is <see cref="LineSearchStatus.Failed"/>.</param>
/// <param name="Value">phi(<paramref name="Step"/>).</param>
/// <param name="Slope">phi'(<paramref name="Step"/>).</param>
/// <param name="Evaluations">How many times phi was evaluated.</param>
/// <param name="NonFiniteSeen">Whether some evaluation returned a non-finite value or slope.</param>
public readonly record struct LineSearchResult(
    LineSearchStatus Status, double Step, double Value, double Slope, int Evaluations, bool NonFiniteSeen);

/// <summary>
/// A line search for a step length that satisfies the strong Wolfe conditions
/// phi(alpha) &lt;= phi(0) + c1 alpha phi'(0) and |phi'(alpha)| &lt;= c2 |phi'(0)|.
/// </summary>
/// <remarks>
/// Nocedal and Wright, Numerical Optimization, 2nd ed., Algorithm 3.5 (bracketing by doubling the
/// step) and Algorithm 3.6 (zoom, with cubic and quadratic interpolation safeguarded by bisection),
/// following scipy.optimize's <c>scalar_search_wolfe2</c> and <c>_zoom</c> step for step. Two
/// differences from scipy: a non-finite value or slope counts as a step that is too long (so the
/// search backtracks out of an overflow), and when the bracketing phase runs out of doublings the
/// last step it checked is returned, where scipy returns one more doubled step without checking it.
/// An accepted step is always the one most recently passed to <see cref="ILineFunction.Evaluate"/>,
/// so a caller may keep the state of its last evaluation (the trial point and its gradient).
/// </remarks>
public static class LineSearch
{
    /// <summary>Most steps the bracketing phase evaluates (scipy's <c>maxiter</c> = 10).</summary>
    public const int MaxBracketingSteps = 10;

    /// <summary>Most steps the zoom phase evaluates (scipy stops when its counter exceeds 10).</summary>
    public const int MaxZoomSteps = 11;

    // Zoom rejects an interpolated step closer than these fractions of the interval to an end (scipy's delta1, delta2).
    private const double CubicMargin = 0.2;
    private const double QuadraticMargin = 0.1;

    /// <summary>
    /// The first trial step scipy uses: min(1, 1.01 * 2 (phi(0) - previousValue) / phi'(0)), which
    /// assumes the last decrease will repeat (Nocedal and Wright eq. 3.60); 1 when that is
    /// negative, undefined, or phi'(0) is 0.
    /// </summary>
    /// <param name="value0">phi(0), the current cost.</param>
    /// <param name="previousValue">The cost before the previous step (scipy's <c>old_old_fval</c>).</param>
    /// <param name="slope0">phi'(0).</param>
    /// <returns>The initial step, in [0, 1]. It is 0 when the previous step did not change the cost, which scipy treats as a failure due to rounding.</returns>
    public static double InitialStep(double value0, double previousValue, double slope0)
    {
        if (slope0 == 0)
        {
            return 1;
        }

        double step = 1.01 * 2 * (value0 - previousValue) / slope0;
        return double.IsNaN(step) || step < 0 ? 1 : Math.Min(1, step);
    }

    /// <summary>Searches for a step that satisfies the strong Wolfe conditions.</summary>
    /// <param name="phi">The function along the search direction.</param>
    /// <param name="value0">phi(0); finite.</param>
    /// <param name="slope0">phi'(0); finite and negative (a descent direction).</param>
    /// <param name="initialStep">The first step to try; finite and positive (see <see cref="InitialStep"/>).</param>
    /// <param name="c1">Sufficient decrease constant, 0 &lt; c1 &lt; c2 (scipy: 1e-4).</param>
    /// <param name="c2">Curvature constant, c1 &lt; c2 &lt; 1 (scipy: 0.9, and 0.4 inside fmin_cg).</param>
    /// <returns>The step found, or a result with status <see cref="LineSearchStatus.Failed"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range stated for it.</exception>
    public static LineSearchResult StrongWolfe(
        ILineFunction phi, double value0, double slope0, double initialStep, double c1, double c2)
    {
        ArgumentNullException.ThrowIfNull(phi);
        if (!double.IsFinite(value0))
        {
            throw new ArgumentOutOfRangeException(nameof(value0), value0, "phi(0) must be finite.");
        }

        if (!(slope0 < 0) || !double.IsFinite(slope0))
        {
            throw new ArgumentOutOfRangeException(nameof(slope0), slope0, "phi'(0) must be finite and negative.");
        }

        if (!(initialStep > 0) || !double.IsFinite(initialStep))
        {
            throw new ArgumentOutOfRangeException(nameof(initialStep), initialStep, "The initial step must be finite and positive.");
        }

        if (!(c1 > 0) || !(c1 < c2))
        {
            throw new ArgumentOutOfRangeException(nameof(c1), c1, "Need 0 < c1 < c2.");
        }

        if (!(c2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(c2), c2, "Need c1 < c2 < 1.");
        }

        var search = new Search(phi, value0, slope0, c1, c2);
        return search.Bracket(initialStep);
    }

    // Holds the constants of one search and counts evaluations.
    private struct Search(ILineFunction phi, double value0, double slope0, double c1, double c2)
    {
        private int _evaluations;
        private bool _nonFiniteSeen;

        // Algorithm 3.5: grow the step until it overshoots (then zoom) or satisfies strong Wolfe.
        public LineSearchResult Bracket(double step)
        {
            double previousStep = 0;
            double previousValue = value0;
            double previousSlope = slope0;
            for (int i = 0; ; i++)
            {
                bool finite = Evaluate(step, out double value, out double slope);
                if (!finite || value > value0 + c1 * step * slope0 || (i > 0 && value >= previousValue))
                {
                    return Zoom(previousStep, step, previousValue, value, previousSlope);
                }

                if (Math.Abs(slope) <= -c2 * slope0 && phi.IsAcceptable(step))
                {
                    return Found(LineSearchStatus.StrongWolfe, step, value, slope);
                }

                if (slope >= 0)
                {
                    return Zoom(step, previousStep, value, previousValue, slope);
                }

                if (i == MaxBracketingSteps - 1)
                {
                    return Found(LineSearchStatus.SufficientDecreaseOnly, step, value, slope);
                }

                previousStep = step;
                previousValue = value;
                previousSlope = slope;
                step *= 2;
            }
        }

        // Algorithm 3.6. lo is the best step so far that satisfies sufficient decrease; the minimizer
        // of phi lies between lo and hi (hi may be below lo). Trial steps come from a cubic through
        // lo, hi and the previous hi (rec), else a quadratic through lo and hi, else bisection.
        private LineSearchResult Zoom(double lo, double hi, double valueLo, double valueHi, double slopeLo)
        {
            double rec = 0;
            double valueRec = value0;
            for (int i = 0; i < MaxZoomSteps; i++)
            {
                double width = hi - lo;
                double a = Math.Min(lo, hi);
                double b = Math.Max(lo, hi);
                double step = double.NaN;
                if (i > 0)
                {
                    double margin = CubicMargin * width;
                    step = CubicMinimizer(lo, valueLo, slopeLo, hi, valueHi, rec, valueRec);
                    if (step > b - margin || step < a + margin)
                    {
                        step = double.NaN;
                    }
                }

                if (double.IsNaN(step))
                {
                    double margin = QuadraticMargin * width;
                    step = QuadraticMinimizer(lo, valueLo, slopeLo, hi, valueHi);
                    if (double.IsNaN(step) || step > b - margin || step < a + margin)
                    {
                        step = lo + 0.5 * width;
                    }
                }

                bool finite = Evaluate(step, out double value, out double slope);
                if (!finite || value > value0 + c1 * step * slope0 || value >= valueLo)
                {
                    rec = hi;
                    valueRec = valueHi;
                    hi = step;
                    valueHi = value;
                    continue;
                }

                if (Math.Abs(slope) <= -c2 * slope0 && phi.IsAcceptable(step))
                {
                    return Found(LineSearchStatus.StrongWolfe, step, value, slope);
                }

                if (slope * (hi - lo) >= 0)
                {
                    rec = hi;
                    valueRec = valueHi;
                    hi = lo;
                    valueHi = valueLo;
                }
                else
                {
                    rec = lo;
                    valueRec = valueLo;
                }

                lo = step;
                valueLo = value;
                slopeLo = slope;
            }

            return new LineSearchResult(LineSearchStatus.Failed, 0, value0, slope0, _evaluations, _nonFiniteSeen);
        }

        private bool Evaluate(double step, out double value, out double slope)
        {
            value = phi.Evaluate(step, out slope);
            _evaluations++;
            bool finite = double.IsFinite(value) && double.IsFinite(slope);
            _nonFiniteSeen |= !finite;
            return finite;
        }

        private readonly LineSearchResult Found(LineSearchStatus status, double step, double value, double slope) =>
            new(status, step, value, slope, _evaluations, _nonFiniteSeen);
    }

    /// <summary>
    /// The minimizer of the cubic through (a, fa), (b, fb) and (c, fc) with slope fpa at a
    /// (scipy's <c>_cubicmin</c>); NaN when it has none or it is not finite.
    /// </summary>
    internal static double CubicMinimizer(double a, double fa, double fpa, double b, double fb, double c, double fc)
    {
        // f(x) = A (x - a)^3 + B (x - a)^2 + C (x - a) + D, with C = fpa and D = fa.
        double db = b - a;
        double dc = c - a;
        double denominator = db * db * dc * dc * (db - dc);
        double rb = fb - fa - fpa * db;
        double rc = fc - fa - fpa * dc;
        double cubic = (dc * dc * rb - db * db * rc) / denominator;
        double quadratic = (-dc * dc * dc * rb + db * db * db * rc) / denominator;
        double radical = quadratic * quadratic - 3 * cubic * fpa;
        double minimizer = a + (-quadratic + Math.Sqrt(radical)) / (3 * cubic);
        return double.IsFinite(minimizer) ? minimizer : double.NaN;
    }

    /// <summary>
    /// The minimizer of the quadratic through (a, fa) and (b, fb) with slope fpa at a
    /// (scipy's <c>_quadmin</c>); NaN when it is not finite.
    /// </summary>
    internal static double QuadraticMinimizer(double a, double fa, double fpa, double b, double fb)
    {
        // f(x) = B (x - a)^2 + C (x - a) + D, with C = fpa and D = fa.
        double db = b - a;
        double curvature = (fb - fa - fpa * db) / (db * db);
        double minimizer = a - fpa / (2 * curvature);
        return double.IsFinite(minimizer) ? minimizer : double.NaN;
    }
}

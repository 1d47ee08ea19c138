using System.Numerics;
using System.Numerics.Tensors;

namespace AnnLab.Optimization;

/// <summary>Settings of <see cref="ConjugateGradient.Minimize"/>; the defaults are those of scipy's fmin_cg.</summary>
public sealed record ConjugateGradientOptions
{
    /// <summary>Most iterations (line searches), &gt;= 0. scipy's default is 200 per parameter; this one is a flat 200.</summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>Stop when the max-abs (infinity) norm of the gradient is at or below this, &gt;= 0 (scipy's gtol with norm=inf).</summary>
    public double GradientTolerance { get; init; } = 1e-5;

    /// <summary>Sufficient decrease constant c1 of the strong Wolfe conditions, 0 &lt; c1 &lt; c2.</summary>
    public double C1 { get; init; } = 1e-4;

    /// <summary>Curvature constant c2 of the strong Wolfe conditions, c1 &lt; c2 &lt; 1; fmin_cg uses 0.4 (less than 1/2, as Nocedal and Wright ask of nonlinear CG).</summary>
    public double C2 { get; init; } = 0.4;

    /// <summary>Checks every setting against the range stated for it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxIterations);
        if (!(GradientTolerance >= 0) || !double.IsFinite(GradientTolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(GradientTolerance), GradientTolerance, "Must be finite and >= 0.");
        }

        if (!(C1 > 0) || !(C1 < C2))
        {
            throw new ArgumentOutOfRangeException(nameof(C1), C1, "Need 0 < C1 < C2.");
        }

        if (!(C2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(C2), C2, "Need C1 < C2 < 1.");
        }
    }
}

/// <summary>The outcome of <see cref="ConjugateGradient.Minimize"/>.</summary>
/// <param name="Status">Why the minimization stopped.</param>
/// <param name="Iterations">Completed iterations (accepted line-search steps).</param>
/// <param name="FunctionEvaluations">Calls of the cost function, the one at the start included.</param>
/// <param name="Cost">The cost at the returned point.</param>
/// <param name="GradientNorm">The max-abs norm of the gradient at the returned point.</param>
public sealed record ConjugateGradientResult(
    OptimizerStatus Status, int Iterations, int FunctionEvaluations, double Cost, double GradientNorm);

/// <summary>
/// Nonlinear conjugate gradient with Polak-Ribiere+ directions and a strong Wolfe line search, for
/// full-batch minimization of a smooth cost (the lab's "fmincg" training on the unrolled weights).
/// </summary>
/// <remarks>
/// <para>
/// Follows scipy.optimize.fmin_cg (<c>_minimize_cg</c>): direction p = -g + beta p with
/// beta = max(0, g_new . (g_new - g) / g . g) (Nocedal and Wright, Numerical Optimization, 2nd ed.,
/// section 5.2, eq. 5.45), so a negative beta restarts with steepest descent; a step is only
/// accepted when the new direction is a sufficient descent direction, p . g_new &lt;= -0.01 g_new . g_new
/// (Gilbert and Nocedal, SIAM J. Optim. 2, 1992), or when the new gradient already converged. The line
/// search is <see cref="LineSearch.StrongWolfe"/> with c1 = 1e-4, c2 = 0.4; its first step is
/// <see cref="LineSearch.InitialStep"/>, with the previous cost taken as f0 + ||g0||_2 / 2 on the
/// first iteration so that the first step moves x by about 1.
/// </para>
/// <para>
/// Differences from scipy: scipy tries MINPACK's dcsrch first and falls back to this search, so
/// iteration counts differ (Rosenbrock from (-1.2, 1): 26 iterations here and on scipy's fallback
/// path, 36 with dcsrch; this search matches the fallback path to rounding); convergence is reported even when it happens on the last allowed
/// iteration (scipy reports the iteration limit); on a failed line search the best point evaluated
/// is returned, where scipy returns the last iterate; see also the differences listed on
/// <see cref="LineSearch"/>.
/// </para>
/// <para>
/// Scalars and dot products are in <see cref="double"/> for either element type. Work vectors are
/// allocated once per call; an iteration allocates nothing. There is no randomness.
/// </para>
/// </remarks>
public static class ConjugateGradient
{
    // scipy's sigma_3: the sufficient descent constant for the Polak-Ribiere+ direction.
    private const double DescentConstant = 0.01;

    /// <summary>Minimizes <paramref name="f"/> starting at <paramref name="x"/>, in place.</summary>
    /// <typeparam name="T">Element type of the parameters: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="f">The cost and its gradient.</param>
    /// <param name="x">Length n: the start on entry, the result on return.</param>
    /// <param name="options">Stopping rule and line-search constants.</param>
    /// <param name="onIteration">Called after every iteration with the iteration number (from 1), the cost, the gradient's max-abs norm and the current point; may be null.</param>
    /// <param name="ct">Checked before every iteration; on cancellation <paramref name="x"/> holds the current iterate.</param>
    /// <param name="state">Null; or an empty state, kept current after the start and after every iteration
    /// (before <paramref name="onIteration"/>), for a checkpoint; or a started one (from a checkpoint),
    /// resumed from: the run then goes on exactly as the one that saved it, and <paramref name="x"/>'s values are not read.</param>
    /// <returns>The status, counts and the cost and gradient norm at the returned point.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="ConjugateGradientOptions.Validate"/>).</exception>
    /// <exception cref="ArgumentException">The state to resume is of another length than <paramref name="x"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public static ConjugateGradientResult Minimize<T>(
        CostFunction<T> f,
        Span<T> x,
        ConjugateGradientOptions options,
        IterationCallback<T>? onIteration = null,
        FullBatchState<T>? state = null,
        CancellationToken ct = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var line = new Line<T>(f, x, options.GradientTolerance);
        double cost, gradientNorm, previousCost;
        int iteration = 0;
        if (state is { IsStarted: true })
        {
            state.CheckFor(x.Length, 0);
            line.Restore(state);
            (iteration, cost, previousCost, gradientNorm) = (state.Iteration, state.Cost, state.PreviousCost, state.GradientNorm);
        }
        else
        {
            if (!line.Start(out cost, out gradientNorm))
            {
                return new ConjugateGradientResult(OptimizerStatus.Diverged, 0, 1, cost, gradientNorm);
            }

            // scipy: "Sets the initial step guess to dx ~ 1".
            previousCost = cost + Math.Sqrt(VectorMath.Dot<T>(line.G, line.G)) / 2;
            TensorPrimitives.Negate<T>(line.G, line.P);
            Capture(line, state, iteration, cost, previousCost, gradientNorm);
        }

        OptimizerStatus status;
        while (true)
        {
            if (line.StopBefore(iteration, gradientNorm, options.GradientTolerance, options.MaxIterations, x, ct) is { } stop)
            {
                status = stop;
                break;
            }

            line.GradientSquaredNorm = VectorMath.Dot<T>(line.G, line.G);
            double slope0 = VectorMath.Dot<T>(line.G, line.P);
            double step = LineSearch.InitialStep(cost, previousCost, slope0);
            // A zero step means the last step left the cost unchanged (scipy: rounding errors);
            // a non-negative slope can only come from a gradient that underflows.
            LineSearchResult search = step > 0 && slope0 < 0
                ? LineSearch.StrongWolfe(line, cost, slope0, step, options.C1, options.C2)
                : new LineSearchResult(LineSearchStatus.Failed, 0, cost, slope0, 0, false);
            if (search.Status == LineSearchStatus.Failed)
            {
                status = search.NonFiniteSeen ? OptimizerStatus.Diverged : OptimizerStatus.LineSearchFailed;
                break;
            }

            // The accepted step is the last one evaluated: XTrial and GTrial hold the new point. The
            // new direction is a sufficient descent direction: IsAcceptable checked it, or, for a
            // SufficientDecreaseOnly step, p . g_new < 0 and beta >= 0 give p_new . g_new <= -g_new . g_new.
            double beta = line.PolakRibiereBeta();
            TensorPrimitives.Multiply<T>(line.P, T.CreateTruncating(beta), line.P);
            TensorPrimitives.Subtract<T>(line.P, line.GTrial, line.P);

            line.AcceptTrial();
            previousCost = cost;
            cost = search.Value;
            gradientNorm = VectorMath.MaxAbs<T>(line.G);
            iteration++;
            Capture(line, state, iteration, cost, previousCost, gradientNorm);
            onIteration?.Invoke(iteration, cost, gradientNorm, line.X);
        }

        (double finalCost, double finalNorm) = line.Finish(status, cost, gradientNorm, x);
        return new ConjugateGradientResult(status, iteration, line.Evaluations, finalCost, finalNorm);
    }

    private static void Capture<T>(Line<T> line, FullBatchState<T>? state, int iteration, double cost, double previousCost, double gradientNorm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (state is null)
        {
            return;
        }

        line.Capture(state, withDirection: true);
        (state.Iteration, state.Cost, state.PreviousCost, state.GradientNorm) = (iteration, cost, previousCost, gradientNorm);
    }

    // The shared line with scipy's extra acceptance test for CG.
    private sealed class Line<T>(CostFunction<T> f, ReadOnlySpan<T> start, double gradientTolerance) : SearchLine<T>(f, start)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public double GradientSquaredNorm { get; set; } // g_k . g_k, the Polak-Ribiere denominator

        // scipy's descent_condition: accept if the new gradient converged or the next
        // Polak-Ribiere+ direction -g_new + beta p is a sufficient descent direction.
        public override bool IsAcceptable(double alpha)
        {
            if (VectorMath.MaxAbs<T>(GTrial) <= gradientTolerance)
            {
                return true;
            }

            double gg = VectorMath.Dot<T>(GTrial, GTrial);
            double nextSlope = -gg + PolakRibiereBeta() * VectorMath.Dot<T>(P, GTrial);
            return nextSlope <= -DescentConstant * gg;
        }

        // beta = max(0, g_new . (g_new - g) / g . g), Nocedal and Wright eq. 5.45 (PR+).
        public double PolakRibiereBeta()
        {
            double numerator = 0;
            for (int i = 0; i < GTrial.Length; i++)
            {
                double gNew = double.CreateTruncating(GTrial[i]);
                numerator += gNew * (gNew - double.CreateTruncating(G[i]));
            }

            return Math.Max(0, numerator / GradientSquaredNorm);
        }
    }
}

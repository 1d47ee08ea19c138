using System.Numerics;
using System.Numerics.Tensors;

namespace AnnLab.Optimization;

/// <summary>Settings of <see cref="LimitedMemoryBfgs.Minimize"/>.</summary>
public sealed record LbfgsOptions
{
    /// <summary>Most iterations (line searches), &gt;= 0.</summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>Stop when the max-abs (infinity) norm of the gradient is at or below this, &gt;= 0 (scipy's L-BFGS-B pgtol, default 1e-5).</summary>
    public double GradientTolerance { get; init; } = 1e-5;

    /// <summary>The number m of (s, y) pairs kept, &gt;= 1 (scipy's maxcor, default 10; Nocedal and Wright suggest 3 to 20).</summary>
    public int Memory { get; init; } = 10;

    /// <summary>Sufficient decrease constant c1 of the strong Wolfe conditions, 0 &lt; c1 &lt; c2.</summary>
    public double C1 { get; init; } = 1e-4;

    /// <summary>Curvature constant c2 of the strong Wolfe conditions, c1 &lt; c2 &lt; 1; 0.9 for quasi-Newton methods (Nocedal and Wright, section 3.1).</summary>
    public double C2 { get; init; } = 0.9;

    /// <summary>Checks every setting against the range stated for it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxIterations);
        ArgumentOutOfRangeException.ThrowIfLessThan(Memory, 1);
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

/// <summary>The outcome of <see cref="LimitedMemoryBfgs.Minimize"/>.</summary>
/// <param name="Status">Why the minimization stopped.</param>
/// <param name="Iterations">Completed iterations (accepted line-search steps).</param>
/// <param name="FunctionEvaluations">Calls of the cost function, the one at the start included.</param>
/// <param name="Cost">The cost at the returned point.</param>
/// <param name="GradientNorm">The max-abs norm of the gradient at the returned point.</param>
public sealed record LbfgsResult(OptimizerStatus Status, int Iterations, int FunctionEvaluations, double Cost, double GradientNorm);

/// <summary>
/// Limited-memory BFGS for full-batch minimization of a smooth cost, beside <see cref="ConjugateGradient"/>
/// (scikit-learn's default solver for its MLP, through scipy's L-BFGS-B).
/// </summary>
/// <remarks>
/// <para>
/// Nocedal and Wright, Numerical Optimization, 2nd ed., Algorithm 7.5 with the two-loop recursion of
/// Algorithm 7.4: the direction is p = -H g, where H applies the last m pairs s = x_(k+1) - x_k,
/// y = g_(k+1) - g_k to H0 = gamma I with gamma = s'y / y'y of the newest pair (eq. 7.20). The step comes
/// from <see cref="LineSearch.StrongWolfe"/> with c1 = 1e-4, c2 = 0.9 and a first trial step of 1, which
/// is then usually accepted. While no pair is stored (the first iteration) the direction is -g and the
/// first trial step is <see cref="LineSearch.InitialStep"/> with the previous cost taken as
/// f0 + ||g0||_2 / 2, that is min(1, 1.01 / ||g0||_2), so x moves by about 1, as in
/// <see cref="ConjugateGradient"/>.
/// </para>
/// <para>
/// A pair is stored only when s'y &gt; eps y'y (eps = 2.2e-16, the test of L-BFGS-B), which keeps H
/// positive definite; a step that met sufficient decrease only (<see cref="LineSearchStatus.SufficientDecreaseOnly"/>)
/// may fail it. Should rounding still give a direction that is not downhill, the pairs are dropped and
/// the iteration restarts from -g.
/// </para>
/// <para>
/// Differences from scipy's L-BFGS-B: no bounds, the line search is the Nocedal and Wright search of
/// <see cref="LineSearch"/> instead of MINPACK's dcsrch, and there is no stop on a small relative
/// decrease of the cost (ftol); Rosenbrock from (-1.2, 1) takes 39 iterations and 57 evaluations here,
/// 36 and 44 with scipy (the same algorithm in NumPy with scipy's scalar_search_wolfe2 takes this path to
/// rounding). On a failed line search the best point evaluated is returned.
/// </para>
/// <para>
/// Scalars and dot products are in <see cref="double"/> for either element type; the pairs are kept in
/// the element type (2 m n values). Work vectors are allocated once per call; an iteration
/// allocates nothing. There is no randomness.
/// </para>
/// </remarks>
public static class LimitedMemoryBfgs
{
    // 2^-52, double's machine epsilon: the curvature test of L-BFGS-B (s'y > eps y'y).
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Minimizes <paramref name="f"/> starting at <paramref name="x"/>, in place.</summary>
    /// <typeparam name="T">Element type of the parameters: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="f">The cost and its gradient.</param>
    /// <param name="x">Length n: the start on entry, the result on return.</param>
    /// <param name="options">Stopping rule, memory and line-search constants.</param>
    /// <param name="onIteration">Called after every iteration with the iteration number (from 1), the cost, the gradient's max-abs norm and the current point; may be null.</param>
    /// <param name="ct">Checked before every iteration; on cancellation <paramref name="x"/> holds the current iterate.</param>
    /// <param name="state">Null; or an empty state, kept current after the start and after every iteration
    /// (before <paramref name="onIteration"/>), for a checkpoint; or a started one (from a checkpoint),
    /// resumed from: the run then goes on exactly as the one that saved it, and <paramref name="x"/>'s values are not read.</param>
    /// <returns>The status, counts and the cost and gradient norm at the returned point.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The state to resume is of another length than <paramref name="x"/> or another memory.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="LbfgsOptions.Validate"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public static LbfgsResult Minimize<T>(
        CostFunction<T> f,
        Span<T> x,
        LbfgsOptions options,
        IterationCallback<T>? onIteration = null,
        FullBatchState<T>? state = null,
        CancellationToken ct = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var line = new SearchLine<T>(f, x);
        var history = new PairHistory<T>(x.Length, options.Memory);
        double cost, gradientNorm;
        int iteration = 0;
        if (state is { IsStarted: true })
        {
            state.CheckFor(x.Length, options.Memory);
            line.Restore(state);
            history.Restore(state);
            (iteration, cost, gradientNorm) = (state.Iteration, state.Cost, state.GradientNorm);
        }
        else
        {
            if (!line.Start(out cost, out gradientNorm))
            {
                return new LbfgsResult(OptimizerStatus.Diverged, 0, 1, cost, gradientNorm);
            }

            Capture(line, history, state, iteration, cost, gradientNorm);
        }

        OptimizerStatus status;
        while (true)
        {
            if (line.StopBefore(iteration, gradientNorm, options.GradientTolerance, options.MaxIterations, x, ct) is { } stop)
            {
                status = stop;
                break;
            }

            history.Direction(line.G, line.P);
            double slope0 = VectorMath.Dot<T>(line.G, line.P);
            if (!(slope0 < 0) && history.Count > 0)
            {
                history.Clear();
                history.Direction(line.G, line.P);
                slope0 = VectorMath.Dot<T>(line.G, line.P);
            }

            double step = 1;
            if (history.Count == 0)
            {
                // P = -g: scipy's "dx ~ 1" guess, min(1, 1.01 / ||g||_2), as ConjugateGradient's first step;
                // computed directly when ||g|| / 2 vanishes next to the cost in rounding.
                double norm = Math.Sqrt(VectorMath.Dot<T>(line.G, line.G));
                step = LineSearch.InitialStep(cost, cost + norm / 2, slope0);
                step = step > 0 ? step : Math.Min(1, 1.01 / norm);
            }

            // With P = -g a non-negative slope means the gradient underflows.
            LineSearchResult search = slope0 < 0 && double.IsFinite(slope0)
                ? LineSearch.StrongWolfe(line, cost, slope0, step, options.C1, options.C2)
                : new LineSearchResult(LineSearchStatus.Failed, 0, cost, slope0, 0, false);
            if (search.Status == LineSearchStatus.Failed)
            {
                status = search.NonFiniteSeen ? OptimizerStatus.Diverged : OptimizerStatus.LineSearchFailed;
                break;
            }

            // The accepted step is the last one evaluated: XTrial and GTrial hold the new point.
            history.Add(line.X, line.XTrial, line.G, line.GTrial);
            line.AcceptTrial();
            cost = search.Value;
            gradientNorm = VectorMath.MaxAbs<T>(line.G);
            iteration++;
            Capture(line, history, state, iteration, cost, gradientNorm);
            onIteration?.Invoke(iteration, cost, gradientNorm, line.X);
        }

        (double finalCost, double finalNorm) = line.Finish(status, cost, gradientNorm, x);
        return new LbfgsResult(status, iteration, line.Evaluations, finalCost, finalNorm);
    }

    private static void Capture<T>(SearchLine<T> line, PairHistory<T> history, FullBatchState<T>? state, int iteration, double cost, double gradientNorm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (state is null)
        {
            return;
        }

        line.Capture(state, withDirection: false);
        history.Capture(state);
        (state.Iteration, state.Cost, state.PreviousCost, state.GradientNorm) = (iteration, cost, cost, gradientNorm);
    }

    // The last m pairs (s, y) in a ring, oldest first from _oldest, with rho = 1 / y's.
    private sealed class PairHistory<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T[][] _s;        // m x n
        private readonly T[][] _y;        // m x n
        private readonly double[] _rho;   // m
        private readonly double[] _alpha; // m, the first loop's coefficients
        private int _oldest;

        public PairHistory(int n, int m)
        {
            _s = new T[m][];
            _y = new T[m][];
            for (int i = 0; i < m; i++)
            {
                _s[i] = new T[n];
                _y[i] = new T[n];
            }

            _rho = new double[m];
            _alpha = new double[m];
        }

        public int Count { get; private set; }

        public void Restore(FullBatchState<T> state)
        {
            for (int i = 0; i < _s.Length; i++)
            {
                state.Steps[i].CopyTo(_s[i], 0);
                state.GradientChanges[i].CopyTo(_y[i], 0);
            }

            state.Rho.CopyTo(_rho, 0);
            (_oldest, Count) = (state.Oldest, state.PairCount);
        }

        public void Capture(FullBatchState<T> state)
        {
            if (state.Steps.Length != _s.Length)
            {
                (state.Steps, state.GradientChanges) = (new T[_s.Length][], new T[_s.Length][]);
                for (int i = 0; i < _s.Length; i++)
                {
                    (state.Steps[i], state.GradientChanges[i]) = ([], []);
                }
            }

            for (int i = 0; i < _s.Length; i++)
            {
                state.Steps[i] = SearchLine<T>.Copy(state.Steps[i], _s[i]);
                state.GradientChanges[i] = SearchLine<T>.Copy(state.GradientChanges[i], _y[i]);
            }

            state.Rho = (double[])_rho.Clone();
            (state.Oldest, state.PairCount) = (_oldest, Count);
        }

        public void Clear()
        {
            Count = 0;
            _oldest = 0;
        }

        // Stores s = xNew - x and y = gNew - g, unless s'y <= eps y'y (L-BFGS-B's test), which would make H
        // indefinite or its scaling huge. The test comes first: with all m slots full, the slot written is the
        // oldest pair's, which a rejected pair must not overwrite.
        public void Add(ReadOnlySpan<T> x, ReadOnlySpan<T> xNew, ReadOnlySpan<T> g, ReadOnlySpan<T> gNew)
        {
            double sy = 0;
            double yy = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double si = double.CreateTruncating(xNew[i] - x[i]);
                double yi = double.CreateTruncating(gNew[i] - g[i]);
                sy += si * yi;
                yy += yi * yi;
            }

            if (!(sy > MachineEpsilon * yy))
            {
                return;
            }

            int slot = (_oldest + Count) % _s.Length;
            TensorPrimitives.Subtract(xNew, x, _s[slot]);
            TensorPrimitives.Subtract(gNew, g, _y[slot]);
            _rho[slot] = 1 / sy;
            if (Count < _s.Length)
            {
                Count++;
            }
            else
            {
                _oldest = (_oldest + 1) % _s.Length;
            }
        }

        // Algorithm 7.4: p = -H g, newest pair first in the first loop, oldest first in the second.
        public void Direction(ReadOnlySpan<T> g, Span<T> p)
        {
            int m = _s.Length;
            g.CopyTo(p); // q
            for (int j = Count - 1; j >= 0; j--)
            {
                int i = (_oldest + j) % m;
                _alpha[i] = _rho[i] * VectorMath.Dot<T>(_s[i], p);
                TensorPrimitives.MultiplyAdd<T>(_y[i], T.CreateTruncating(-_alpha[i]), p, p);
            }

            if (Count > 0)
            {
                // H0 = gamma I, gamma = s'y / y'y of the newest pair (Nocedal and Wright eq. 7.20).
                int newest = (_oldest + Count - 1) % m;
                double gamma = 1 / (_rho[newest] * VectorMath.Dot<T>(_y[newest], _y[newest]));
                TensorPrimitives.Multiply<T>(p, T.CreateTruncating(gamma), p);
            }

            for (int j = 0; j < Count; j++)
            {
                int i = (_oldest + j) % m;
                double beta = _rho[i] * VectorMath.Dot<T>(_y[i], p);
                TensorPrimitives.MultiplyAdd<T>(_s[i], T.CreateTruncating(_alpha[i] - beta), p, p);
            }

            TensorPrimitives.Negate<T>(p, p);
        }
    }
}

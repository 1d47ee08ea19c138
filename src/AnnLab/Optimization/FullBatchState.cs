using System.Numerics;

namespace AnnLab.Optimization;

/// <summary>
/// Where a full-batch minimization stands after an iteration, for checkpoints: everything
/// <see cref="ConjugateGradient.Minimize"/> or <see cref="LimitedMemoryBfgs.Minimize"/> needs to go on
/// bit for bit as if never stopped. Pass an empty state to either to have it kept current after the
/// start and after every iteration (before the iteration callback); pass a filled one to resume from it.
/// </summary>
/// <typeparam name="T">Element type of the parameters.</typeparam>
/// <remarks>All vectors have length n, the parameter count; the L-BFGS pairs are m x n.</remarks>
public sealed class FullBatchState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Completed iterations k.</summary>
    public int Iteration { get; set; }

    /// <summary>Cost-and-gradient evaluations so far, the one at the start included.</summary>
    public int Evaluations { get; set; }

    /// <summary>f(x_k).</summary>
    public double Cost { get; set; }

    /// <summary>CG: f(x_(k-1)), which sets the first trial step of the next line search (on k = 0, scipy's f0 + ||g0|| / 2).</summary>
    public double PreviousCost { get; set; }

    /// <summary>max |g_i| at x_k.</summary>
    public double GradientNorm { get; set; }

    /// <summary>x_k, length n; empty while nothing has started.</summary>
    public T[] Point { get; set; } = [];

    /// <summary>The gradient g_k at x_k.</summary>
    public T[] Gradient { get; set; } = [];

    /// <summary>CG: the next search direction p_k (L-BFGS recomputes its direction from the pairs).</summary>
    public T[] Direction { get; set; } = [];

    /// <summary>The lowest finite point evaluated (what a failed line search returns), its cost and gradient norm.</summary>
    public T[] BestPoint { get; set; } = [];

    /// <summary>The cost at <see cref="BestPoint"/>.</summary>
    public double BestCost { get; set; } = double.PositiveInfinity;

    /// <summary>max |g_i| at <see cref="BestPoint"/>.</summary>
    public double BestGradientNorm { get; set; } = double.NaN;

    /// <summary>L-BFGS: the ring of steps s = x_(j+1) - x_j, m x n (the slots as stored, not reordered).</summary>
    public T[][] Steps { get; set; } = [];

    /// <summary>L-BFGS: the ring of gradient changes y = g_(j+1) - g_j, m x n.</summary>
    public T[][] GradientChanges { get; set; } = [];

    /// <summary>L-BFGS: rho = 1 / s'y per slot, length m.</summary>
    public double[] Rho { get; set; } = [];

    /// <summary>L-BFGS: the slot of the oldest pair.</summary>
    public int Oldest { get; set; }

    /// <summary>L-BFGS: pairs stored, 0..m.</summary>
    public int PairCount { get; set; }

    /// <summary>Whether the state holds a started minimization (a resume point).</summary>
    public bool IsStarted => Point.Length > 0;

    /// <summary>A deep copy: the minimizer keeps updating the state it was given, a checkpoint keeps the copy.</summary>
    public FullBatchState<T> Clone() => new()
    {
        Iteration = Iteration,
        Evaluations = Evaluations,
        Cost = Cost,
        PreviousCost = PreviousCost,
        GradientNorm = GradientNorm,
        Point = (T[])Point.Clone(),
        Gradient = (T[])Gradient.Clone(),
        Direction = (T[])Direction.Clone(),
        BestPoint = (T[])BestPoint.Clone(),
        BestCost = BestCost,
        BestGradientNorm = BestGradientNorm,
        Steps = Steps.Select(s => (T[])s.Clone()).ToArray(),
        GradientChanges = GradientChanges.Select(y => (T[])y.Clone()).ToArray(),
        Rho = (double[])Rho.Clone(),
        Oldest = Oldest,
        PairCount = PairCount,
    };

    // Checks a state to resume against the problem size n (and the memory m for L-BFGS, 0 for CG).
    internal void CheckFor(int n, int memory)
    {
        static bool Fits(T[] v, int n) => v.Length == n;
        if (!Fits(Point, n) || !Fits(Gradient, n) || !Fits(BestPoint, n) || (memory == 0 && !Fits(Direction, n)))
        {
            throw new ArgumentException($"the state to resume is of {Point.Length} parameters, expected {n}");
        }

        if (memory > 0 && (Steps.Length != memory || GradientChanges.Length != memory || Rho.Length != memory
            || Steps.Any(s => s.Length != n) || GradientChanges.Any(y => y.Length != n) || PairCount is < 0 || PairCount > memory || Oldest < 0 || Oldest >= memory))
        {
            throw new ArgumentException($"the L-BFGS state to resume does not hold {memory} pairs of {n} values");
        }

        if (Iteration < 0 || Evaluations < 1)
        {
            throw new ArgumentException($"the state to resume has iteration {Iteration} and {Evaluations} evaluations");
        }
    }
}

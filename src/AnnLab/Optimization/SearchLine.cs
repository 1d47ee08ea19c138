using System.Numerics;
using System.Numerics.Tensors;

namespace AnnLab.Optimization;

/// <summary>
/// phi(alpha) = f(X + alpha P) with the work vectors of one full-batch minimization (each of
/// length n), and what <see cref="ConjugateGradient"/> and <see cref="LimitedMemoryBfgs"/> do alike
/// around it: the first evaluation, the checks before each iteration, and the point returned.
/// </summary>
internal class SearchLine<T> : ILineFunction
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CostFunction<T> _f;

    public SearchLine(CostFunction<T> f, ReadOnlySpan<T> start)
    {
        _f = f;
        X = start.ToArray();
        int n = start.Length;
        G = new T[n];
        P = new T[n];
        XTrial = new T[n];
        GTrial = new T[n];
        BestX = new T[n];
    }

    public T[] X { get; private set; }            // current iterate x_k
    public T[] G { get; private set; }            // gradient at x_k
    public T[] P { get; }                         // search direction p_k
    public T[] XTrial { get; private set; }       // x_k + alpha p_k, last evaluated
    public T[] GTrial { get; private set; }       // gradient at XTrial
    public T[] BestX { get; }                     // lowest finite point evaluated
    public double BestCost { get; private set; } = double.PositiveInfinity;
    public double BestGradientNorm { get; private set; } = double.NaN;
    public int Evaluations { get; private set; }

    // f and max |g_i| at the start; false when either is not finite (the run diverged at once).
    public bool Start(out double cost, out double gradientNorm)
    {
        cost = _f(X, G);
        Evaluations = 1;
        gradientNorm = VectorMath.MaxAbs<T>(G);
        if (!double.IsFinite(cost) || !double.IsFinite(gradientNorm))
        {
            return false;
        }

        KeepAsBest(X, cost, gradientNorm);
        return true;
    }

    public double Evaluate(double alpha, out double slope)
    {
        TensorPrimitives.MultiplyAdd<T>(P, T.CreateTruncating(alpha), X, XTrial);
        double value = _f(XTrial, GTrial);
        Evaluations++;
        slope = VectorMath.Dot<T>(GTrial, P);
        if (value < BestCost)
        {
            double norm = VectorMath.MaxAbs<T>(GTrial);
            if (double.IsFinite(norm))
            {
                KeepAsBest(XTrial, value, norm);
            }
        }

        return value;
    }

    public virtual bool IsAcceptable(double alpha) => true;

    public void AcceptTrial()
    {
        (X, XTrial) = (XTrial, X);
        (G, GTrial) = (GTrial, G);
    }

    // The stopping rules checked before each iteration: converged (max |g_i| <= tolerance) or out
    // of iterations; null to go on. On cancellation x receives the current iterate, then it throws.
    public OptimizerStatus? StopBefore(int iteration, double gradientNorm, double gradientTolerance, int maxIterations, Span<T> x, CancellationToken ct)
    {
        if (gradientNorm <= gradientTolerance)
        {
            return OptimizerStatus.Converged;
        }

        if (iteration >= maxIterations)
        {
            return OptimizerStatus.MaxIterations;
        }

        if (ct.IsCancellationRequested)
        {
            X.CopyTo(x);
            ct.ThrowIfCancellationRequested();
        }

        return null;
    }

    // Writes the point to return into x: after a failed line search or a divergence the lowest
    // finite point evaluated, else the current iterate. Returns its cost and gradient norm.
    public (double Cost, double GradientNorm) Finish(OptimizerStatus status, double cost, double gradientNorm, Span<T> x)
    {
        if (status is OptimizerStatus.LineSearchFailed or OptimizerStatus.Diverged)
        {
            BestX.CopyTo(x);
            return (BestCost, BestGradientNorm);
        }

        X.CopyTo(x);
        return (cost, gradientNorm);
    }

    // Continues from a saved state instead of Start: the point, gradient, direction, best point and count.
    public void Restore(FullBatchState<T> state)
    {
        state.Point.CopyTo(X, 0);
        state.Gradient.CopyTo(G, 0);
        if (state.Direction.Length == P.Length)
        {
            state.Direction.CopyTo(P, 0);
        }

        state.BestPoint.CopyTo(BestX, 0);
        BestCost = state.BestCost;
        BestGradientNorm = state.BestGradientNorm;
        Evaluations = state.Evaluations;
    }

    // Copies where the minimization stands into state (the scalars of the loop are the caller's).
    public void Capture(FullBatchState<T> state, bool withDirection)
    {
        state.Point = Copy(state.Point, X);
        state.Gradient = Copy(state.Gradient, G);
        state.Direction = withDirection ? Copy(state.Direction, P) : [];
        state.BestPoint = Copy(state.BestPoint, BestX);
        state.BestCost = BestCost;
        state.BestGradientNorm = BestGradientNorm;
        state.Evaluations = Evaluations;
    }

    // Copies source into destination, reusing it when it has the length.
    internal static T[] Copy(T[] destination, T[] source)
    {
        if (destination.Length != source.Length)
        {
            destination = new T[source.Length];
        }

        source.CopyTo(destination, 0);
        return destination;
    }

    private void KeepAsBest(T[] x, double cost, double gradientNorm)
    {
        x.CopyTo(BestX, 0);
        BestCost = cost;
        BestGradientNorm = gradientNorm;
    }
}

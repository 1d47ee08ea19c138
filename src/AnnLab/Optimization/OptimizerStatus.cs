namespace AnnLab.Optimization;

/// <summary>Why a full-batch optimizer (<see cref="ConjugateGradient"/>, <see cref="LimitedMemoryBfgs"/>) stopped.</summary>
public enum OptimizerStatus
{
    /// <summary>The gradient's max-abs norm fell to the gradient tolerance or below.</summary>
    Converged,

    /// <summary>The allowed number of iterations were done.</summary>
    MaxIterations,

    /// <summary>The line search found no acceptable step; the result is the best point evaluated.</summary>
    LineSearchFailed,

    /// <summary>
    /// The cost or gradient was non-finite at the start, or a line search failed after meeting
    /// non-finite values; the result is the best finite point evaluated (the start when that was non-finite).
    /// </summary>
    Diverged,
}

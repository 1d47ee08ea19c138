using System.Diagnostics.CodeAnalysis;

namespace AnnLab.Optimization;

/// <summary>
/// A mini-batch optimizer: updates a flat parameter vector in place from the gradient of one batch.
/// Optimizers with state (velocity, moment estimates) keep it from step to step until <see cref="Reset"/>.
/// </summary>
/// <remarks>
/// Each implementation allocates its state in its constructor, for a fixed parameter count, so that
/// <see cref="Step"/> allocates nothing. The state is in <see cref="float"/>, as PyTorch keeps it for
/// float32 parameters. Regularization (the lab's lambda) belongs to the cost, not here; only
/// <see cref="AdamW"/> has a weight decay, because decoupling it from the gradient is its point.
/// </remarks>
public interface IMiniBatchOptimizer
{
    /// <summary>The name in <see cref="MiniBatchOptimizers"/>' table: sgd, momentum, nesterov, adam, adamw or rmsprop.</summary>
    string Name { get; }

    /// <summary>Updates <paramref name="parameters"/> in place with one step.</summary>
    /// <param name="parameters">Length n, the optimizer's parameter count: the weights and biases (theta).</param>
    /// <param name="gradient">Length n: the gradient of the batch cost at <paramref name="parameters"/>.</param>
    /// <param name="learningRate">The step size alpha of this step, finite and &gt;= 0 (it may change from step to step, see <see cref="ILearningRateSchedule"/>).</param>
    /// <exception cref="ArgumentException">A length differs from the parameter count.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative or not finite.</exception>
    [SuppressMessage("Naming", "CA1716", Justification = "Step is the field's word (PyTorch's optimizer.step); VB callers can write [Step].")]
    void Step(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate);

    /// <summary>Forgets the state, as if no step had been taken.</summary>
    void Reset();

    /// <summary>A copy of the state (step count, buffers), for a checkpoint: importing it into a new optimizer of the same kind and size continues bit for bit.</summary>
    OptimizerState ExportState();

    /// <summary>Replaces the state with <paramref name="state"/> (copied), as <see cref="ExportState"/> gave it.</summary>
    /// <exception cref="ArgumentException">The state is another optimizer's, or a buffer is missing or of another length.</exception>
    void ImportState(OptimizerState state);
}

/// <summary>
/// The fused-update capability: an optimizer whose update of each parameter depends on that
/// parameter's own gradient and state alone, so the engine can apply it slice by slice inside the
/// sweep that forms the gradient, while the slice is still in the cache (one pass over the
/// parameters instead of several). <see cref="Network.Backpropagation{T}"/> uses it whenever the
/// optimizer offers it and nothing needs the whole gradient first (gradient clipping does).
/// </summary>
public interface IElementwiseOptimizer : IMiniBatchOptimizer
{
    /// <summary>Starts a step: advances per-step state such as Adam's step count t. Called once per batch, before the slices.</summary>
    void BeginStep();

    /// <summary>Updates one slice of the parameters in place; the slices of one step are disjoint and may run on different threads.</summary>
    /// <param name="parameters">The slice, <c>parameters[offset .. offset + length]</c> of the full vector.</param>
    /// <param name="gradient">The gradient of the same slice.</param>
    /// <param name="offset">Index of the slice's first value in the full vector (into the optimizer's state).</param>
    /// <param name="learningRate">The step size alpha.</param>
    void StepSlice(Span<float> parameters, ReadOnlySpan<float> gradient, int offset, double learningRate);
}

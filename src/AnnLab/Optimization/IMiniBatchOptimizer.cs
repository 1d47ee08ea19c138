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
}

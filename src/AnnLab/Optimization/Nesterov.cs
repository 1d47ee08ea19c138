using System.Numerics.Tensors;

namespace AnnLab.Optimization;

/// <summary>
/// Gradient descent with Nesterov momentum, as PyTorch's SGD with nesterov=True:
/// v = mu v + g; p -= alpha (g + mu v), with v = 0 before the first step.
/// </summary>
/// <remarks>
/// The look-ahead form of Sutskever et al., "On the importance of initialization and momentum in deep
/// learning", ICML 2013, rewritten (as PyTorch does) so that the gradient is taken at the current
/// parameters instead of at p - alpha mu v.
/// </remarks>
public sealed class Nesterov : IElementwiseOptimizer
{
    private readonly float[] velocity; // v, length n

    /// <summary>Creates the optimizer with zero velocity.</summary>
    /// <param name="parameterCount">Length n of the vectors <see cref="Step"/> takes, &gt;= 0.</param>
    /// <param name="mu">The momentum coefficient, in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public Nesterov(int parameterCount, double mu = Momentum.DefaultMu)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        MiniBatchOptimizers.CheckDecayRate(mu, nameof(mu));
        Mu = mu;
        velocity = new float[parameterCount];
    }

    /// <inheritdoc/>
    public string Name => "nesterov";

    /// <summary>The momentum coefficient mu (PyTorch's momentum).</summary>
    public double Mu { get; }

    /// <summary>Length n of the vectors <see cref="Step"/> takes.</summary>
    public int ParameterCount => velocity.Length;

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate)
        => MiniBatchOptimizers.WholeStep(this, ParameterCount, parameters, gradient, learningRate);

    /// <inheritdoc/>
    public void BeginStep()
    {
        // No per-step state.
    }

    /// <inheritdoc/>
    public void StepSlice(Span<float> parameters, ReadOnlySpan<float> gradient, int offset, double learningRate)
    {
        Span<float> v = velocity.AsSpan(offset, parameters.Length);
        TensorPrimitives.MultiplyAdd(v, (float)Mu, gradient, v);
        // p - alpha (g + mu v) as two sweeps, p - alpha g - alpha mu v, so no scratch vector is needed.
        TensorPrimitives.MultiplyAdd(gradient, (float)-learningRate, parameters, parameters);
        TensorPrimitives.MultiplyAdd(v, (float)(-learningRate * Mu), parameters, parameters);
    }

    /// <inheritdoc/>
    public void Reset() => Array.Clear(velocity);

    /// <inheritdoc/>
    public OptimizerState ExportState() => new(Name, 0, [new("momentum_buffer", (float[])velocity.Clone())]);

    /// <inheritdoc/>
    public void ImportState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.CopyTo(Name, "momentum_buffer", velocity);
    }
}

using System.Numerics.Tensors;

namespace AnnLab.Optimization;

/// <summary>
/// Gradient descent with (heavy-ball) momentum, as PyTorch's SGD with momentum mu and no dampening:
/// v = mu v + g; p -= alpha v, with v = 0 before the first step (Polyak 1964; Sutskever et al., ICML 2013).
/// </summary>
/// <remarks>
/// PyTorch's form puts the learning rate outside the velocity, so a change of alpha takes effect at
/// once instead of decaying in over 1 / (1 - mu) steps.
/// </remarks>
public sealed class Momentum : IElementwiseOptimizer
{
    /// <summary>PyTorch users' usual momentum coefficient, 0.9.</summary>
    public const double DefaultMu = 0.9;

    private readonly float[] velocity; // v, length n

    /// <summary>Creates the optimizer with zero velocity.</summary>
    /// <param name="parameterCount">Length n of the vectors <see cref="Step"/> takes, &gt;= 0.</param>
    /// <param name="mu">The momentum coefficient, in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public Momentum(int parameterCount, double mu = DefaultMu)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        MiniBatchOptimizers.CheckDecayRate(mu, nameof(mu));
        Mu = mu;
        velocity = new float[parameterCount];
    }

    /// <inheritdoc/>
    public string Name => "momentum";

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
        TensorPrimitives.MultiplyAdd(v, (float)-learningRate, parameters, parameters);
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

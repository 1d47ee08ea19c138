using System.Numerics.Tensors;

namespace AnnLab.Optimization;

/// <summary>Plain stochastic gradient descent: p -= alpha g (PyTorch's SGD without momentum; the lab's update).</summary>
public sealed class Sgd : IElementwiseOptimizer
{
    /// <summary>Creates the optimizer for vectors of <paramref name="parameterCount"/> parameters; it has no state.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parameterCount"/> is negative.</exception>
    public Sgd(int parameterCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        ParameterCount = parameterCount;
    }

    /// <inheritdoc/>
    public string Name => "sgd";

    /// <summary>Length n of the vectors <see cref="Step"/> takes.</summary>
    public int ParameterCount { get; }

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate)
    {
        MiniBatchOptimizers.CheckStep(ParameterCount, parameters.Length, gradient.Length, learningRate);
        TensorPrimitives.MultiplyAdd(gradient, (float)-learningRate, parameters, parameters);
    }

    /// <inheritdoc/>
    public void BeginStep()
    {
    }

    /// <inheritdoc/>
    public void StepSlice(Span<float> parameters, ReadOnlySpan<float> gradient, int offset, double learningRate)
        => TensorPrimitives.MultiplyAdd(gradient, (float)-learningRate, parameters, parameters);

    /// <inheritdoc/>
    public void Reset()
    {
    }

    /// <inheritdoc/>
    public OptimizerState ExportState() => new(Name, 0, []);

    /// <inheritdoc/>
    public void ImportState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.CheckOptimizer(Name);
    }
}

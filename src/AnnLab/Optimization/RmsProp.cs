using System.Numerics.Tensors;

namespace AnnLab.Optimization;

/// <summary>
/// RMSprop (Tieleman and Hinton, Coursera "Neural Networks for Machine Learning", lecture 6.5, 2012),
/// in PyTorch's form without momentum or centering: s = alpha s + (1 - alpha) g^2; p -= lr g / (sqrt(s) + eps),
/// with s = 0 before the first step.
/// </summary>
/// <remarks>There is no bias correction, so the first steps are large: |step 1| = lr / sqrt(1 - alpha) = 10 lr for alpha = 0.99.</remarks>
public sealed class RmsProp : IElementwiseOptimizer
{
    /// <summary>PyTorch's smoothing constant alpha, 0.99.</summary>
    public const double DefaultAlpha = 0.99;

    /// <summary>PyTorch's eps, 1e-8.</summary>
    public const double DefaultEpsilon = 1e-8;

    private readonly float[] meanSquare; // s, length n
    private readonly float[] scratch;    // length n

    /// <summary>Creates the optimizer with a zero mean square.</summary>
    /// <param name="parameterCount">Length n of the vectors <see cref="Step"/> takes, &gt;= 0.</param>
    /// <param name="alpha">Decay rate of the mean square of the gradient, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator, finite and &gt;= 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public RmsProp(int parameterCount, double alpha = DefaultAlpha, double epsilon = DefaultEpsilon)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        MiniBatchOptimizers.CheckDecayRate(alpha, nameof(alpha));
        MiniBatchOptimizers.CheckNonNegative(epsilon, nameof(epsilon));
        Alpha = alpha;
        Epsilon = epsilon;
        meanSquare = new float[parameterCount];
        scratch = new float[parameterCount];
    }

    /// <inheritdoc/>
    public string Name => "rmsprop";

    /// <summary>Decay rate of the mean square of the gradient.</summary>
    public double Alpha { get; }

    /// <summary>Added to sqrt(s) in the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>Length n of the vectors <see cref="Step"/> takes.</summary>
    public int ParameterCount => meanSquare.Length;

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
        Span<float> s = meanSquare.AsSpan(offset, parameters.Length);
        Span<float> t = scratch.AsSpan(offset, parameters.Length);
        TensorPrimitives.Multiply(gradient, (float)(1 - Alpha), t);
        TensorPrimitives.Multiply(s, (float)Alpha, s);
        TensorPrimitives.MultiplyAdd(t, gradient, s, s);

        TensorPrimitives.Sqrt(s, t);
        TensorPrimitives.Add(t, (float)Epsilon, t);
        TensorPrimitives.Divide(gradient, t, t);
        TensorPrimitives.MultiplyAdd(t, (float)-learningRate, parameters, parameters);
    }

    /// <inheritdoc/>
    public void Reset() => Array.Clear(meanSquare);

    /// <inheritdoc/>
    public OptimizerState ExportState() => new(Name, 0, [new("square_avg", (float[])meanSquare.Clone())]);

    /// <inheritdoc/>
    public void ImportState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.CopyTo(Name, "square_avg", meanSquare);
    }
}

using System.Numerics.Tensors;

namespace AnnLab.Optimization;

/// <summary>
/// Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1), in
/// PyTorch's form: at step t (from 1),
/// m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2;
/// mhat = m / (1 - beta1^t); vhat = v / (1 - beta2^t); p -= alpha mhat / (sqrt(vhat) + eps).
/// </summary>
/// <remarks>
/// As in PyTorch, eps is added to sqrt(vhat), after the bias correction (the paper's Algorithm 1 too;
/// its section 2's "efficient version" adds eps to sqrt(v) instead). The bias corrections are computed
/// in <see cref="double"/>, the moments kept in <see cref="float"/>. PyTorch's L2 weight_decay option
/// is left out: the lab's lambda already belongs to the cost (see <see cref="AdamW"/> for decoupled decay).
/// </remarks>
// Not an IElementwiseOptimizer: TensorPrimitives.Lerp rounds differently on slices shorter than a
// vector (a layer's 10 biases) than inside a long vector, so a sliced step would change the bits of
// every Adam run against the whole-vector step.
public sealed class Adam : IMiniBatchOptimizer
{
    /// <summary>The paper's and PyTorch's beta1, 0.9.</summary>
    public const double DefaultBeta1 = 0.9;

    /// <summary>The paper's and PyTorch's beta2, 0.999.</summary>
    public const double DefaultBeta2 = 0.999;

    /// <summary>The paper's and PyTorch's eps, 1e-8.</summary>
    public const double DefaultEpsilon = 1e-8;

    private readonly float[] firstMoment;  // m, length n
    private readonly float[] secondMoment; // v, length n
    private readonly float[] scratch;      // length n

    /// <summary>Creates the optimizer with zero moments.</summary>
    /// <param name="parameterCount">Length n of the vectors <see cref="Step"/> takes, &gt;= 0.</param>
    /// <param name="beta1">Decay rate of the first-moment (mean) estimate, in [0, 1).</param>
    /// <param name="beta2">Decay rate of the second-moment (uncentered variance) estimate, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator, finite and &gt;= 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public Adam(int parameterCount, double beta1 = DefaultBeta1, double beta2 = DefaultBeta2, double epsilon = DefaultEpsilon)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        MiniBatchOptimizers.CheckDecayRate(beta1, nameof(beta1));
        MiniBatchOptimizers.CheckDecayRate(beta2, nameof(beta2));
        MiniBatchOptimizers.CheckNonNegative(epsilon, nameof(epsilon));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        firstMoment = new float[parameterCount];
        secondMoment = new float[parameterCount];
        scratch = new float[parameterCount];
    }

    /// <inheritdoc/>
    public string Name => "adam";

    /// <summary>Decay rate of the first-moment estimate.</summary>
    public double Beta1 { get; }

    /// <summary>Decay rate of the second-moment estimate.</summary>
    public double Beta2 { get; }

    /// <summary>Added to sqrt(vhat) in the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>Length n of the vectors <see cref="Step"/> takes.</summary>
    public int ParameterCount => firstMoment.Length;

    /// <summary>Steps taken since construction or <see cref="Reset"/>: the t of the bias corrections.</summary>
    public int StepCount { get; private set; }

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate)
    {
        MiniBatchOptimizers.CheckStep(ParameterCount, parameters.Length, gradient.Length, learningRate);
        StepCount++;
        double firstCorrection = 1 - Math.Pow(Beta1, StepCount);
        double secondCorrection = 1 - Math.Pow(Beta2, StepCount);

        // PyTorch: exp_avg.lerp_(grad, 1 - beta1); exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2).
        TensorPrimitives.Lerp(firstMoment, gradient, (float)(1 - Beta1), firstMoment);
        TensorPrimitives.Multiply(gradient, (float)(1 - Beta2), scratch);
        TensorPrimitives.Multiply(secondMoment, (float)Beta2, secondMoment);
        TensorPrimitives.MultiplyAdd(scratch, gradient, secondMoment, secondMoment);

        // sqrt(vhat) + eps = sqrt(v) / sqrt(1 - beta2^t) + eps; then p -= (alpha / (1 - beta1^t)) m / that.
        TensorPrimitives.Sqrt(secondMoment, scratch);
        TensorPrimitives.Divide(scratch, (float)Math.Sqrt(secondCorrection), scratch);
        TensorPrimitives.Add(scratch, (float)Epsilon, scratch);
        TensorPrimitives.Divide(firstMoment, scratch, scratch);
        TensorPrimitives.MultiplyAdd(scratch, (float)(-learningRate / firstCorrection), parameters, parameters);
    }

    /// <inheritdoc/>
    public void Reset()
    {
        Array.Clear(firstMoment);
        Array.Clear(secondMoment);
        StepCount = 0;
    }

    /// <inheritdoc/>
    public OptimizerState ExportState() => ExportAs(Name);

    /// <inheritdoc/>
    public void ImportState(OptimizerState state) => ImportAs(Name, state);

    // AdamW's state is its Adam's, under AdamW's name.
    internal OptimizerState ExportAs(string name)
        => new(name, StepCount, [new("exp_avg", (float[])firstMoment.Clone()), new("exp_avg_sq", (float[])secondMoment.Clone())]);

    internal void ImportAs(string name, OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.CopyTo(name, "exp_avg", firstMoment);
        state.CopyTo(name, "exp_avg_sq", secondMoment);
        if (state.StepCount < 0)
        {
            throw new ArgumentException($"{name} state: step count {state.StepCount}, expected >= 0", nameof(state));
        }

        StepCount = state.StepCount;
    }
}

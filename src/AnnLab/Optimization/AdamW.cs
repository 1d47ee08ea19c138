using System.Numerics.Tensors;

namespace AnnLab.Optimization;

/// <summary>
/// AdamW: Adam with decoupled weight decay (Loshchilov and Hutter, "Decoupled Weight Decay
/// Regularization", ICLR 2019, Algorithm 2), in PyTorch's form: p -= alpha lambda_w p on the
/// parameters the decay mask selects, then the <see cref="Adam"/> step.
/// </summary>
/// <remarks>
/// As in PyTorch the decay is scaled by the learning rate alpha (the paper scales it by the schedule
/// multiplier only). The decay is decoupled from the gradient, so it does not pass through Adam's
/// per-parameter scaling; biases are usually left out with a mask (see
/// <see cref="Network.NeuralNetwork.BiasesOffset"/> for where they are).
/// </remarks>
public sealed class AdamW : IMiniBatchOptimizer
{
    /// <summary>PyTorch's default weight decay of AdamW, 0.01.</summary>
    public const double DefaultWeightDecay = 0.01;

    private readonly Adam adam;
    private readonly float[]? decayed; // 1 where the mask decays a parameter, 0 elsewhere; length n; null = all
    private readonly float[] scratch;  // length n with a mask, else empty

    /// <summary>Creates the optimizer with zero moments.</summary>
    /// <param name="parameterCount">Length n of the vectors <see cref="Step"/> takes, &gt;= 0.</param>
    /// <param name="weightDecay">The decoupled weight decay lambda_w, finite and &gt;= 0.</param>
    /// <param name="decayMask">Length n: true where a parameter is decayed (copied here); null decays every parameter.</param>
    /// <param name="beta1">Decay rate of the first-moment estimate, in [0, 1).</param>
    /// <param name="beta2">Decay rate of the second-moment estimate, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator, finite and &gt;= 0.</param>
    /// <exception cref="ArgumentException">The mask's length is not <paramref name="parameterCount"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public AdamW(
        int parameterCount,
        double weightDecay = DefaultWeightDecay,
        ReadOnlyMemory<bool>? decayMask = null,
        double beta1 = Adam.DefaultBeta1,
        double beta2 = Adam.DefaultBeta2,
        double epsilon = Adam.DefaultEpsilon)
    {
        adam = new Adam(parameterCount, beta1, beta2, epsilon);
        MiniBatchOptimizers.CheckNonNegative(weightDecay, nameof(weightDecay));
        WeightDecay = weightDecay;
        scratch = [];
        if (decayMask is { } mask)
        {
            if (mask.Length != parameterCount)
            {
                // A null bool[] converts to an empty, non-null ReadOnlyMemory: say so, it is the likely cause.
                string hint = mask.IsEmpty ? " (a null array converts to an empty mask; pass null itself to decay every parameter)" : "";
                throw new ArgumentException($"expected a decay mask of {parameterCount} values, got {mask.Length}{hint}", nameof(decayMask));
            }

            decayed = new float[parameterCount];
            ReadOnlySpan<bool> m = mask.Span;
            for (int i = 0; i < m.Length; i++)
            {
                decayed[i] = m[i] ? 1 : 0;
            }

            scratch = new float[parameterCount];
        }
    }

    /// <inheritdoc/>
    public string Name => "adamw";

    /// <summary>The decoupled weight decay lambda_w.</summary>
    public double WeightDecay { get; }

    /// <summary>Decay rate of the first-moment estimate.</summary>
    public double Beta1 => adam.Beta1;

    /// <summary>Decay rate of the second-moment estimate.</summary>
    public double Beta2 => adam.Beta2;

    /// <summary>Added to sqrt(vhat) in the denominator.</summary>
    public double Epsilon => adam.Epsilon;

    /// <summary>Length n of the vectors <see cref="Step"/> takes.</summary>
    public int ParameterCount => adam.ParameterCount;

    /// <summary>Steps taken since construction or <see cref="Reset"/>.</summary>
    public int StepCount => adam.StepCount;

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate)
    {
        MiniBatchOptimizers.CheckStep(ParameterCount, parameters.Length, gradient.Length, learningRate);
        if (decayed is null)
        {
            // PyTorch: param.mul_(1 - lr * weight_decay).
            TensorPrimitives.Multiply(parameters, (float)(1 - learningRate * WeightDecay), parameters);
        }
        else
        {
            // p - alpha lambda_w (mask p): a parameter outside the mask gets p + 0, so it stays exact.
            TensorPrimitives.Multiply(parameters, decayed, scratch);
            TensorPrimitives.MultiplyAdd(scratch, (float)(-learningRate * WeightDecay), parameters, parameters);
        }

        adam.Step(parameters, gradient, learningRate);
    }

    /// <inheritdoc/>
    public void Reset() => adam.Reset();

    /// <inheritdoc/>
    public OptimizerState ExportState() => adam.ExportAs(Name);

    /// <inheritdoc/>
    public void ImportState(OptimizerState state) => adam.ImportAs(Name, state);
}

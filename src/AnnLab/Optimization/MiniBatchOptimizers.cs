namespace AnnLab.Optimization;

/// <summary>The one table that maps mini-batch optimizer names (command line, results files) to implementations.</summary>
public static class MiniBatchOptimizers
{
    /// <summary>The names accepted by <see cref="Create"/>, in the order the help text lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop"];

    /// <summary>Creates the optimizer with the given name (case-insensitive) and PyTorch's default constants.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="parameterCount">Length n of the parameter vectors it will update, &gt;= 0.</param>
    /// <param name="momentum">The momentum coefficient mu of momentum and nesterov, in [0, 1); ignored by the others.</param>
    /// <param name="weightDecay">The decoupled weight decay of adamw, &gt;= 0; ignored by the others.</param>
    /// <param name="decayMask">Which parameters adamw decays (length n; null decays all); ignored by the others.</param>
    /// <returns>A new optimizer with zero state.</returns>
    /// <exception cref="ArgumentException">No optimizer has that name (the message lists the valid names), or the mask's length is not n.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count or constant is out of range.</exception>
    public static IMiniBatchOptimizer Create(
        string name,
        int parameterCount,
        double momentum = Momentum.DefaultMu,
        double weightDecay = AdamW.DefaultWeightDecay,
        ReadOnlyMemory<bool>? decayMask = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            "sgd" => new Sgd(parameterCount),
            "momentum" => new Momentum(parameterCount, momentum),
            "nesterov" => new Nesterov(parameterCount, momentum),
            "adam" => new Adam(parameterCount),
            "adamw" => new AdamW(parameterCount, weightDecay, decayMask),
            "rmsprop" => new RmsProp(parameterCount),
            _ => throw new ArgumentException($"unknown optimizer '{name}'; expected one of: {string.Join(", ", Names)}", nameof(name)),
        };
    }

    // A whole-vector step of an element-wise optimizer: its one slice is the whole vector.
    internal static void WholeStep(IElementwiseOptimizer optimizer, int parameterCount, Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate)
    {
        CheckStep(parameterCount, parameters.Length, gradient.Length, learningRate);
        optimizer.BeginStep();
        optimizer.StepSlice(parameters, gradient, 0, learningRate);
    }

    // The checks every Step makes: lengths against the parameter count, and the learning rate.
    internal static void CheckStep(int parameterCount, int parametersLength, int gradientLength, double learningRate)
    {
        if (parametersLength != parameterCount || gradientLength != parameterCount)
        {
            throw new ArgumentException(
                $"expected {parameterCount} parameters and gradient values, got {parametersLength} and {gradientLength}");
        }

        if (!(learningRate >= 0) || !double.IsFinite(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "Must be finite and >= 0.");
        }
    }

    // A decay rate (momentum, beta, alpha) must lie in [0, 1), as PyTorch asks.
    internal static void CheckDecayRate(double value, string name)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be in [0, 1).");
        }
    }

    internal static void CheckNonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be finite and >= 0.");
        }
    }
}

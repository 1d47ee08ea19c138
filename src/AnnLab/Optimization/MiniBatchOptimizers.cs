namespace AnnLab.Optimization;

/// <summary>
/// A mini-batch optimizer as a choice (what <see cref="Training.TrainingOptions.Optimizer"/> holds):
/// its name and how to make one. The instances are the entries of <see cref="MiniBatchOptimizers"/>.
/// </summary>
public sealed class OptimizerKind
{
    private readonly Func<int, double, double, ReadOnlyMemory<bool>?, IMiniBatchOptimizer> create;

    internal OptimizerKind(string name, Func<int, double, double, ReadOnlyMemory<bool>?, IMiniBatchOptimizer> create)
    {
        Name = name;
        this.create = create;
    }

    /// <summary>The name used on the command line and in results files, e.g. <c>adamw</c>.</summary>
    public string Name { get; }

    /// <summary>Creates the optimizer with zero state.</summary>
    /// <param name="parameterCount">Length n of the parameter vectors it will update, &gt;= 0.</param>
    /// <param name="momentum">The momentum coefficient mu of momentum and nesterov, in [0, 1); ignored by the others.</param>
    /// <param name="weightDecay">The decoupled weight decay of adamw, &gt;= 0; ignored by the others.</param>
    /// <param name="decayMask">Which parameters adamw decays (length n; null decays all); ignored by the others.</param>
    /// <exception cref="ArgumentException">The mask's length is not n.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count or constant is out of range.</exception>
    public IMiniBatchOptimizer Create(int parameterCount, double momentum = Momentum.DefaultMu, double weightDecay = AdamW.DefaultWeightDecay, ReadOnlyMemory<bool>? decayMask = null)
        => create(parameterCount, momentum, weightDecay, decayMask);

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>The one table of mini-batch optimizers, by name (command line, results files).</summary>
public static class MiniBatchOptimizers
{
    /// <summary>Every optimizer, in the order the help text lists them: adding one is its class and a line here.</summary>
    public static IReadOnlyList<OptimizerKind> All { get; } =
    [
        new("sgd", (n, _, _, _) => new Sgd(n)),
        new("momentum", (n, mu, _, _) => new Momentum(n, mu)),
        new("nesterov", (n, mu, _, _) => new Nesterov(n, mu)),
        new("adam", (n, _, _, _) => new Adam(n)),
        new("adamw", (n, _, decay, mask) => new AdamW(n, decay, mask)),
        new("rmsprop", (n, _, _, _) => new RmsProp(n)),
    ];

    /// <summary>The lab's plain gradient descent.</summary>
    public static OptimizerKind Sgd => All[0];

    /// <summary>The names, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(o => o.Name).ToArray();

    /// <summary>The optimizer called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No optimizer has that name; the message lists the valid names.</exception>
    public static OptimizerKind Get(string name)
        => All.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"unknown optimizer '{name}'; expected one of: {string.Join(", ", Names)}", nameof(name));

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
        return Get(name).Create(parameterCount, momentum, weightDecay, decayMask);
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

using System.Globalization;
using AnnLab.Network;
using AnnLab.Optimization;

namespace AnnLab.Training;

/// <summary>Which solvers an option applies to.</summary>
[Flags]
public enum Solvers
{
    /// <summary>Mini-batch gradient descent.</summary>
    Sgd = 1,

    /// <summary>Nonlinear conjugate gradient.</summary>
    Cg = 2,

    /// <summary>L-BFGS.</summary>
    Lbfgs = 4,

    /// <summary>The two full-batch solvers.</summary>
    FullBatch = Cg | Lbfgs,

    /// <summary>Every solver.</summary>
    All = Sgd | Cg | Lbfgs,
}

/// <summary>
/// One option of <see cref="TrainingOptions"/>: its property, help, allowed values, the solvers it
/// applies to, how to read it from text and how to check it (scikit-learn's
/// <c>_parameter_constraints</c>). The default is the one of a new <see cref="TrainingOptions"/>.
/// </summary>
public sealed class OptionSpec
{
    private readonly Func<TrainingOptions, object?> get;
    private readonly Func<TrainingOptions, bool> valid;
    private readonly Func<TrainingOptions, string, TrainingOptions> parse;
    private readonly Func<TrainingOptions, string> format;

    internal OptionSpec(string property, string valueName, string help, OptionConstraint constraint, Solvers appliesTo, IReadOnlyList<string>? choices, Func<TrainingOptions, object?> get, Func<TrainingOptions, bool> valid, Func<TrainingOptions, string, TrainingOptions> parse, Func<TrainingOptions, string> format)
    {
        Property = property;
        ValueName = valueName;
        Help = help;
        Constraint = constraint;
        AppliesTo = appliesTo;
        Choices = choices;
        this.get = get;
        this.valid = valid;
        this.parse = parse;
        this.format = format;
    }

    /// <summary>The <see cref="TrainingOptions"/> property, e.g. <c>LearningRate</c>.</summary>
    public string Property { get; }

    /// <summary>A short name for the value in help texts, e.g. <c>ALPHA</c>.</summary>
    public string ValueName { get; }

    /// <summary>What the option does.</summary>
    public string Help { get; }

    /// <summary>The allowed values: an <see cref="Interval"/>, a <see cref="ChoiceSet"/>, a <see cref="ListOf"/> sizes, or words for a rule checked elsewhere.</summary>
    public OptionConstraint Constraint { get; }

    /// <summary>What is allowed, e.g. "a finite number &gt; 0": the end of every message about a bad value; the words of <see cref="Constraint"/>.</summary>
    public string Allowed => Constraint.Allowed;

    /// <summary>The solvers that use it.</summary>
    public Solvers AppliesTo { get; }

    /// <summary>The names a choice option takes, in help order; null for numbers.</summary>
    public IReadOnlyList<string>? Choices { get; }

    /// <summary>The default (a choice by its name, a list as "25"): this option's value in <see cref="TrainingOptionTable.Defaults"/>, a new <see cref="TrainingOptions"/>, the one place defaults are written.</summary>
    public object? Default => get(TrainingOptionTable.Defaults);

    /// <summary>The default as text, as <see cref="Parse"/> reads it.</summary>
    public string DefaultText => format(TrainingOptionTable.Defaults);

    /// <summary>The option's value in <paramref name="options"/>.</summary>
    public object? Value(TrainingOptions options) => get(options);

    /// <summary>The value as text, as <see cref="Parse"/> reads it and results files write it.</summary>
    public string Text(TrainingOptions options) => format(options);

    /// <summary>Whether <paramref name="solver"/> uses the option.</summary>
    public bool Applies(Solver solver) => (AppliesTo & SolverFlag(solver)) != 0;

    /// <summary><paramref name="options"/> with this option read from <paramref name="text"/>.</summary>
    /// <exception cref="OptionOutOfRangeException">The text is not a value of the option's kind; the message names the option, the text and <see cref="Allowed"/>.</exception>
    public TrainingOptions Parse(TrainingOptions options, string text) => parse(options, text);

    /// <summary>Checks the option's value in <paramref name="options"/>.</summary>
    /// <exception cref="OptionOutOfRangeException">Out of range.</exception>
    public void Check(TrainingOptions options)
    {
        if (!valid(options))
        {
            throw new OptionOutOfRangeException(Property, get(options), Allowed);
        }
    }

    internal static Solvers SolverFlag(Solver solver) => solver switch
    {
        Solver.Sgd => Solvers.Sgd,
        Solver.Cg => Solvers.Cg,
        _ => Solvers.Lbfgs,
    };
}

/// <summary>
/// The one table of training options: every <see cref="TrainingOptions"/> property with its help,
/// allowed values and solvers. <see cref="TrainingOptions.Validate"/> checks it; the command line
/// declares its options from it (and alone spells their names). A help or message text that refers to
/// another option writes its property name in backticks (<c>`MaxEpochs`</c>), for a program to spell.
/// </summary>
public static class TrainingOptionTable
{
    /// <summary>
    /// The most threads an option may ask for: 4 per core, at least 64. More only adds switching
    /// (1,024 threads on 2 cores ran 50 times slower) and the numbers do not depend on it.
    /// </summary>
    public static int MaxThreads { get; } = Math.Max(64, 4 * Environment.ProcessorCount);

    /// <summary>The defaults: a new <see cref="TrainingOptions"/>.</summary>
    public static TrainingOptions Defaults { get; } = new();

    /// <summary>Every option, in help order.</summary>
    public static IReadOnlyList<OptionSpec> All { get; } =
    [
        List(nameof(TrainingOptions.Hidden), "LIST", "Hidden layer sizes, comma-separated (e.g. 25 or 128,64)", new ListOf(Interval.Integers(1, 100_000), NeuralNetwork.MaxWeightLayers - 1), Solvers.All, o => o.Hidden, (o, v) => o with { Hidden = v }),
        Choice(nameof(TrainingOptions.Activation), "NAME", "Hidden activation", Solvers.All, o => o.Activation, Activations.Available, a => a.Name, name => Activations.TryGet(name, out IActivation? a) ? a : null, (o, v) => o with { Activation = v }, open: true),
        Choice(nameof(TrainingOptions.OutputActivation), "sigmoid|softmax", "Output layer: the lab's sigmoid units with their cross-entropy, or softmax with the categorical cross-entropy", Solvers.All, o => o.OutputActivation, OutputLayers.Available, a => a.Name, null, (o, v) => o with { OutputActivation = v }, open: true),
        Choice(nameof(TrainingOptions.Solver), "sgd|cg|lbfgs", "sgd (mini-batch gradient descent), cg (nonlinear conjugate gradient, full batch, the lab's fmincg) or lbfgs (limited-memory BFGS, full batch)", Solvers.All, o => o.Solver, Enum.GetValues<Solver>(), EnumName, null, (o, v) => o with { Solver = v }, allowed: "sgd, cg or lbfgs"),
        Int(nameof(TrainingOptions.Samples), "M|all", "First m images of the data set, or 'all'", new CheckedElsewhere("an integer in 2.. the images there are, or 'all'"), Solvers.All, o => o.Samples, (o, v) => o with { Samples = v }),
        Real(nameof(TrainingOptions.TrainFraction), "F", "The first fraction of the m images trains, the rest validates", Interval.Reals(0, 1, Closed.Neither), Solvers.All, o => o.TrainFraction, (o, v) => o with { TrainFraction = v }),
        Real(nameof(TrainingOptions.LearningRate), "ALPHA", "sgd step size alpha", Interval.Reals(0, null, Closed.Neither), Solvers.Sgd, o => o.LearningRate, (o, v) => o with { LearningRate = v }),
        Real(nameof(TrainingOptions.Lambda), "LAMBDA", "Ridge (L2) regularization strength; biases are not regularized", Interval.Reals(0, null, Closed.Left), Solvers.All, o => o.Lambda, (o, v) => o with { Lambda = v }),
        Choice(nameof(TrainingOptions.LambdaScale), "batch|training-set", "sgd: the m in each batch's ridge term lambda/(2m) sum W^2: batch (the batch size, as the lab's mini-batch code) or training-set (the training-set size, as the lab's J)", Solvers.Sgd, o => o.LambdaScale, Enum.GetValues<LambdaScale>(), EnumName, null, (o, v) => o with { LambdaScale = v }, allowed: "batch or training-set"),
        Int(nameof(TrainingOptions.BatchSize), "N", "sgd samples per mini-batch", Interval.Integers(1, 1_000_000), Solvers.Sgd, o => o.BatchSize, (o, v) => o with { BatchSize = v }),
        Int(nameof(TrainingOptions.MaxEpochs), "N", "sgd epochs at most", Interval.Integers(1), Solvers.Sgd, o => o.MaxEpochs, (o, v) => o with { MaxEpochs = v }),
        Real(nameof(TrainingOptions.Tolerance), "T", "sgd converges when ||g||/len(g) of an epoch's last batch is below this; 0 runs every epoch (the lab uses 1e-5)", Interval.Reals(0, null, Closed.Left, note: " (0 runs every epoch)"), Solvers.Sgd, o => o.Tolerance, (o, v) => o with { Tolerance = v }),
        Int(nameof(TrainingOptions.MaxIterations), "N", "cg and lbfgs iterations at most", Interval.Integers(1), Solvers.FullBatch, o => o.MaxIterations, (o, v) => o with { MaxIterations = v }),
        Real(nameof(TrainingOptions.GradientTolerance), "G", "cg and lbfgs converge when max |g_i| is at most this (scipy's gtol)", Interval.Reals(0, null, Closed.Left), Solvers.FullBatch, o => o.GradientTolerance, (o, v) => o with { GradientTolerance = v }),
        Choice(nameof(TrainingOptions.Init), "NAME", "Initialization: uniform (the lab's, with `InitEpsilon`), glorot or he", Solvers.All, o => o.Init, Enum.GetValues<InitializationKind>(), EnumName, null, (o, v) => o with { Init = v }),
        Real(nameof(TrainingOptions.InitEpsilon), "EPSILON", "Initial weights and biases uniform in [-epsilon, epsilon]", Interval.Reals(0, null, Closed.Neither), Solvers.All, o => o.InitEpsilon, (o, v) => o with { InitEpsilon = v }),
        Choice(nameof(TrainingOptions.Optimizer), "NAME", "sgd update rule", Solvers.Sgd, o => o.Optimizer, MiniBatchOptimizers.All, k => k.Name, null, (o, v) => o with { Optimizer = v }),
        Real(nameof(TrainingOptions.Momentum), "MU", "momentum and nesterov: the momentum coefficient", Interval.Reals(0, 1, Closed.Left), Solvers.Sgd, o => o.Momentum, (o, v) => o with { Momentum = v }),
        Real(nameof(TrainingOptions.WeightDecay), "D", "adamw: decoupled weight decay (biases excluded)", Interval.Reals(0, null, Closed.Left), Solvers.Sgd, o => o.WeightDecay, (o, v) => o with { WeightDecay = v }),
        Choice(nameof(TrainingOptions.Schedule), "constant|step|cosine", "Learning rate over the epochs: constant, step (x0.1 every third of the epochs) or cosine (down to 0)", Solvers.Sgd, o => o.Schedule, Enum.GetValues<ScheduleKind>(), EnumName, null, (o, v) => o with { Schedule = v }, allowed: "constant, step or cosine"),
        Int(nameof(TrainingOptions.WarmupEpochs), "N", "Epochs of linear learning-rate warm-up", Interval.Integers(0, note: ", fewer than `MaxEpochs`"), Solvers.Sgd, o => o.WarmupEpochs, (o, v) => o with { WarmupEpochs = v }),
        Real(nameof(TrainingOptions.ClipNorm), "N", "Clip each gradient to this global L2 norm (0 = off)", Interval.Reals(0, null, Closed.Left, note: " (0 = off)"), Solvers.Sgd, o => o.ClipNorm, (o, v) => o with { ClipNorm = v }),
        Int(nameof(TrainingOptions.Patience), "N", "Early stopping: stop after N epochs without a better validation score, keeping the best weights (0 = off)", Interval.Integers(0, note: " (0 = off)"), Solvers.Sgd, o => o.Patience, (o, v) => o with { Patience = v }),
        Choice(nameof(TrainingOptions.Monitor), "validation-cost|validation-accuracy", "What early stopping watches", Solvers.Sgd, o => o.Monitor, Enum.GetValues<EarlyStoppingMetric>(), EnumName, null, (o, v) => o with { Monitor = v }, allowed: "validation-cost or validation-accuracy"),
        Real(nameof(TrainingOptions.Dropout), "RATE", "sgd: drop each hidden unit with this probability while training (0 = off)", Interval.Reals(0, 1, Closed.Left, noun: "rate"), Solvers.Sgd, o => o.Dropout, (o, v) => o with { Dropout = v }),
        Flag(nameof(TrainingOptions.Augment), "sgd: shift training images by up to 2 pixels and flip them horizontally at random (seeded)", Solvers.Sgd, o => o.Augment, (o, v) => o with { Augment = v }),
        Int(nameof(TrainingOptions.Seed), "S", "Seed for initialization and shuffling: same seed, same numbers", Interval.Integers(int.MinValue, int.MaxValue), Solvers.All, o => o.Seed, (o, v) => o with { Seed = v }),
        Int(nameof(TrainingOptions.Threads), "N", "Threads; the numbers do not depend on it", Interval.Integers(1, MaxThreads), Solvers.All, o => o.Threads, (o, v) => o with { Threads = v }),
    ];

    /// <summary>The option of <paramref name="property"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such option.</exception>
    public static OptionSpec Get(string property)
        => All.FirstOrDefault(s => s.Property == property) ?? throw new KeyNotFoundException($"no training option {property}");

    /// <summary>
    /// The options among <paramref name="given"/> (property names) that <paramref name="solver"/>
    /// ignores: giving one is a mistake worth an error (<c>--solver cg --dropout 0.5</c>).
    /// </summary>
    public static IEnumerable<OptionSpec> IgnoredBy(Solver solver, IEnumerable<string> given)
        => given.Select(Get).Where(s => !s.Applies(solver));

    /// <summary>The names of the solvers in <paramref name="solvers"/>, e.g. "sgd" or "cg or lbfgs".</summary>
    public static string SolverNames(Solvers solvers)
        => string.Join(" or ", Enum.GetValues<Solver>().Where(s => (solvers & OptionSpec.SolverFlag(s)) != 0).Select(EnumName));

    private static string EnumName<TEnum>(TEnum value) where TEnum : struct, Enum => Results.ResultNames.Of(value);

    private static string Quote(string text) => text.Length == 0 || text.Any(char.IsWhiteSpace) ? $"'{text}'" : text;

    // An interval checks the value; words of a rule checked elsewhere (the samples) check nothing here.
    private static bool Allows(OptionConstraint constraint, double value) => constraint is not Interval interval || interval.Allows(value);

    private static OptionSpec Real(string property, string valueName, string help, Interval constraint, Solvers solvers, Func<TrainingOptions, double> get, Func<TrainingOptions, double, TrainingOptions> with)
        => new(property, valueName, help, constraint, solvers, null, o => get(o), o => constraint.Allows(get(o)), (o, text) =>
            double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                ? with(o, v)
                : throw new OptionOutOfRangeException(property, Quote(text), $"{constraint.Allowed} (a number with a decimal point, e.g. 0.1 or 1e-5)"),
            o => get(o).ToString("R", CultureInfo.InvariantCulture));

    private static OptionSpec Int(string property, string valueName, string help, OptionConstraint constraint, Solvers solvers, Func<TrainingOptions, int> get, Func<TrainingOptions, int, TrainingOptions> with)
        => new(property, valueName, help, constraint, solvers, null, o => get(o), o => Allows(constraint, get(o)), (o, text) =>
            int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v)
                ? with(o, v)
                : throw new OptionOutOfRangeException(property, Quote(text), constraint.Allowed),
            o => get(o).ToString(CultureInfo.InvariantCulture));

    private static OptionSpec Flag(string property, string help, Solvers solvers, Func<TrainingOptions, bool> get, Func<TrainingOptions, bool, TrainingOptions> with)
        => new(property, "", help, new ChoiceSet(["true", "false"], "true or false"), solvers, null, o => get(o), _ => true, (o, text) =>
            bool.TryParse(text.Trim(), out bool v) ? with(o, v) : throw new OptionOutOfRangeException(property, Quote(text), "true or false"),
            o => get(o) ? "true" : "false");

    private static OptionSpec List(string property, string valueName, string help, ListOf constraint, Solvers solvers, Func<TrainingOptions, IReadOnlyList<int>> get, Func<TrainingOptions, IReadOnlyList<int>, TrainingOptions> with)
        => new(property, valueName, help, constraint, solvers, null, o => string.Join(",", get(o)), o => constraint.Allows(get(o)), (o, text) =>
        {
            var sizes = new List<int>();
            foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
            {
                sizes.Add(int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int size) ? size : throw new OptionOutOfRangeException(property, Quote(part.Length == 0 ? part : text), constraint.Allowed));
            }

            return with(o, sizes);
        },
            o => string.Join(",", get(o)));

    // A choice among named values: parsed case-insensitively by name (or by lookup, for aliases).
    // An open choice (activations, outputs) also takes a library user's own implementation.
    private static OptionSpec Choice<TValue>(string property, string valueName, string help, Solvers solvers, Func<TrainingOptions, TValue> get, IReadOnlyList<TValue> values, Func<TValue, string> name, Func<string, TValue?>? lookup, Func<TrainingOptions, TValue, TrainingOptions> with, string? allowed = null, bool open = false)
    {
        string[] names = [.. values.Select(name)];
        var constraint = new ChoiceSet(names, allowed);
        string described = constraint.Allowed;
        // The help lists the names unless it already says them all.
        string helpText = names.All(help.Contains) ? help : $"{help}: {string.Join(", ", names)}";
        return new(property, valueName, helpText, constraint, solvers, names, o => get(o) is { } v ? name(v) : null,
            o => get(o) is { } v && (open || values.Contains(v)),
            (o, text) =>
            {
                string t = text.Trim();
                int index = Array.FindIndex(names, n => string.Equals(n, t, StringComparison.OrdinalIgnoreCase));
                TValue? found = lookup is not null ? lookup(t) : index >= 0 ? values[index] : default;
                return found is not null && (lookup is not null || index >= 0) ? with(o, found) : throw new OptionOutOfRangeException(property, Quote(text), described);
            },
            o => get(o) is { } v ? name(v) : "");
    }
}

using System.Globalization;
using AnnLab.Network;
using AnnLab.Optimization;

namespace AnnLab.Training;

/// <summary>The solvers <see cref="Trainer"/> offers.</summary>
public enum Solver
{
    /// <summary>The lab's mini-batch gradient descent.</summary>
    Sgd,

    /// <summary>Nonlinear conjugate gradient (Polak-Ribiere+, strong Wolfe line search), full batch.</summary>
    Cg,

    /// <summary>Limited-memory BFGS (Nocedal and Wright, Algorithm 7.4), full batch.</summary>
    Lbfgs,
}

/// <summary>
/// Which m the mini-batch solver puts in the ridge term lambda/(2m) sum W^2 of each batch's cost
/// (and lambda/m W of its gradient). Only sgd uses it; cg and lbfgs minimize J over the training
/// set, whose m is the training-set size.
/// </summary>
public enum LambdaScale
{
    /// <summary>
    /// m = the batch's own size, as the lab's mini-batch code does: with batches of 200 out of 4000
    /// training images the penalty per sample is 4000/200 = 20 times that of the lab's J.
    /// </summary>
    Batch,

    /// <summary>
    /// m = the training-set size n, as in the lab's J: each batch of m_b samples gets lambda m_b / n
    /// as its lambda (<see cref="LabCost.MiniBatchLambda"/>), so its penalty gradient is lambda/n W and
    /// the batch gradient is an unbiased estimate of the gradient of J, a last partial batch included
    /// (Nielsen, Neural Networks and Deep Learning, ch. 3, "Regularization": the mini-batch rule
    /// w -> (1 - alpha lambda / n) w - (alpha / m) sum_x dC_x/dw, n the training-set size).
    /// </summary>
    TrainingSet,
}

/// <summary>Why training stopped.</summary>
public enum StopReason
{
    /// <summary>The gradient fell below the tolerance.</summary>
    Converged,

    /// <summary>Ran the allowed number of epochs (sgd).</summary>
    MaxEpochs,

    /// <summary>Ran the allowed number of iterations (cg).</summary>
    MaxIterations,

    /// <summary>CG's line search found no acceptable step; the best point found is kept.</summary>
    LineSearchFailed,

    /// <summary>The cost became non-finite or the gradient exploded; no model is saved.</summary>
    Diverged,

    /// <summary>Validation stopped improving for --patience epochs; the best weights were restored.</summary>
    EarlyStopped,
}

/// <summary>
/// Everything that decides a training run. Property names map to the command-line options in
/// kebab case (<c>LearningRate</c> is <c>--learning-rate</c>). Defaults are the lab's.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Hidden layer sizes (the lab: one layer of 25).</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [25];

    /// <summary>Hidden activation name (see <see cref="Activations"/>).</summary>
    public string Activation { get; init; } = "sigmoid";

    /// <summary>Output layer name: sigmoid (the lab's) or softmax (see <see cref="OutputLayers"/>).</summary>
    public string OutputActivation { get; init; } = "sigmoid";

    /// <summary>The solver.</summary>
    public Solver Solver { get; init; } = Solver.Sgd;

    /// <summary>First m images of the data set to use, training part first (the lab: 5000).</summary>
    public int Samples { get; init; } = 5000;

    /// <summary>The first fraction of the m images trains, the rest validates (the lab: 0.8).</summary>
    public double TrainFraction { get; init; } = 0.8;

    /// <summary>SGD step size alpha (the lab: 0.1).</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>Ridge regularization strength lambda (the lab: 1).</summary>
    public double Lambda { get; init; } = 1.0;

    /// <summary>
    /// The m of sgd's per-batch ridge term lambda/(2m) sum W^2: <see cref="LambdaScale.Batch"/>, the
    /// batch size (the lab's mini-batch code, the default), or <see cref="LambdaScale.TrainingSet"/>,
    /// the training-set size (the lab's J). cg and lbfgs ignore it: they always use the training set.
    /// </summary>
    public LambdaScale LambdaScale { get; init; } = LambdaScale.Batch;

    /// <summary>Samples per mini-batch (the lab: 200).</summary>
    public int BatchSize { get; init; } = 200;

    /// <summary>Most SGD epochs (the lab: 500).</summary>
    public int MaxEpochs { get; init; } = 500;

    /// <summary>SGD stops as converged when ||g|| / len(g) of an epoch's last batch falls below this; 0 runs every epoch (the lab uses 1e-5).</summary>
    public double Tolerance { get; init; }

    /// <summary>Most CG iterations (the lab: 200).</summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>CG converges when the gradient's max-abs norm is at most this (scipy's gtol, 1e-5).</summary>
    public double GradientTolerance { get; init; } = 1e-5;

    /// <summary>Initialization by name: uniform (the lab's), glorot or he (see <see cref="Initializers"/>).</summary>
    public string Init { get; init; } = "uniform";

    /// <summary>Initial weights and biases are uniform in [-epsilon, epsilon] (the lab: 0.12).</summary>
    public double InitEpsilon { get; init; } = 0.12;

    /// <summary>Seed of the initialization and the shuffles: the same seed gives the same numbers.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The mini-batch update rule (see <see cref="MiniBatchOptimizers"/>): sgd (the lab's), momentum, nesterov, adam, adamw, rmsprop.</summary>
    public string Optimizer { get; init; } = "sgd";

    /// <summary>Momentum coefficient mu of momentum and nesterov.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>AdamW's decoupled weight decay (biases excluded).</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Learning-rate schedule over the epochs: constant, step (x0.1 every third of the epochs) or cosine (to 0).</summary>
    public string Schedule { get; init; } = "constant";

    /// <summary>Epochs of linear warm-up before the schedule (0 = none).</summary>
    public int WarmupEpochs { get; init; }

    /// <summary>Clip the gradient to this global L2 norm before each update (0 = off).</summary>
    public double ClipNorm { get; init; }

    /// <summary>Early stopping: stop after this many epochs without a better validation score and restore the best weights (0 = off).</summary>
    public int Patience { get; init; }

    /// <summary>What early stopping watches: validation-cost or validation-accuracy.</summary>
    public string Monitor { get; init; } = "validation-cost";

    /// <summary>Dropout rate of the hidden units during sgd training, 0..1 (0 = off; Srivastava et al. 2014).</summary>
    public double Dropout { get; init; }

    /// <summary>Augment training images during sgd: random shifts of up to 2 pixels and horizontal flips, seeded.</summary>
    public bool Augment { get; init; }

    /// <summary>Threads; the result does not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>SGD's divergence rule (the lab's): stop when ||g|| / len(g) exceeds this.</summary>
    public const double DivergenceGradientNorm = 1e3;

    /// <summary>Number of training images, floor(Samples * TrainFraction).</summary>
    public int TrainCount => (int)Math.Floor(Samples * TrainFraction);

    /// <summary>Number of validation images.</summary>
    public int ValidationCount => Samples - TrainCount;

    /// <summary>
    /// Checks every option but <see cref="Samples"/> and <see cref="TrainFraction"/>; throws on the first that is out of range.
    /// Those two depend on the data set and the split, and are checked there (<c>DatasetSource.CheckSplit</c>, <c>Dataset.Split</c>).
    /// </summary>
    /// <exception cref="OptionOutOfRangeException">An option is out of range; the message names it, the value and the allowed range.</exception>
    public void Validate()
    {
        if (Hidden.Count == 0 || Hidden.Any(h => h < 1 || h > 100_000))
        {
            throw new OptionOutOfRangeException(nameof(Hidden), string.Join(",", Hidden), "a comma-separated list of 1 or more layer sizes, each in 1..100000");
        }

        if (!Activations.TryGet(Activation, out _))
        {
            throw new OptionOutOfRangeException(nameof(Activation), Activation, $"one of {string.Join(", ", Activations.Names)}");
        }

        if (!OutputLayers.Names.Contains(OutputActivation, StringComparer.OrdinalIgnoreCase))
        {
            throw new OptionOutOfRangeException(nameof(OutputActivation), OutputActivation, $"one of {string.Join(", ", OutputLayers.Names)}");
        }

        Positive(nameof(LearningRate), LearningRate);
        if (!(Lambda >= 0) || !double.IsFinite(Lambda))
        {
            throw new OptionOutOfRangeException(nameof(Lambda), Lambda, "a finite number >= 0");
        }

        if (!Enum.IsDefined(LambdaScale))
        {
            throw new OptionOutOfRangeException(nameof(LambdaScale), LambdaScale, "batch or training-set");
        }

        if (BatchSize < 1 || BatchSize > 1_000_000)
        {
            throw new OptionOutOfRangeException(nameof(BatchSize), BatchSize, "an integer in 1..1000000");
        }

        if (MaxEpochs < 1)
        {
            throw new OptionOutOfRangeException(nameof(MaxEpochs), MaxEpochs, "an integer >= 1");
        }

        if (!(Tolerance >= 0) || !double.IsFinite(Tolerance))
        {
            throw new OptionOutOfRangeException(nameof(Tolerance), Tolerance, "a finite number >= 0 (0 runs every epoch)");
        }

        if (MaxIterations < 1)
        {
            throw new OptionOutOfRangeException(nameof(MaxIterations), MaxIterations, "an integer >= 1");
        }

        if (!(GradientTolerance >= 0) || !double.IsFinite(GradientTolerance))
        {
            throw new OptionOutOfRangeException(nameof(GradientTolerance), GradientTolerance, "a finite number >= 0");
        }

        Positive(nameof(InitEpsilon), InitEpsilon);
        if (!Initializers.Names.Contains(Init, StringComparer.OrdinalIgnoreCase))
        {
            throw new OptionOutOfRangeException(nameof(Init), Init, $"one of {string.Join(", ", Initializers.Names)}");
        }

        if (!MiniBatchOptimizers.Names.Contains(Optimizer, StringComparer.OrdinalIgnoreCase))
        {
            throw new OptionOutOfRangeException(nameof(Optimizer), Optimizer, $"one of {string.Join(", ", MiniBatchOptimizers.Names)}");
        }

        if (!(Momentum >= 0 && Momentum < 1))
        {
            throw new OptionOutOfRangeException(nameof(Momentum), Momentum, "a number in [0, 1)");
        }

        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay))
        {
            throw new OptionOutOfRangeException(nameof(WeightDecay), WeightDecay, "a finite number >= 0");
        }

        if (Schedule is not ("constant" or "step" or "cosine"))
        {
            throw new OptionOutOfRangeException(nameof(Schedule), Schedule, "constant, step or cosine");
        }

        if (WarmupEpochs < 0 || WarmupEpochs >= MaxEpochs)
        {
            throw new OptionOutOfRangeException(nameof(WarmupEpochs), WarmupEpochs, $"an integer in 0..{MaxEpochs - 1} (fewer than --max-epochs)");
        }

        if (!(ClipNorm >= 0) || !double.IsFinite(ClipNorm))
        {
            throw new OptionOutOfRangeException(nameof(ClipNorm), ClipNorm, "a finite number >= 0 (0 = off)");
        }

        if (Patience < 0)
        {
            throw new OptionOutOfRangeException(nameof(Patience), Patience, "an integer >= 0 (0 = off)");
        }

        if (Monitor is not ("validation-cost" or "validation-accuracy"))
        {
            throw new OptionOutOfRangeException(nameof(Monitor), Monitor, "validation-cost or validation-accuracy");
        }

        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw new OptionOutOfRangeException(nameof(Dropout), Dropout, "a rate in [0, 1)");
        }

        if (Threads < 1 || Threads > 1024)
        {
            throw new OptionOutOfRangeException(nameof(Threads), Threads, "an integer in 1..1024");
        }
    }

    private static void Positive(string name, double value)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new OptionOutOfRangeException(name, value, "a finite number > 0");
        }
    }
}

/// <summary>An option out of its allowed range: names the option, the value found and what is allowed.</summary>
public sealed class OptionOutOfRangeException : ArgumentOutOfRangeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="option">The option's property name, e.g. <c>LearningRate</c>.</param>
    /// <param name="value">The value found.</param>
    /// <param name="allowed">What is allowed, e.g. "a finite number &gt; 0".</param>
    public OptionOutOfRangeException(string option, object? value, string allowed)
        : base(option, value, $"{ToOptionName(option)}: got {Format(value)}, expected {allowed}")
    {
        OptionName = ToOptionName(option);
        Allowed = allowed;
    }

    /// <summary>The command-line form of the option, e.g. <c>--learning-rate</c>.</summary>
    public string OptionName { get; }

    /// <summary>What is allowed.</summary>
    public string Allowed { get; }

    /// <summary>One line for the user: option, value found, allowed range.</summary>
    public string Line => $"{OptionName}: got {Format(ActualValue)}, expected {Allowed}";

    /// <summary>LearningRate becomes --learning-rate.</summary>
    public static string ToOptionName(string property)
    {
        var sb = new System.Text.StringBuilder("--");
        for (int i = 0; i < property.Length; i++)
        {
            char c = property[i];
            if (char.IsUpper(c) && i > 0)
            {
                sb.Append('-');
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    private static string Format(object? value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        null => "nothing",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}

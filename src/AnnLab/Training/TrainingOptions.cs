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

/// <summary>A learning-rate schedule over the epochs (the classes of <see cref="ILearningRateSchedule"/>).</summary>
public enum ScheduleKind
{
    /// <summary>The same rate every epoch (the lab's).</summary>
    Constant,

    /// <summary>x0.1 every third of the epochs.</summary>
    Step,

    /// <summary>Cosine annealing down to 0.</summary>
    Cosine,
}

/// <summary>What early stopping watches.</summary>
public enum EarlyStoppingMetric
{
    /// <summary>J over the validation set; lower is better.</summary>
    ValidationCost,

    /// <summary>Accuracy on the validation set; higher is better.</summary>
    ValidationAccuracy,
}

/// <summary>How the weights start (<see cref="Initializers"/>).</summary>
public enum InitializationKind
{
    /// <summary>The lab's: every weight and bias uniform in [-epsilon, epsilon].</summary>
    Uniform,

    /// <summary>Glorot and Bengio (2010) uniform weights, zero biases.</summary>
    Glorot,

    /// <summary>He et al. (2015) normal weights, zero biases.</summary>
    He,
}

/// <summary>
/// Everything that decides a training run. Defaults are the lab's. What each option means, its
/// allowed values and which solvers use it is declared once, in <see cref="TrainingOptionTable"/>,
/// which <see cref="Validate"/> checks and the command line's declarations are made from.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>SGD's divergence rule (the lab's): stop when ||g|| / len(g) exceeds this.</summary>
    public const double DivergenceGradientNorm = 1e3;

    /// <summary>
    /// SGD's second divergence rule: stop when an epoch's mean cost exceeds this many times the
    /// first batch's cost (at the initial weights). A run that learns lowers its cost; one whose
    /// cost grows tenfold is oscillating out of the basin (PyTorch Lightning's
    /// <c>EarlyStopping(divergence_threshold)</c> stops on a cost above a bound, Keras's
    /// <c>TerminateOnNaN</c> only on a non-finite one).
    /// </summary>
    public const double DivergenceCostGrowth = 10;

    /// <summary>Hidden layer sizes (the lab: one layer of 25).</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [25];

    /// <summary>Hidden activation (see <see cref="Activations"/>).</summary>
    public IActivation Activation { get; init; } = new Sigmoid();

    /// <summary>Output layer and its cost: sigmoid (the lab's) or softmax (see <see cref="OutputLayers"/>).</summary>
    public OutputLayer OutputActivation { get; init; } = OutputLayers.Sigmoid;

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
    /// the training-set size (the lab's J). cg and lbfgs always use the training set.
    /// </summary>
    public LambdaScale LambdaScale { get; init; } = LambdaScale.Batch;

    /// <summary>Samples per mini-batch (the lab: 200).</summary>
    public int BatchSize { get; init; } = 200;

    /// <summary>Most SGD epochs (the lab: 500).</summary>
    public int MaxEpochs { get; init; } = 500;

    /// <summary>SGD stops as converged when ||g|| / len(g) of an epoch's last batch falls below this; 0 runs every epoch (the lab uses 1e-5).</summary>
    public double Tolerance { get; init; }

    /// <summary>Most CG and L-BFGS iterations (the lab: 200).</summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>CG and L-BFGS converge when the gradient's max-abs norm is at most this (scipy's gtol, 1e-5).</summary>
    public double GradientTolerance { get; init; } = 1e-5;

    /// <summary>The initialization.</summary>
    public InitializationKind Init { get; init; } = InitializationKind.Uniform;

    /// <summary>Initial weights and biases are uniform in [-epsilon, epsilon] (the lab: 0.12).</summary>
    public double InitEpsilon { get; init; } = UniformInitializer.DefaultEpsilon;

    /// <summary>Seed of the initialization and the shuffles: the same seed gives the same numbers.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The mini-batch update rule (see <see cref="MiniBatchOptimizers"/>).</summary>
    public OptimizerKind Optimizer { get; init; } = MiniBatchOptimizers.Sgd;

    /// <summary>Momentum coefficient mu of momentum and nesterov.</summary>
    public double Momentum { get; init; } = AnnLab.Optimization.Momentum.DefaultMu;

    /// <summary>AdamW's decoupled weight decay (biases excluded).</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Learning-rate schedule over the epochs.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Constant;

    /// <summary>Epochs of linear warm-up before the schedule (0 = none).</summary>
    public int WarmupEpochs { get; init; }

    /// <summary>Clip the gradient to this global L2 norm before each update (0 = off).</summary>
    public double ClipNorm { get; init; }

    /// <summary>Early stopping: stop after this many epochs without a better validation score and restore the best weights (0 = off).</summary>
    public int Patience { get; init; }

    /// <summary>What early stopping watches.</summary>
    public EarlyStoppingMetric Monitor { get; init; } = EarlyStoppingMetric.ValidationCost;

    /// <summary>Dropout rate of the hidden units during sgd training, 0..1 (0 = off; Srivastava et al. 2014).</summary>
    public double Dropout { get; init; }

    /// <summary>Augment training images during sgd: random shifts of up to 2 pixels and horizontal flips, seeded.</summary>
    public bool Augment { get; init; }

    /// <summary>Threads; the result does not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Number of training images, floor(Samples * TrainFraction).</summary>
    public int TrainCount => (int)Math.Floor(Samples * TrainFraction);

    /// <summary>Number of validation images.</summary>
    public int ValidationCount => Samples - TrainCount;

    /// <summary>
    /// Checks every option against <see cref="TrainingOptionTable"/>, then the rules that tie two options
    /// together; throws on the first that fails. <see cref="Samples"/> depends on the data set and
    /// the split, and is checked there (<c>DatasetSource.CheckSplit</c>, <c>Dataset.Split</c>).
    /// </summary>
    /// <exception cref="OptionOutOfRangeException">An option is out of range; the message names it, the value and the allowed range.</exception>
    public void Validate()
    {
        foreach (OptionSpec spec in TrainingOptionTable.All)
        {
            spec.Check(this);
        }

        if (WarmupEpochs >= MaxEpochs)
        {
            throw new OptionOutOfRangeException(nameof(WarmupEpochs), WarmupEpochs, $"an integer in 0..{MaxEpochs - 1} (fewer than `MaxEpochs`)");
        }
    }
}

/// <summary>An option out of its allowed range: names the option (by its property name), the value found and what is allowed.</summary>
public sealed class OptionOutOfRangeException : ArgumentOutOfRangeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="option">The option's property name, e.g. <c>LearningRate</c>.</param>
    /// <param name="value">The value found.</param>
    /// <param name="allowed">What is allowed, e.g. "a finite number &gt; 0".</param>
    public OptionOutOfRangeException(string option, object? value, string allowed)
        : base(option, value, $"{option}: got {Format(value)}, expected {allowed}")
    {
        Option = option;
        Allowed = allowed;
        Found = Format(value);
    }

    /// <summary>The option's property name, e.g. <c>LearningRate</c>; the command line spells it its own way.</summary>
    public string Option { get; }

    /// <summary>What is allowed.</summary>
    public string Allowed { get; }

    /// <summary>The value found, as text.</summary>
    public string Found { get; }

    /// <summary>"got X, expected Y": the line for the user after the option's name.</summary>
    public string Detail => $"got {Found}, expected {Allowed}";

    private static string Format(object? value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        null => "nothing",
        // An empty or blank value reads '' (or '  '), never as nothing between "got" and the comma.
        string s when string.IsNullOrWhiteSpace(s) => $"'{s}'",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}

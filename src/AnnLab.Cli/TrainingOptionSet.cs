using System.CommandLine;
using System.Globalization;
using AnnLab.Training;

namespace AnnLab.Cli;

/// <summary>
/// The training options that train and compare share (--hidden, --solver, --learning-rate,
/// --lambda, --lambda-scale, --max-epochs, --max-iterations, --seed, --threads), declared and read
/// once here, as <see cref="DataOptions"/> does for the data options; sweep takes --max-epochs and
/// --seed from here too. A command lists the options it takes in its own order.
/// </summary>
internal sealed class TrainingOptionSet
{
    private static readonly string[] LambdaScaleNames = ["batch", "training-set"];

    /// <summary>Declares the options.</summary>
    /// <param name="maxEpochs">The command's default of --max-epochs.</param>
    /// <param name="lambdaScale">The command's default of --lambda-scale.</param>
    public TrainingOptionSet(int maxEpochs = 500, AnnLab.Training.LambdaScale lambdaScale = AnnLab.Training.LambdaScale.Batch)
    {
        MaxEpochs = new("--max-epochs") { HelpName = "N", Description = "sgd epochs at most", DefaultValueFactory = _ => maxEpochs.ToString(CultureInfo.InvariantCulture) };
        LambdaScale = new("--lambda-scale") { HelpName = "batch|training-set", Description = "sgd: the m in each batch's ridge term lambda/(2m) sum W^2: batch (the batch size, as the lab's mini-batch code) or training-set (the training-set size, as the lab's J)", DefaultValueFactory = _ => Name(lambdaScale) };
    }

    public Option<string> Hidden { get; } = new("--hidden") { HelpName = "LIST", Description = "Hidden layer sizes, comma-separated (e.g. 25 or 128,64)", DefaultValueFactory = _ => "25" };

    public Option<string> Solver { get; } = new("--solver") { HelpName = "sgd|cg|lbfgs", Description = "sgd (mini-batch gradient descent), cg (nonlinear conjugate gradient, full batch, the lab's fmincg) or lbfgs (limited-memory BFGS, full batch)", DefaultValueFactory = _ => "sgd" };

    public Option<string> LearningRate { get; } = new("--learning-rate") { HelpName = "ALPHA", Description = "sgd step size alpha", DefaultValueFactory = _ => "0.1" };

    public Option<string> Lambda { get; } = new("--lambda") { HelpName = "LAMBDA", Description = "Ridge (L2) regularization strength; biases are not regularized", DefaultValueFactory = _ => "1" };

    public Option<string> LambdaScale { get; }

    public Option<string> MaxEpochs { get; }

    public Option<string> MaxIterations { get; } = new("--max-iterations") { HelpName = "N", Description = "cg and lbfgs iterations at most", DefaultValueFactory = _ => "200" };

    public Option<string> Seed { get; } = new("--seed") { HelpName = "S", Description = "Seed for initialization and shuffling: same seed, same numbers", DefaultValueFactory = _ => "1" };

    public Option<string?> Threads { get; } = new("--threads") { HelpName = "N", Description = $"Threads [default: all cores, {Environment.ProcessorCount} here]; the numbers do not depend on it" };

    /// <summary>Option name -> value used when the option is not given (set by a --preset).</summary>
    public IReadOnlyDictionary<string, string> Preset { get; set; } = new Dictionary<string, string>();

    /// <summary>The option's value: as given, else the preset's, else its default.</summary>
    public string Value(ParseResult parse, Option<string> option) => OptionValues.Value(parse, option, Preset);

    /// <summary>
    /// <paramref name="options"/> with every option of this set read from the command line; the
    /// command must take them all. Throws <see cref="OptionOutOfRangeException"/> for a value that
    /// is not a number, list or name; ranges are left to <see cref="TrainingOptions.Validate"/>.
    /// </summary>
    public TrainingOptions Bind(ParseResult parse, TrainingOptions options)
    {
        string solver = Value(parse, Solver);
        return options with
        {
            Hidden = ParseHidden(Value(parse, Hidden)),
            Solver = solver.ToLowerInvariant() switch
            {
                "sgd" => AnnLab.Training.Solver.Sgd,
                "cg" => AnnLab.Training.Solver.Cg,
                "lbfgs" => AnnLab.Training.Solver.Lbfgs,
                _ => throw new OptionOutOfRangeException(nameof(TrainingOptions.Solver), solver, "sgd, cg or lbfgs"),
            },
            LearningRate = OptionValues.Double(nameof(TrainingOptions.LearningRate), Value(parse, LearningRate), "a finite number > 0"),
            Lambda = OptionValues.Double(nameof(TrainingOptions.Lambda), Value(parse, Lambda), "a finite number >= 0"),
            LambdaScale = ParseLambdaScale(Value(parse, LambdaScale)),
            MaxEpochs = ParseMaxEpochs(parse),
            MaxIterations = OptionValues.Int(nameof(TrainingOptions.MaxIterations), Value(parse, MaxIterations), "an integer >= 1"),
            Seed = ParseSeed(parse),
            Threads = ParseThreads(parse.GetValue(Threads)),
        };
    }

    public int ParseMaxEpochs(ParseResult parse) => OptionValues.Int(nameof(TrainingOptions.MaxEpochs), Value(parse, MaxEpochs), "an integer >= 1");

    public int ParseSeed(ParseResult parse) => OptionValues.Int(nameof(TrainingOptions.Seed), Value(parse, Seed), $"an integer in {int.MinValue}..{int.MaxValue}");

    /// <summary>"batch" or "training-set", as --lambda-scale and the JSON files spell it.</summary>
    public static string Name(AnnLab.Training.LambdaScale scale) => LambdaScaleNames[(int)scale];

    /// <summary>The --lambda-scale value; anything but batch or training-set is an <see cref="OptionOutOfRangeException"/>.</summary>
    public static AnnLab.Training.LambdaScale ParseLambdaScale(string text)
    {
        int index = Array.IndexOf(LambdaScaleNames, text.Trim().ToLowerInvariant());
        return index >= 0 ? (AnnLab.Training.LambdaScale)index : throw new OptionOutOfRangeException(nameof(TrainingOptions.LambdaScale), OptionValues.Quote(text), "batch or training-set");
    }

    /// <summary>The --threads value, or all cores when it is not given.</summary>
    public static int ParseThreads(string? text)
        => text is null ? Environment.ProcessorCount : OptionValues.Int(nameof(TrainingOptions.Threads), text, "an integer in 1..1024");

    /// <summary>"128,64" becomes [128, 64]; anything else that is not a list of integers is an <see cref="OptionOutOfRangeException"/>.</summary>
    public static List<int> ParseHidden(string hiddenText)
    {
        var hidden = new List<int>();
        foreach (string part in hiddenText.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int size))
            {
                throw new OptionOutOfRangeException(nameof(TrainingOptions.Hidden), OptionValues.Quote(hiddenText), "a comma-separated list of 1 or more layer sizes, each in 1..100000");
            }

            hidden.Add(size);
        }

        return hidden;
    }
}

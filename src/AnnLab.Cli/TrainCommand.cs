using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AnnLab.Data;
using AnnLab.IO;
using AnnLab.Network;
using AnnLab.Training;
using Spectre.Console;

namespace AnnLab.Cli;

/// <summary><c>annlab train</c>: load Fashion-MNIST, build the network, train, report, save.</summary>
internal static class TrainCommand
{
    private static readonly TrainingOptions Defaults = new();
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly Option<string?> Data = new("--data") { Description = $"Folder with the four Fashion-MNIST IDX files (default: ${FashionMnist.EnvironmentVariable}, then the repository's data/fashion-mnist, then {FashionMnist.SystemDirectory})" };
    private static readonly Option<string> Samples = new("--samples") { Description = "First m images of train ++ test (70,000), or 'all'", DefaultValueFactory = _ => Defaults.Samples.ToString(CultureInfo.InvariantCulture) };
    private static readonly Option<double> TrainFraction = new("--train-fraction") { Description = "The first fraction of the m images trains, the rest validates", DefaultValueFactory = _ => Defaults.TrainFraction };
    private static readonly Option<string> Hidden = new("--hidden") { Description = "Hidden layer sizes, comma-separated (e.g. 25 or 128,64)", DefaultValueFactory = _ => "25" };
    private static readonly Option<string> Activation = new("--activation") { Description = $"Hidden activation: {string.Join(", ", Activations.Names)}", DefaultValueFactory = _ => Defaults.Activation };
    private static readonly Option<string> SolverOption = new("--solver") { Description = "sgd (mini-batch gradient descent) or cg (nonlinear conjugate gradient, full batch)", DefaultValueFactory = _ => "sgd" };
    private static readonly Option<double> LearningRate = new("--learning-rate") { Description = "sgd step size alpha", DefaultValueFactory = _ => Defaults.LearningRate };
    private static readonly Option<double> Lambda = new("--lambda") { Description = "Ridge (L2) regularization strength; biases are not regularized", DefaultValueFactory = _ => Defaults.Lambda };
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "sgd samples per mini-batch", DefaultValueFactory = _ => Defaults.BatchSize };
    private static readonly Option<int> MaxEpochs = new("--max-epochs") { Description = "sgd epochs at most", DefaultValueFactory = _ => Defaults.MaxEpochs };
    private static readonly Option<double> Tolerance = new("--tolerance") { Description = "sgd converges when ||g||/len(g) of an epoch's last batch is below this; 0 runs every epoch (the lab uses 1e-5)", DefaultValueFactory = _ => Defaults.Tolerance };
    private static readonly Option<int> MaxIterations = new("--max-iterations") { Description = "cg iterations at most", DefaultValueFactory = _ => Defaults.MaxIterations };
    private static readonly Option<double> GradientTolerance = new("--gradient-tolerance") { Description = "cg converges when max |g_i| is at most this (scipy's gtol)", DefaultValueFactory = _ => Defaults.GradientTolerance };
    private static readonly Option<double> InitEpsilon = new("--init-epsilon") { Description = "Initial weights and biases uniform in [-epsilon, epsilon]", DefaultValueFactory = _ => Defaults.InitEpsilon };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed for initialization and shuffling: same seed, same numbers", DefaultValueFactory = _ => Defaults.Seed };
    private static readonly Option<int> Threads = new("--threads") { Description = "Threads (default: all cores); results do not depend on it", DefaultValueFactory = _ => Environment.ProcessorCount };
    private static readonly Option<string?> Output = new("--output") { Description = "Run folder for the model and results.json (default: runs/<timestamp>)" };
    private static readonly Option<string?> Json = new("--json") { Description = "Also write the results JSON to this file" };

    public static Command Create()
    {
        var command = new Command("train", "Train the lab's network on Fashion-MNIST and report training and validation accuracy.")
        {
            Data, Samples, TrainFraction, Hidden, Activation, SolverOption, LearningRate, Lambda, BatchSize, MaxEpochs, Tolerance,
            MaxIterations, GradientTolerance, InitEpsilon, Seed, Threads, Output, Json,
        };
        command.SetAction(Run);
        return command;
    }

    /// <summary>Builds the options from the command line; throws <see cref="OptionOutOfRangeException"/> for values it cannot take.</summary>
    internal static TrainingOptions Bind(ParseResult parse)
    {
        string samplesText = parse.GetValue(Samples)!.Trim();
        int samples;
        if (samplesText.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            samples = TrainingOptions.AllSamples;
        }
        else if (!int.TryParse(samplesText, NumberStyles.Integer, CultureInfo.InvariantCulture, out samples))
        {
            throw new OptionOutOfRangeException(nameof(TrainingOptions.Samples), samplesText, $"an integer in 2..{TrainingOptions.AllSamples}, or 'all'");
        }

        List<int> hidden = ParseHidden(parse.GetValue(Hidden)!);

        string solverText = parse.GetValue(SolverOption)!;
        Solver solver = solverText.ToLowerInvariant() switch
        {
            "sgd" => Solver.Sgd,
            "cg" => Solver.Cg,
            _ => throw new OptionOutOfRangeException(nameof(Solver), solverText, "sgd or cg"),
        };

        var options = new TrainingOptions
        {
            Hidden = hidden,
            Activation = parse.GetValue(Activation)!.ToLowerInvariant(),
            Solver = solver,
            Samples = samples,
            TrainFraction = parse.GetValue(TrainFraction),
            LearningRate = parse.GetValue(LearningRate),
            Lambda = parse.GetValue(Lambda),
            BatchSize = parse.GetValue(BatchSize),
            MaxEpochs = parse.GetValue(MaxEpochs),
            Tolerance = parse.GetValue(Tolerance),
            MaxIterations = parse.GetValue(MaxIterations),
            GradientTolerance = parse.GetValue(GradientTolerance),
            InitEpsilon = parse.GetValue(InitEpsilon),
            Seed = parse.GetValue(Seed),
            Threads = parse.GetValue(Threads),
        };
        options.Validate();
        return options;
    }

    /// <summary>"128,64" becomes [128, 64]; anything else that is not a list of integers is an <see cref="OptionOutOfRangeException"/>.</summary>
    internal static List<int> ParseHidden(string hiddenText)
    {
        var hidden = new List<int>();
        foreach (string part in hiddenText.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int size))
            {
                throw new OptionOutOfRangeException(nameof(TrainingOptions.Hidden), hiddenText, "a comma-separated list of 1 or more layer sizes, each in 1..100000");
            }

            hidden.Add(size);
        }

        return hidden;
    }

    private static int Run(ParseResult parse)
    {
        var launch = Stopwatch.StartNew();
        TrainingOptions options = Bind(parse);
        string runFolder = parse.GetValue(Output) ?? DefaultRunFolder();
        string? jsonPath = parse.GetValue(Json);

        string dataDir = FashionMnist.LocateDirectory(parse.GetValue(Data), Environment.GetEnvironmentVariable(FashionMnist.EnvironmentVariable), [AppContext.BaseDirectory, Environment.CurrentDirectory]);
        ImageSet all = FashionMnist.LoadAll(dataDir);
        (ImageSet train, ImageSet validation) = FashionMnist.LabSplit(all, options.Samples, options.TrainFraction);
        var network = new NeuralNetwork([all.Features, .. options.Hidden, FashionMnist.ClassNames.Count], Activations.Get(options.Activation));
        var parameters = new float[network.ParameterCount];
        network.Initialize<float>(parameters, options.InitEpsilon, options.Seed);

        Program.Say($"data: {dataDir}: {options.Samples} images, {train.Count} training, {validation.Count} validation (loaded in {launch.Elapsed.TotalSeconds:F2} s)");
        Program.Say($"network: {network}, {network.ParameterCount} parameters; solver {options.Solver.ToString().ToLowerInvariant()}, lambda {options.Lambda.ToString(CultureInfo.InvariantCulture)}, seed {options.Seed}, threads {options.Threads}");

        TrainingResult result = TrainWithProgress(network, parameters, train, options);

        Evaluation trainEval, validationEval;
        using (var onTrain = new DatasetObjective<float>(network, train, options.Lambda, options.Threads))
        using (var onValidation = new DatasetObjective<float>(network, validation, options.Lambda, options.Threads))
        {
            trainEval = onTrain.Measure(parameters);
            validationEval = onValidation.Measure(parameters);
        }
        bool diverged = result.StopReason == StopReason.Diverged;

        Directory.CreateDirectory(runFolder);
        string? modelPath = null;
        if (!diverged)
        {
            modelPath = Path.Combine(runFolder, "model.annlab");
            ModelFile.Save(new Model(network, parameters, FashionMnist.ClassNames), modelPath);
        }

        string json = ResultsJson(options, result, trainEval, validationEval, dataDir, modelPath);
        AtomicFile.WriteAllText(Path.Combine(runFolder, "results.json"), json);
        if (jsonPath is not null)
        {
            AtomicFile.WriteAllText(jsonPath, json);
        }

        ShowSummary(options, result, trainEval, validationEval);
        Program.Say(result.Message);
        Program.Say($"run folder: {runFolder}" + (modelPath is null ? " (no model saved: training diverged)" : $" (model: {modelPath})"));
        return diverged ? Program.Failed : Program.Ok;
    }

    private static TrainingResult TrainWithProgress(NeuralNetwork network, float[] parameters, ImageSet train, TrainingOptions options)
    {
        string unit = options.Solver == Solver.Sgd ? "epoch" : "iteration";
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            int total = options.Solver == Solver.Sgd ? options.MaxEpochs : options.MaxIterations;
            int every = Math.Max(1, total / 20);
            return Trainer.Train(network, parameters, train, options, p =>
            {
                if (p.Step % every == 0 || p.Step == 1)
                {
                    Console.WriteLine(FormattableString.Invariant($"{unit} {p.Step}/{p.TotalSteps}: cost {p.Cost:F5}, gradient norm {p.GradientNorm:E2}, {p.ElapsedSeconds:F2} s"));
                }
            });
        }

        TrainingResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                int total = options.Solver == Solver.Sgd ? options.MaxEpochs : options.MaxIterations;
                ProgressTask task = context.AddTask($"{unit} 0/{total}", maxValue: total);
                result = Trainer.Train(network, parameters, train, options, p =>
                {
                    task.Value = p.Step;
                    task.Description = Markup.Escape(FormattableString.Invariant($"{unit} {p.Step}/{p.TotalSteps} cost {p.Cost:F5} |g| {p.GradientNorm:E2}"));
                });
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private static void ShowSummary(TrainingOptions options, TrainingResult result, Evaluation train, Evaluation validation)
    {
        var table = new Table().Title("AnnLab training").AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("training accuracy", $"{train.Accuracy * 100:F2} %");
        table.AddRow("validation accuracy", $"{validation.Accuracy * 100:F2} %");
        table.AddRow("training cost J", FormattableString.Invariant($"{train.Cost:F5}"));
        table.AddRow("validation cost J", FormattableString.Invariant($"{validation.Cost:F5}"));
        table.AddRow(options.Solver == Solver.Sgd ? "epochs" : "iterations", (options.Solver == Solver.Sgd ? result.Epochs : result.Iterations).ToString(CultureInfo.InvariantCulture));
        table.AddRow("stop reason", Markup.Escape(StopReasonName(result.StopReason)));
        table.AddRow("training seconds", FormattableString.Invariant($"{result.TrainSeconds:F2}"));
        table.AddRow("samples per second", FormattableString.Invariant($"{result.SamplesPerSecond:N0}"));
        AnsiConsole.Write(table);
    }

    internal static string StopReasonName(StopReason reason) => reason switch
    {
        StopReason.Converged => "converged",
        StopReason.MaxEpochs => "max-epochs",
        StopReason.MaxIterations => "max-iterations",
        StopReason.LineSearchFailed => "line-search-failed",
        _ => "diverged",
    };

    private static string ResultsJson(TrainingOptions o, TrainingResult r, Evaluation train, Evaluation validation, string dataDir, string? modelPath)
    {
        var document = new
        {
            Solver = o.Solver.ToString().ToLowerInvariant(),
            StopReason = StopReasonName(r.StopReason),
            r.Message,
            r.Epochs,
            r.Iterations,
            r.FunctionEvaluations,
            TrainAccuracy = train.Accuracy,
            ValidationAccuracy = validation.Accuracy,
            TrainCost = train.Cost,
            ValidationCost = validation.Cost,
            r.TrainSeconds,
            r.SamplesPerSecond,
            o.Seed,
            TrainSamples = train.Predictions.Length,
            ValidationSamples = validation.Predictions.Length,
            Model = modelPath,
            Configuration = new
            {
                Data = dataDir,
                o.Samples,
                o.TrainFraction,
                LayerSizes = (int[])[784, .. o.Hidden, 10],
                o.Activation,
                OutputActivation = NeuralNetwork.OutputActivationName,
                Solver = o.Solver.ToString().ToLowerInvariant(),
                o.LearningRate,
                o.Lambda,
                o.BatchSize,
                o.MaxEpochs,
                o.Tolerance,
                o.MaxIterations,
                o.GradientTolerance,
                o.InitEpsilon,
                o.Seed,
                o.Threads,
            },
            History = r.History.Select(h => new { h.Step, h.Cost, h.GradientNorm, h.ElapsedSeconds }),
        };
        return JsonSerializer.Serialize(document, JsonOptions);
    }

    private static string DefaultRunFolder()
    {
        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string folder = Path.Combine("runs", stamp);
        for (int i = 2; Directory.Exists(folder); i++)
        {
            folder = Path.Combine("runs", $"{stamp}-{i}");
        }

        return folder;
    }
}

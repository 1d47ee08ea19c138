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

    private static readonly Option<string?> Data = new("--data") { HelpName = "DIR", Description = $"Folder with the four Fashion-MNIST IDX files [default: ${FashionMnist.EnvironmentVariable}, then the repository's data/fashion-mnist, then {FashionMnist.SystemDirectory}]" };
    private static readonly Option<string> Samples = new("--samples") { HelpName = "M|all", Description = "First m images of the 70,000 (the 60,000 training images, then the 10,000 test images), or 'all'", DefaultValueFactory = _ => Defaults.Samples.ToString(CultureInfo.InvariantCulture) };
    private static readonly Option<string> TrainFraction = new("--train-fraction") { HelpName = "F", Description = "The first fraction of the m images trains, the rest validates", DefaultValueFactory = _ => "0.8" };
    private static readonly Option<string> Hidden = new("--hidden") { HelpName = "LIST", Description = "Hidden layer sizes, comma-separated (e.g. 25 or 128,64)", DefaultValueFactory = _ => "25" };
    private static readonly Option<string> Activation = new("--activation") { HelpName = "NAME", Description = $"Hidden activation: {string.Join(", ", Activations.Names)}", DefaultValueFactory = _ => Defaults.Activation };
    private static readonly Option<string> SolverOption = new("--solver") { HelpName = "sgd|cg", Description = "sgd (mini-batch gradient descent) or cg (nonlinear conjugate gradient, full batch)", DefaultValueFactory = _ => "sgd" };
    private static readonly Option<string> LearningRate = new("--learning-rate") { HelpName = "ALPHA", Description = "sgd step size alpha", DefaultValueFactory = _ => "0.1" };
    private static readonly Option<string> Lambda = new("--lambda") { HelpName = "LAMBDA", Description = "Ridge (L2) regularization strength; biases are not regularized", DefaultValueFactory = _ => "1" };
    private static readonly Option<string> BatchSize = new("--batch-size") { HelpName = "N", Description = "sgd samples per mini-batch", DefaultValueFactory = _ => "200" };
    private static readonly Option<string> MaxEpochs = new("--max-epochs") { HelpName = "N", Description = "sgd epochs at most", DefaultValueFactory = _ => "500" };
    private static readonly Option<string> Tolerance = new("--tolerance") { HelpName = "T", Description = "sgd converges when ||g||/len(g) of an epoch's last batch is below this; 0 runs every epoch (the lab uses 1e-5)", DefaultValueFactory = _ => "0" };
    private static readonly Option<string> MaxIterations = new("--max-iterations") { HelpName = "N", Description = "cg iterations at most", DefaultValueFactory = _ => "200" };
    private static readonly Option<string> GradientTolerance = new("--gradient-tolerance") { HelpName = "G", Description = "cg converges when max |g_i| is at most this (scipy's gtol)", DefaultValueFactory = _ => "1e-5" };
    private static readonly Option<string> InitEpsilon = new("--init-epsilon") { HelpName = "EPSILON", Description = "Initial weights and biases uniform in [-epsilon, epsilon]", DefaultValueFactory = _ => "0.12" };
    private static readonly Option<string> Seed = new("--seed") { HelpName = "S", Description = "Seed for initialization and shuffling: same seed, same numbers", DefaultValueFactory = _ => "1" };
    private static readonly Option<string?> Threads = new("--threads") { HelpName = "N", Description = $"Threads [default: all cores, {Environment.ProcessorCount} here]; the numbers do not depend on it" };
    private static readonly Option<string?> Output = new("--output") { HelpName = "DIR", Description = "A new or empty run folder for the model and results.json [default: runs/<timestamp>]" };
    private static readonly Option<string?> Json = new("--json") { HelpName = "FILE", Description = "Also write the results JSON to this file" };

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
            throw new OptionOutOfRangeException(nameof(TrainingOptions.Samples), OptionValues.Quote(samplesText), $"an integer in 2..{TrainingOptions.AllSamples}, or 'all'");
        }

        List<int> hidden = ParseHidden(parse.GetValue(Hidden)!);

        string solverText = parse.GetValue(SolverOption)!;
        Solver solver = solverText.ToLowerInvariant() switch
        {
            "sgd" => Solver.Sgd,
            "cg" => Solver.Cg,
            _ => throw new OptionOutOfRangeException(nameof(Solver), solverText, "sgd or cg"),
        };

        const string Number = "a number";
        const string Integer = "an integer";
        var options = new TrainingOptions
        {
            Hidden = hidden,
            Activation = parse.GetValue(Activation)!.ToLowerInvariant(),
            Solver = solver,
            Samples = samples,
            TrainFraction = OptionValues.Double(nameof(TrainingOptions.TrainFraction), parse.GetValue(TrainFraction)!, "a number strictly between 0 and 1"),
            LearningRate = OptionValues.Double(nameof(TrainingOptions.LearningRate), parse.GetValue(LearningRate)!, "a finite number > 0"),
            Lambda = OptionValues.Double(nameof(TrainingOptions.Lambda), parse.GetValue(Lambda)!, "a finite number >= 0"),
            BatchSize = OptionValues.Int(nameof(TrainingOptions.BatchSize), parse.GetValue(BatchSize)!, "an integer in 1..1000000"),
            MaxEpochs = OptionValues.Int(nameof(TrainingOptions.MaxEpochs), parse.GetValue(MaxEpochs)!, "an integer >= 1"),
            Tolerance = OptionValues.Double(nameof(TrainingOptions.Tolerance), parse.GetValue(Tolerance)!, Number),
            MaxIterations = OptionValues.Int(nameof(TrainingOptions.MaxIterations), parse.GetValue(MaxIterations)!, "an integer >= 1"),
            GradientTolerance = OptionValues.Double(nameof(TrainingOptions.GradientTolerance), parse.GetValue(GradientTolerance)!, Number),
            InitEpsilon = OptionValues.Double(nameof(TrainingOptions.InitEpsilon), parse.GetValue(InitEpsilon)!, "a finite number > 0"),
            Seed = OptionValues.Int(nameof(TrainingOptions.Seed), parse.GetValue(Seed)!, $"{Integer} in {int.MinValue}..{int.MaxValue}"),
            Threads = ParseThreads(parse.GetValue(Threads)),
        };
        options.Validate();
        return options;
    }

    /// <summary>The --threads value, or all cores when it is not given.</summary>
    internal static int ParseThreads(string? text)
        => text is null ? Environment.ProcessorCount : OptionValues.Int(nameof(TrainingOptions.Threads), text, "an integer in 1..1024");

    /// <summary>"128,64" becomes [128, 64]; anything else that is not a list of integers is an <see cref="OptionOutOfRangeException"/>.</summary>
    internal static List<int> ParseHidden(string hiddenText)
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

    private static int Run(ParseResult parse)
    {
        var launch = Stopwatch.StartNew();
        TrainingOptions options = Bind(parse);
        string? jsonPath = parse.GetValue(Json) is { } jsonOption ? OptionValues.OutputFile("Json", jsonOption) : null;
        string? dataOption = parse.GetValue(Data);
        if (dataOption is not null && string.IsNullOrWhiteSpace(dataOption))
        {
            throw new OptionOutOfRangeException("Data", OptionValues.Quote(dataOption), "a folder path");
        }

        string dataDir = FashionMnist.LocateDirectory(dataOption, Environment.GetEnvironmentVariable(FashionMnist.EnvironmentVariable), [AppContext.BaseDirectory, Environment.CurrentDirectory]);
        ImageSet all = FashionMnist.LoadAll(dataDir);
        string runFolder = OptionValues.ClaimRunFolder("Output", parse.GetValue(Output));
        (ImageSet train, ImageSet validation) = FashionMnist.LabSplit(all, options.Samples, options.TrainFraction);
        var network = new NeuralNetwork([all.Features, .. options.Hidden, FashionMnist.ClassNames.Count], Activations.Get(options.Activation));
        var parameters = new float[network.ParameterCount];
        network.Initialize<float>(parameters, options.InitEpsilon, options.Seed);

        Program.Say($"data: {dataDir}: {options.Samples} images, {train.Count} training, {validation.Count} validation (loaded in {launch.Elapsed.TotalSeconds:F2} s)");
        Program.Say($"network: {network}, {network.ParameterCount} parameters; solver {options.Solver.ToString().ToLowerInvariant()}, lambda {options.Lambda.ToString(CultureInfo.InvariantCulture)}, seed {options.Seed}, threads {options.Threads}");

        TrainingResult result;
        using (var monitor = new LearningCurveMonitor(network, train, validation, options.Lambda, options.Threads))
        {
            result = TrainWithProgress(network, parameters, train, options, monitor);
        }

        Evaluation trainEval, validationEval;
        using (var onTrain = new DatasetObjective<float>(network, train, options.Lambda, options.Threads))
        using (var onValidation = new DatasetObjective<float>(network, validation, options.Lambda, options.Threads))
        {
            trainEval = onTrain.Measure(parameters);
            validationEval = onValidation.Measure(parameters);
        }
        // A diverged run, or a CG run whose first line search failed, learned nothing worth keeping.
        bool failed = result.StopReason == StopReason.Diverged || (result.StopReason == StopReason.LineSearchFailed && result.Iterations == 0);

        string? modelPath = null;
        if (!failed)
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

        File.Delete(Path.Combine(runFolder, ".annlab-run"));
        ShowSummary(options, result, trainEval, validationEval);
        Program.Say(result.Message);
        Program.Say($"run folder: {runFolder}" + (modelPath is null ? " (no model saved)" : $" (model: {modelPath})"));
        if (failed)
        {
            Console.Error.WriteLine($"annlab: {result.Message}");
        }

        return failed ? Program.Failed : Program.Ok;
    }

    private static TrainingResult TrainWithProgress(NeuralNetwork network, float[] parameters, ImageSet train, TrainingOptions options, LearningCurveMonitor monitor)
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
            }, monitor);
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
                }, monitor);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private static void ShowSummary(TrainingOptions options, TrainingResult result, Evaluation train, Evaluation validation)
    {
        var table = new Table().Title("AnnLab training").AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("training accuracy", $"{train.Accuracy * 100:F2} %");
        table.AddRow("validation accuracy", $"{validation.Accuracy * 100:F2} %");
        table.AddRow("training cost J", FormatCost(train.Cost));
        table.AddRow("validation cost J", FormatCost(validation.Cost));
        table.AddRow(options.Solver == Solver.Sgd ? "epochs" : "iterations", (options.Solver == Solver.Sgd ? result.Epochs : result.Iterations).ToString(CultureInfo.InvariantCulture));
        table.AddRow("stop reason", Markup.Escape(StopReasonName(result.StopReason)));
        table.AddRow("training seconds", FormattableString.Invariant($"{result.TrainSeconds:F2}"));
        table.AddRow("samples per second", FormattableString.Invariant($"{result.SamplesPerSecond:N0}"));
        AnsiConsole.Write(table);
    }

    private static string FormatCost(double cost) => Math.Abs(cost) < 1e6 ? cost.ToString("F5", CultureInfo.InvariantCulture) : cost.ToString("G6", CultureInfo.InvariantCulture);

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
            History = r.History.Select(h => new { h.Step, h.Cost, h.GradientNorm, h.ElapsedSeconds, h.TrainCost, h.TrainAccuracy, h.ValidationCost, h.ValidationAccuracy }),
        };
        return JsonSerializer.Serialize(document, JsonOptions);
    }
}

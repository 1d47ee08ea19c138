using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AnnLab.Data;
using AnnLab.Metrics;
using AnnLab.Network;
using AnnLab.Results;
using AnnLab.Training;
using Spectre.Console;

namespace AnnLab.Cli;

/// <summary><c>annlab train</c>: load the data set, build the network for its images and classes, train, report, save.</summary>
internal static class TrainCommand
{
    private static readonly DataOptions DataSet = new();

    // Every training option of the table but the data ones, which DataOptions declares.
    private static readonly TrainingOptionSet Training = new(TrainingOptionTable.All.Select(o => o.Property).Where(p => p is not (nameof(TrainingOptions.Samples) or nameof(TrainingOptions.TrainFraction))));
    private static readonly Option<string?> Output = OptionValues.RunFolderOption("the model, results.json, the figures and report.html");
    private static readonly Option<string?> Preset = new("--preset") { HelpName = "NAME", Description = "best: the recipe that reaches 90% on the official test set (official split, 512-256 relu hidden layers, softmax output, AdamW, dropout, cosine schedule); options given explicitly override it" };
    private static readonly Option<bool> NoFigures = new("--no-figures") { Description = "Skip the figures and report.html" };
    private static readonly Option<string?> Json = new("--json") { HelpName = "FILE", Description = "Also write the results JSON to this file" };

    public static Command Create()
    {
        var command = new Command("train", "Train the lab's network on Fashion-MNIST and report training and validation accuracy.");
        foreach (Option option in Training.Options)
        {
            command.Options.Add(option);
        }

        foreach (Option option in new Option[] { Output, Json, Preset, NoFigures })
        {
            command.Options.Add(option);
        }

        DataSet.AddTo(command);
        command.SetAction(Run);
        return command;
    }

    /// <summary>Builds the options from the command line; throws <see cref="OptionOutOfRangeException"/> for values it cannot take.</summary>
    internal static TrainingOptions Bind(ParseResult parse)
    {
        string? presetName = parse.GetValue(Preset);
        if (presetName is not null && !Presets.ContainsKey(presetName))
        {
            throw new OptionOutOfRangeException("Preset", OptionValues.Quote(presetName), string.Join(", ", Presets.Keys));
        }

        DataSet.Preset = Training.Preset = presetName is null ? new Dictionary<string, string>() : Presets[presetName];
        TrainingOptions options = Training.Bind(parse, new TrainingOptions
        {
            Samples = DataSet.ParseSamples(parse),
            TrainFraction = DataSet.ParseTrainFraction(parse),
        });
        options.Validate();
        return options;
    }

    /// <summary>
    /// Named recipes: option values used where the command line does not give the option.
    /// <c>best</c> reaches 90% on the official test set (README, "Beyond the lab").
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Presets = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.OrdinalIgnoreCase)
    {
        ["best"] = new Dictionary<string, string>
        {
            ["--split"] = "official", ["--train-fraction"] = "0.9", ["--hidden"] = "512,256", ["--activation"] = "relu",
            ["--output-activation"] = "softmax", ["--init"] = "he", ["--optimizer"] = "adamw", ["--learning-rate"] = "0.001",
            ["--lambda"] = "0", ["--weight-decay"] = "0.05", ["--dropout"] = "0.2", ["--batch-size"] = "128",
            ["--max-epochs"] = "30", ["--schedule"] = "cosine",
        },
    };

    private static int Run(ParseResult parse)
    {
        var launch = Stopwatch.StartNew();
        TrainingOptions options = Bind(parse);
        string? jsonPath = parse.GetValue(Json) is { } jsonOption ? OptionValues.OutputFile("Json", jsonOption, parse.GetValue(Output)) : null;
        DataChoice choice = DataSet.Choose(parse, options.Samples, options.TrainFraction, options.Seed);
        NetworkSize.Check(choice.LayerSizes(options.Hidden), options);
        var network = new NeuralNetwork(choice.LayerSizes(options.Hidden), options.Activation, options.OutputActivation, inputShape: choice.Source.Shape.Dimensions);

        // While one core decompresses the data, the other runs the training code on random images
        // so that more of it is compiled optimized when the real run starts; it stops when the data are in.
        using var loaded = new CancellationTokenSource();
        Task warmUp = Task.Run(() => Trainer.WarmUp(network, options.BatchSize, stop: loaded.Token));
        (Dataset data, DataSplit split) = choice.Load();
        string dataDir = choice.Source.Location;
        loaded.Cancel();
        warmUp.Wait();
        (ImageSet train, ImageSet validation) = (split.Train, split.Validation);
        if (jsonPath is not null)
        {
            OptionValues.OutputFile("Json", jsonPath, dataDir);
        }

        string runFolder = OptionValues.ClaimRunFolder("Output", parse.GetValue(Output));

        var parameters = new float[network.ParameterCount];
        Initializers.Get(ResultNames.Of(options.Init), options.InitEpsilon).Initialize<float>(network, parameters, options.Seed);

        Program.Say($"data: {dataDir}: {split.Description} (loaded in {launch.Elapsed.TotalSeconds:F2} s)");
        Program.Say($"network: {network}, {network.ParameterCount} parameters; solver {options.Solver.ToString().ToLowerInvariant()}" + (options.Solver == Solver.Sgd ? $" ({options.Optimizer}, {options.Schedule} learning rate {options.LearningRate.ToString(CultureInfo.InvariantCulture)}, batch {options.BatchSize}" + (train.Count < options.BatchSize ? $" (one batch: the {train.Count} training images)" : "") + (options.Dropout > 0 ? $", dropout {options.Dropout.ToString(CultureInfo.InvariantCulture)}" : "") + (options.Augment ? ", augmented" : "") + ")" : "") + $", lambda {options.Lambda.ToString(CultureInfo.InvariantCulture)}" + (options.Solver == Solver.Sgd && options.LambdaScale == LambdaScale.TrainingSet ? " scaled to the training set" : "") + $", seed {options.Seed}, threads {options.Threads}");

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

        Evaluation? testEval = null;
        if (split.Test is { } test)
        {
            using var onTest = new DatasetObjective<float>(network, test, options.Lambda, options.Threads);
            testEval = onTest.Measure(parameters);
        }
        // A diverged run, or a CG run whose first line search failed, learned nothing worth keeping.
        bool failed = result.StopReason == StopReason.Diverged || (result.StopReason == StopReason.LineSearchFailed && result.Iterations == 0);

        string? modelPath = null;
        if (!failed)
        {
            modelPath = Path.Combine(runFolder, "model.annlab");
            ModelFile.Save(new Model(network, parameters, data.ClassNames), modelPath);
        }

        var report = ClassificationReport.Create(validation.Labels.Span, validationEval.Predictions, data.ClassNames);
        var results = RunResults.Create(options.Solver, result, trainEval, validationEval, testEval, split, report, RunOutputs.Configuration(options, dataDir, network.LayerSizes), modelPath);
        results.Save(Path.Combine(runFolder, "results.json"));
        if (jsonPath is not null)
        {
            results.Save(jsonPath);
        }

        RunOutputs.ShowSummary(results);
        Program.Say(OptionNames.Spell(result.Message));
        if (!failed && !parse.GetValue(NoFigures))
        {
            RunOutputs.WriteFigures(runFolder, network, parameters, results, result, split, validationEval, report);
            Program.Say($"figures and report.html written to {runFolder}");
        }

        OptionValues.CompleteRunFolder(runFolder);
        Program.Say($"run folder: {runFolder}" + (modelPath is null ? " (no model saved)" : $" (model: {modelPath})"));
        if (failed)
        {
            Program.Error(OptionNames.Spell(result.Message));
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

    /// <summary>The name results.json writes <paramref name="reason"/> under ("max-epochs", ...).</summary>
    internal static string StopReasonName(StopReason reason) => ResultNames.Of(reason);
}

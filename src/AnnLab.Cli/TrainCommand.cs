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
    private static readonly TrainingOptions Defaults = new();

    private static readonly DataOptions DataSet = new();
    private static readonly TrainingOptionSet Training = new();
    private static readonly Option<string> Activation = new("--activation") { HelpName = "NAME", Description = $"Hidden activation: {string.Join(", ", Activations.Names)}", DefaultValueFactory = _ => Defaults.Activation };
    private static readonly Option<string> OutputActivation = new("--output-activation") { HelpName = "sigmoid|softmax", Description = "Output layer: the lab's sigmoid units with their cross-entropy, or softmax with the categorical cross-entropy", DefaultValueFactory = _ => "sigmoid" };
    private static readonly Option<string> BatchSize = new("--batch-size") { HelpName = "N", Description = "sgd samples per mini-batch", DefaultValueFactory = _ => "200" };
    private static readonly Option<string> Tolerance = new("--tolerance") { HelpName = "T", Description = "sgd converges when ||g||/len(g) of an epoch's last batch is below this; 0 runs every epoch (the lab uses 1e-5)", DefaultValueFactory = _ => "0" };
    private static readonly Option<string> GradientTolerance = new("--gradient-tolerance") { HelpName = "G", Description = "cg converges when max |g_i| is at most this (scipy's gtol)", DefaultValueFactory = _ => "1e-5" };
    private static readonly Option<string> InitEpsilon = new("--init-epsilon") { HelpName = "EPSILON", Description = "Initial weights and biases uniform in [-epsilon, epsilon]", DefaultValueFactory = _ => "0.12" };
    private static readonly Option<string?> Output = OptionValues.RunFolderOption("the model, results.json, the figures and report.html");
    private static readonly Option<string> Init = new("--init") { HelpName = "NAME", Description = "Initialization: uniform (the lab's, with --init-epsilon), glorot or he", DefaultValueFactory = _ => "uniform" };
    private static readonly Option<string> OptimizerOption = new("--optimizer") { HelpName = "NAME", Description = "sgd update rule: sgd (the lab's), momentum, nesterov, adam, adamw, rmsprop", DefaultValueFactory = _ => "sgd" };
    private static readonly Option<string> Momentum = new("--momentum") { HelpName = "MU", Description = "momentum and nesterov: the momentum coefficient", DefaultValueFactory = _ => "0.9" };
    private static readonly Option<string> WeightDecay = new("--weight-decay") { HelpName = "D", Description = "adamw: decoupled weight decay (biases excluded)", DefaultValueFactory = _ => "0.01" };
    private static readonly Option<string> ScheduleOption = new("--schedule") { HelpName = "constant|step|cosine", Description = "Learning rate over the epochs: constant, step (x0.1 every third of the epochs) or cosine (down to 0)", DefaultValueFactory = _ => "constant" };
    private static readonly Option<string> Warmup = new("--warmup-epochs") { HelpName = "N", Description = "Epochs of linear learning-rate warm-up", DefaultValueFactory = _ => "0" };
    private static readonly Option<string> ClipNorm = new("--clip-norm") { HelpName = "N", Description = "Clip each gradient to this global L2 norm (0 = off)", DefaultValueFactory = _ => "0" };
    private static readonly Option<string> Patience = new("--patience") { HelpName = "N", Description = "Early stopping: stop after N epochs without a better validation score, keeping the best weights (0 = off)", DefaultValueFactory = _ => "0" };
    private static readonly Option<string> MonitorOption = new("--monitor") { HelpName = "validation-cost|validation-accuracy", Description = "What early stopping watches", DefaultValueFactory = _ => "validation-cost" };
    private static readonly Option<string> Dropout = new("--dropout") { HelpName = "RATE", Description = "sgd: drop each hidden unit with this probability while training (0 = off)", DefaultValueFactory = _ => "0" };
    private static readonly Option<bool> Augment = new("--augment") { Description = "sgd: shift training images by up to 2 pixels and flip them horizontally at random (seeded)" };
    private static readonly Option<string?> Preset = new("--preset") { HelpName = "NAME", Description = "best: the recipe that reaches 90% on the official test set (official split, 512-256 relu hidden layers, softmax output, AdamW, dropout, cosine schedule); options given explicitly override it" };
    private static readonly Option<bool> NoFigures = new("--no-figures") { Description = "Skip the figures and report.html" };
    private static readonly Option<string?> Json = new("--json") { HelpName = "FILE", Description = "Also write the results JSON to this file" };

    public static Command Create()
    {
        var command = new Command("train", "Train the lab's network on Fashion-MNIST and report training and validation accuracy.")
        {
            Training.Hidden, Activation, OutputActivation, Training.Solver, Training.LearningRate, Training.Lambda, Training.LambdaScale, BatchSize, Training.MaxEpochs, Tolerance,
            Training.MaxIterations, GradientTolerance, Init, InitEpsilon, OptimizerOption, Momentum, WeightDecay, ScheduleOption, Warmup, ClipNorm, Patience, MonitorOption, Dropout, Augment, Training.Seed, Training.Threads, Output, Json, Preset, NoFigures,
        };
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
            throw new OptionOutOfRangeException("Preset", presetName, string.Join(", ", Presets.Keys));
        }

        DataSet.Preset = Training.Preset = presetName is null ? new Dictionary<string, string>() : Presets[presetName];
        const string Number = "a number";
        TrainingOptions options = Training.Bind(parse, new TrainingOptions
        {
            Samples = DataSet.ParseSamples(parse),
            TrainFraction = DataSet.ParseTrainFraction(parse),
            Activation = V(parse, Activation).ToLowerInvariant(),
            OutputActivation = V(parse, OutputActivation).ToLowerInvariant(),
            BatchSize = OptionValues.Int(nameof(TrainingOptions.BatchSize), V(parse, BatchSize), "an integer in 1..1000000"),
            Tolerance = OptionValues.Double(nameof(TrainingOptions.Tolerance), V(parse, Tolerance), Number),
            GradientTolerance = OptionValues.Double(nameof(TrainingOptions.GradientTolerance), V(parse, GradientTolerance), Number),
            InitEpsilon = OptionValues.Double(nameof(TrainingOptions.InitEpsilon), V(parse, InitEpsilon), "a finite number > 0"),
            Init = V(parse, Init).ToLowerInvariant(),
            Optimizer = V(parse, OptimizerOption).ToLowerInvariant(),
            Momentum = OptionValues.Double(nameof(TrainingOptions.Momentum), V(parse, Momentum), "a number in [0, 1)"),
            WeightDecay = OptionValues.Double(nameof(TrainingOptions.WeightDecay), V(parse, WeightDecay), "a finite number >= 0"),
            Schedule = V(parse, ScheduleOption).ToLowerInvariant(),
            WarmupEpochs = OptionValues.Int(nameof(TrainingOptions.WarmupEpochs), V(parse, Warmup), "an integer >= 0"),
            ClipNorm = OptionValues.Double(nameof(TrainingOptions.ClipNorm), V(parse, ClipNorm), "a finite number >= 0"),
            Patience = OptionValues.Int(nameof(TrainingOptions.Patience), V(parse, Patience), "an integer >= 0"),
            Monitor = V(parse, MonitorOption).ToLowerInvariant(),
            Dropout = OptionValues.Double(nameof(TrainingOptions.Dropout), V(parse, Dropout), "a rate in [0, 1)"),
            Augment = parse.GetValue(Augment),
        });
        options.Validate();
        return options;
    }

    // The option's value: as given, else the preset's, else its default.
    private static string V(ParseResult parse, Option<string> option) => DataSet.Value(parse, option);

    /// <summary>
    /// Named recipes: option values used where the command line does not give the option.
    /// <c>best</c> reaches 90% on the official test set (README, "Beyond the lab").
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Presets = new Dictionary<string, IReadOnlyDictionary<string, string>>
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
        string? jsonPath = parse.GetValue(Json) is { } jsonOption ? OptionValues.OutputFile("Json", jsonOption) : null;
        DataChoice choice = DataSet.Choose(parse, options.Samples, options.TrainFraction, options.Seed);
        var network = new NeuralNetwork(choice.LayerSizes(options.Hidden), Activations.Get(options.Activation), OutputLayers.Parse(options.OutputActivation));

        // While one core decompresses the data, the other runs the training code on random images
        // so that more of it is compiled optimized when the real run starts; it stops when the data are in.
        using var loaded = new CancellationTokenSource();
        Task warmUp = Task.Run(() => Trainer.WarmUp(network, options.BatchSize, stop: loaded.Token));
        (Dataset data, DataSplit split) = choice.Load();
        string dataDir = choice.Source.Location;
        loaded.Cancel();
        warmUp.Wait();
        (ImageSet train, ImageSet validation) = (split.Train, split.Validation);
        string runFolder = OptionValues.ClaimRunFolder("Output", parse.GetValue(Output));

        // Ctrl-C during training leaves no empty run folder behind.
        ConsoleCancelEventHandler onCancel = (_, _) => OptionValues.ReleaseRunFolder(runFolder);
        Console.CancelKeyPress += onCancel;
        var parameters = new float[network.ParameterCount];
        Initializers.Get(options.Init, options.InitEpsilon).Initialize<float>(network, parameters, options.Seed);

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
        Program.Say(result.Message);
        if (!failed && !parse.GetValue(NoFigures))
        {
            RunOutputs.WriteFigures(runFolder, network, parameters, results, result, split, validationEval, report);
            Program.Say($"figures and report.html written to {runFolder}");
        }

        Console.CancelKeyPress -= onCancel;
        File.Delete(Path.Combine(runFolder, ".annlab-run"));
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

    /// <summary>The name results.json writes <paramref name="reason"/> under ("max-epochs", ...).</summary>
    internal static string StopReasonName(StopReason reason) => ResultNames.Of(reason);
}

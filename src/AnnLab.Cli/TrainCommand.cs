using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AnnLab.Data;
using AnnLab.Metrics;
using AnnLab.Network;
using AnnLab.Plots;
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
    private static readonly Option<string> HiddenWeights = new("--hidden-weights") { HelpName = "top|all", Description = "hidden-weights.png for more than 100 hidden units: top (the 100 most important: L2 norm of incoming x of outgoing weights) or all (every unit, 100 per page: hidden-weights-1.png, ...)", DefaultValueFactory = _ => "top" };
    private static readonly Option<string> WeightScale = new("--weight-scale") { HelpName = "shared|per-unit", Description = "Colour scale of the hidden-weights figures: shared (one for all units, they compare) or per-unit (each unit's own largest |weight|)", DefaultValueFactory = _ => "shared" };
    private static readonly Option<string?> Json = new("--json") { HelpName = "FILE", Description = "Also write the results JSON to this file" };
    private static readonly Option<string?> CheckpointEvery = new("--checkpoint-every") { HelpName = "N", Description = $"Write {CheckpointFile} to the run folder every N epochs (sgd) or iterations (cg, lbfgs); Ctrl-C and SIGTERM write one too [default: only then]" };
    private static readonly Option<string?> Resume = new("--resume") { HelpName = "RUNFOLDER", Description = $"Go on with the run whose folder holds {CheckpointFile}, with its options, in a new run folder; it ends bit for bit as the run never stopped would" };

    /// <summary>The checkpoint's file name in a run folder.</summary>
    public const string CheckpointFile = "checkpoint.annlab-ckpt";

    // The options a resumed run may give: they change no number.
    private const string ResumeMayGive = "--threads, --checkpoint-every, --output, --json, --no-figures, --hidden-weights, --weight-scale and --data";

    public static Command Create()
    {
        var command = new Command("train", "Train the lab's network on a data set (Fashion-MNIST unless --data or --dataset says otherwise) and report training and validation accuracy.");
        foreach (Option option in Training.Options)
        {
            command.Options.Add(option);
        }

        foreach (Option option in new Option[] { Output, Json, Preset, NoFigures, HiddenWeights, WeightScale, CheckpointEvery, Resume })
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

    // The checkpoint in --resume's folder: a usage error when there is none, InvalidDataException when it is damaged.
    private static (TrainingCheckpoint Checkpoint, string Path) LoadCheckpoint(string folder)
    {
        string path = Path.Combine(folder, CheckpointFile);
        if (string.IsNullOrWhiteSpace(folder) || !File.Exists(path))
        {
            string found = Directory.Exists(folder) ? $"{folder} holds no {CheckpointFile}" : $"{OptionValues.Quote(folder)} is not a folder";
            throw new UsageException($"--resume: {found}; expected the folder of a run that wrote one (with --checkpoint-every N, or when interrupted by Ctrl-C or SIGTERM)");
        }

        return (TrainingCheckpoint.Load(path), path);
    }

    // The checkpoint's options, with --threads as given; any other option given with another value is refused.
    private static TrainingOptions ResumedOptions(ParseResult parse, TrainingCheckpoint checkpoint, string folder)
    {
        if (parse.GetValue(Preset) is not null)
        {
            throw new UsageException($"--preset: not with --resume, which goes on with the run's own options (only {ResumeMayGive} may be given)");
        }

        void Refuse(string property, string given, string trained)
            => throw new UsageException($"{OptionNames.Of(property)}: got {OptionValues.Printable(given)}, but the run in {folder} was started with {trained}; --resume goes on with the run's own options (only {ResumeMayGive} may be given)");

        TrainingOptions options = checkpoint.Options;
        foreach (Option option in Training.Options)
        {
            OptionSpec spec = TrainingOptionTable.All.First(o => OptionNames.Of(o.Property) == option.Name);
            if (!Training.Given(parse, spec.Property))
            {
                continue;
            }

            string text = Training.Text(parse, spec.Property);
            TrainingOptions mine = spec.Parse(options, text);
            if (spec.Property == nameof(TrainingOptions.Threads))
            {
                options = mine;
            }
            else if (spec.Text(mine) != spec.Text(checkpoint.Options))
            {
                Refuse(spec.Property, text, spec.Text(checkpoint.Options));
            }
        }

        if (parse.GetResult(DataSet.Samples) is { Implicit: false } && DataSet.ParseSamples(parse) != options.Samples)
        {
            Refuse(nameof(TrainingOptions.Samples), parse.GetValue(DataSet.Samples)!, options.Samples.ToString(CultureInfo.InvariantCulture));
        }

        if (parse.GetResult(DataSet.TrainFraction) is { Implicit: false } && DataSet.ParseTrainFraction(parse) != options.TrainFraction)
        {
            Refuse(nameof(TrainingOptions.TrainFraction), parse.GetValue(DataSet.TrainFraction)!, options.TrainFraction.ToString(CultureInfo.InvariantCulture));
        }

        string split = checkpoint.Context.GetValueOrDefault("split", "lab");
        if (parse.GetResult(DataSet.Split) is { Implicit: false } && Dataset.NameOf(DataSet.ParseSplit(parse)) != split)
        {
            Refuse("Split", parse.GetValue(DataSet.Split)!, split);
        }

        options.Validate();
        return options;
    }

    /// <summary>The hidden-weights figures' layout from --hidden-weights and --weight-scale.</summary>
    /// <exception cref="OptionOutOfRangeException">A value other than the names allowed.</exception>
    /// <exception cref="UsageException">One of them given with --no-figures, which draws no figure for it to change.</exception>
    internal static HiddenWeightsLayout FigureLayout(ParseResult parse)
    {
        // As an sgd-only option with cg: an option that would change nothing is the user's mistake, said, not ignored.
        if (parse.GetValue(NoFigures) && new Option[] { HiddenWeights, WeightScale }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
        {
            throw new UsageException($"{given.Name}: applies to the hidden-weights figures, which {NoFigures.Name} skips; give one of them, not both");
        }

        HiddenUnitSelection units = parse.GetValue(HiddenWeights) switch
        {
            "top" => HiddenUnitSelection.MostImportant,
            "all" => HiddenUnitSelection.AllInPages,
            var other => throw new OptionOutOfRangeException(nameof(HiddenWeights), OptionValues.Quote(other ?? ""), "top or all"),
        };
        WeightColorScale scale = parse.GetValue(WeightScale) switch
        {
            "shared" => WeightColorScale.Shared,
            "per-unit" => WeightColorScale.PerUnit,
            var other => throw new OptionOutOfRangeException(nameof(WeightScale), OptionValues.Quote(other ?? ""), "shared or per-unit"),
        };
        return new HiddenWeightsLayout(units, scale);
    }

    private static int Run(ParseResult parse)
    {
        var launch = Stopwatch.StartNew();
        HiddenWeightsLayout figureLayout = FigureLayout(parse);
        int checkpointEvery = 0;
        if (parse.GetValue(CheckpointEvery) is { } everyText)
        {
            const string allowed = "an integer in 1..1000000 (epochs for sgd, iterations for cg and lbfgs)";
            checkpointEvery = OptionValues.Int("CheckpointEvery", everyText, allowed);
            if (checkpointEvery is < 1 or > 1_000_000)
            {
                throw new OptionOutOfRangeException("CheckpointEvery", everyText, allowed);
            }
        }

        TrainingCheckpoint? resume = null;
        string? resumePath = null, resumeFolder = parse.GetValue(Resume);
        TrainingOptions options;
        DataChoice choice;
        if (resumeFolder is not null)
        {
            (resume, resumePath) = LoadCheckpoint(resumeFolder);
            options = ResumedOptions(parse, resume, resumeFolder);
            SplitKind kind;
            try
            {
                kind = Dataset.ParseSplitKind(resume.Context.GetValueOrDefault("split", "lab"));
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{resumePath}: {e.Message}", e);
            }

            DataSet.Fallback = (resume.Context, resumePath!);
            choice = DataSet.Choose(parse, kind, options.Samples, options.TrainFraction, options.Seed);
        }
        else
        {
            options = Bind(parse);
            choice = DataSet.Choose(parse, options.Samples, options.TrainFraction, options.Seed);
        }

        string? jsonPath = parse.GetValue(Json) is { } jsonOption ? OptionValues.OutputFile("Json", jsonOption, parse.GetValue(Output), choice.Source.Location, resumeFolder) : null;
        NetworkSize.Check(choice.LayerSizes(options.Hidden), options, choice.TrainingImages, choice.DataBytes, figures: !parse.GetValue(NoFigures));
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
        string runFolder = OptionValues.ClaimRunFolder("Output", parse.GetValue(Output));

        var parameters = new float[network.ParameterCount];
        Initializers.Get(ResultNames.Of(options.Init), options.InitEpsilon).Initialize<float>(network, parameters, options.Seed);

        Program.Say($"data: {dataDir}: {choice.Source.Name}, images of {choice.Source.Shape}, {choice.Source.ClassNames.Count} classes; {split.Description} (loaded in {launch.Elapsed.TotalSeconds:F2} s)");
        Program.Say($"network: {network}, {network.ParameterCount} parameters; solver {options.Solver.ToString().ToLowerInvariant()}" + (options.Solver == Solver.Sgd ? $" ({options.Optimizer}, {options.Schedule} learning rate {options.LearningRate.ToString(CultureInfo.InvariantCulture)}, batch {options.BatchSize}" + (train.Count < options.BatchSize ? $" (one batch: the {train.Count} training images)" : "") + (options.Dropout > 0 ? $", dropout {options.Dropout.ToString(CultureInfo.InvariantCulture)}" : "") + (options.Augment ? ", augmented" : "") + ")" : "") + $", lambda {options.Lambda.ToString(CultureInfo.InvariantCulture)}" + (options.Solver == Solver.Sgd && options.LambdaScale == LambdaScale.TrainingSet ? " scaled to the training set" : "") + $", seed {options.Seed}, threads {options.Threads}");

        string checkpointPath = Path.Combine(runFolder, CheckpointFile);
        var checkpoints = new Checkpointing
        {
            Every = checkpointEvery,
            Save = c => c.Save(checkpointPath),
            ResumeFrom = resume,
            ResumePath = resumePath ?? "",
            Context = new Dictionary<string, string>(choice.Request.ToRecord()) { ["split"] = Dataset.NameOf(choice.Split) },
        };
        string unit = options.Solver == Solver.Sgd ? "epoch" : "iteration";
        if (resume is not null)
        {
            Program.Say($"resuming the run of {resumeFolder} after {unit} {resume.Step} (from {resumePath}), in {runFolder}");
        }

        TrainingResult result;
        try
        {
            Program.Checkpointable = true;
            using var monitor = new LearningCurveMonitor(network, train, validation, options.Lambda, options.Threads);
            result = TrainWithProgress(network, parameters, train, options, monitor, checkpoints);

            // The library names options by property (`LearningRate`); every file and line the CLI writes spells them (--learning-rate).
            result = result with { Message = OptionNames.Spell(result.Message) };
        }
        catch (OperationCanceledException) when (Program.Signal is { } signal)
        {
            string kept = OptionValues.ReleaseRunFolders();
            Program.Error($"interrupted ({signal}) after {unit} {checkpoints.LastSaved}; checkpoint written to {checkpointPath}{kept}; resume with: annlab train --resume {runFolder}");
            return Program.Failed;
        }
        finally
        {
            Program.Checkpointable = false;
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
        var results = RunResults.Create(options.Solver, result, trainEval, validationEval, testEval, split, report, RunOutputs.Configuration(options, choice.Request, network.LayerSizes), modelPath);
        results.Save(Path.Combine(runFolder, "results.json"));
        if (jsonPath is not null)
        {
            results.Save(jsonPath);
        }

        RunOutputs.ShowSummary(results);
        Program.Say(result.Message);
        if (!failed && !parse.GetValue(NoFigures))
        {
            RunOutputs.WriteFigures(runFolder, network, parameters, results, result, split, validationEval, report, figureLayout);
            Program.Say($"figures and report.html written to {runFolder}");
        }

        OptionValues.CompleteRunFolder(runFolder);
        Program.Say($"run folder: {runFolder}" + (modelPath is null ? " (no model saved)" : $" (model: {modelPath})"));
        if (failed)
        {
            Program.Error(result.Message);
        }

        return failed ? Program.Failed : Program.Ok;
    }

    private static TrainingResult TrainWithProgress(NeuralNetwork network, float[] parameters, ImageSet train, TrainingOptions options, LearningCurveMonitor monitor, Checkpointing checkpoints)
    {
        CancellationToken stop = Program.Interruption.Token;
        string unit = options.Solver == Solver.Sgd ? "epoch" : "iteration";
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            int total = options.Solver == Solver.Sgd ? options.MaxEpochs : options.MaxIterations;
            int every = Math.Max(1, total / 20);
            return Trainer.Train(network, parameters, train, options, p =>
            {
                if (p.Step % every == 0 || p.Step == 1 || p.Step == p.TotalSteps)
                {
                    Console.WriteLine(FormattableString.Invariant($"{unit} {p.Step}/{p.TotalSteps}: {ProgressCosts(options.Solver, p)}, {p.ElapsedSeconds:F2} s"));
                }
            }, monitor, checkpoints, stop);
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
                    task.Description = Markup.Escape(FormattableString.Invariant($"{unit} {p.Step}/{p.TotalSteps}: {ProgressCosts(options.Solver, p)}"));
                }, monitor, checkpoints, stop);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    /// <summary>
    /// The progress line's numbers, each named as the table names it: sgd's "mean batch cost" (the
    /// mean of the epoch's batch costs, taken while the weights change, their ridge term per
    /// --lambda-scale) is not J; "training cost J" and "validation cost J" are J over the whole set
    /// at the epoch's end, the table's quantities, shown where the learning curve measured them
    /// (the first and the last epoch, and up to 25 in all). For cg and lbfgs the cost is J itself.
    /// </summary>
    internal static string ProgressCosts(Solver solver, TrainingProgress p)
    {
        bool sgd = solver == Solver.Sgd;
        var line = new System.Text.StringBuilder();
        line.Append(sgd ? FormattableString.Invariant($"mean batch cost {p.Cost:F5}") : $"training cost J {RunOutputs.FormatCost(p.Cost)}");
        if (sgd && p.TrainCost is { } train)
        {
            line.Append(CultureInfo.InvariantCulture, $", training cost J {RunOutputs.FormatCost(train)}");
        }

        if (p.ValidationCost is { } validation)
        {
            line.Append(CultureInfo.InvariantCulture, $", validation cost J {RunOutputs.FormatCost(validation)}");
        }

        line.Append(sgd ? ", gradient norm " : ", max |g_i| ").Append(p.GradientNorm.ToString("E2", CultureInfo.InvariantCulture));
        return line.ToString();
    }

    /// <summary>The name results.json writes <paramref name="reason"/> under ("max-epochs", ...).</summary>
    internal static string StopReasonName(StopReason reason) => ResultNames.Of(reason);
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AnnLab.Data;
using AnnLab.IO;
using AnnLab.Kernels;
using AnnLab.Network;
using AnnLab.Training;
using Spectre.Console;

namespace AnnLab.Cli;

/// <summary><c>annlab bench</c>: the machine's peak FMA throughput (<see cref="PeakThroughput"/>), then training throughput on all the data set's images by default (the first 80 % training) as GFLOP/s and as a fraction of that peak, and prediction time.</summary>
internal static class BenchCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly DataOptions DataSet = new(samples: "all");
    private static readonly Option<string> Hidden = new("--hidden") { HelpName = "LIST", Description = "Hidden layer sizes, comma-separated", DefaultValueFactory = _ => "25" };
    private static readonly Option<string> BatchSize = new("--batch-size") { HelpName = "N", Description = "Samples per mini-batch", DefaultValueFactory = _ => "200" };
    private static readonly Option<string> Epochs = new("--epochs") { HelpName = "N", Description = "Epochs to time (after at least a second of warm-up epochs)", DefaultValueFactory = _ => "5" };
    private static readonly Option<string?> Threads = new("--threads") { HelpName = "N", Description = $"Threads [default: all cores, {Environment.ProcessorCount} here]" };
    private static readonly Option<string> Preset = new("--preset") { HelpName = "NAME", Description = "lab: the lab's 784-25-10 network, batch 200; deep: 784-512-256-10, batch 128, a GEMM-bound case (--hidden and --batch-size still override)", DefaultValueFactory = _ => "lab" };
    private static readonly Option<bool> Profile = new("--profile") { Description = "Also time each phase of the training step on each thread (gather, forward per layer, output, backward, weight gradient, sweep, waiting) for the same number of epochs in rounds of 20 steps, and print the fastest round's time, GFLOP/s and fraction of peak per phase" };
    private static readonly Option<string?> Json = new("--json") { HelpName = "FILE", Description = "Write samples_per_second, seconds_per_epoch, gflops, fraction_of_peak, peak_gflops (and more) to this file" };

    public static Command Create()
    {
        var command = new Command("bench", "Measure training speed: mini-batch gradient descent (sigmoid, learning rate 0.1, lambda 1) on all the data set's images by default (the first 80 % training, --samples and --split choose others) for a few epochs; prints samples per second, seconds per epoch and GFLOP/s, each GFLOP/s also as a fraction of the machine's peak, measured by a register-only FMA loop on 1 and all threads before and after the timed epochs (the better counts).")
        {
            Hidden, BatchSize, Epochs, Threads, Preset, Profile, Json,
        };
        DataSet.AddTo(command);
        command.SetAction(Run);
        return command;
    }

    // The presets' option values; an option given on the command line wins.
    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> Presets = new()
    {
        ["lab"] = new Dictionary<string, string>(),
        ["deep"] = new Dictionary<string, string> { [Hidden.Name] = "512,256", [BatchSize.Name] = "128" },
    };

    private static int Run(ParseResult parse)
    {
        string presetName = parse.GetValue(Preset)!;
        if (!Presets.TryGetValue(presetName, out IReadOnlyDictionary<string, string>? preset))
        {
            throw new OptionOutOfRangeException("Preset", OptionValues.Quote(presetName), string.Join(" or ", Presets.Keys));
        }

        string hiddenText = OptionValues.Value(parse, Hidden, preset);
        int epochs = OptionValues.Int("Epochs", parse.GetValue(Epochs)!, "an integer in 1..10000");
        if (epochs < 1 || epochs > 10_000)
        {
            throw new OptionOutOfRangeException("Epochs", epochs, "an integer in 1..10000");
        }

        var options = new TrainingOptions
        {
            Hidden = TrainingOptionSet.ParseHidden(hiddenText),
            Samples = DataSet.ParseSamples(parse),
            TrainFraction = DataSet.ParseTrainFraction(parse),
            BatchSize = OptionValues.Int(nameof(TrainingOptions.BatchSize), OptionValues.Value(parse, BatchSize, preset), "an integer in 1..1000000"),
            Threads = TrainingOptionSet.ParseThreads(parse.GetValue(Threads)),
            MaxEpochs = epochs,
        };
        options.Validate();
        DataChoice choice = DataSet.Choose(parse, options.Samples, options.TrainFraction, options.Seed);
        string? jsonPath = parse.GetValue(Json) is { } jsonOption ? OptionValues.OutputFile("Json", jsonOption, choice.Source.Location) : null;
        NetworkSize.Check(choice.LayerSizes(options.Hidden), options, choice.TrainingImages, choice.DataBytes);
        (_, DataSplit split) = choice.Load();
        (ImageSet train, ImageSet validation) = (split.Train, split.Validation);
        var network = new NeuralNetwork(choice.LayerSizes(options.Hidden), new Sigmoid());
        var parameters = new float[network.ParameterCount];
        network.Initialize<float>(parameters, options.InitEpsilon, options.Seed);

        // The yardstick first, a fraction of a second: the FMA loop on 1 and on all the machine's
        // threads; measured again after the timed epochs (below).
        PeakThroughput peak = PeakThroughput.Measure();

        // The cores' round trip before and after the timed epochs: on a VM the host can move a core
        // to another core complex meanwhile, and the hand-offs of every step then cost 3-4 times more.
        double? roundTripBefore = options.Threads > 1 ? CoreRoundTrip.MeasureNanoseconds() : null;
        int parameterLines = (network.ParameterCount + 15) / 16; // floats, 16 to a 64-byte line
        int exchanges = Math.Max(10, 1_250_000 / parameterLines); // about 3-13 ms a repeat
        double? transferBefore = options.Threads > 1 ? CoreRoundTrip.MeasureTransferNanoseconds(parameterLines, exchanges) : null;

        // Warm-up epochs for at least a second: .NET compiles the hot code fully optimized only after
        // it has run a while (tiered compilation), and the caches warm up; then the timed epochs.
        var warmUp = Stopwatch.StartNew();
        for (int i = 0; i < 30 && warmUp.Elapsed.TotalSeconds < 1.0; i++)
        {
            Trainer.Train(network, parameters, train, options with { MaxEpochs = 1 });
        }

        TrainingResult result = Trainer.Train(network, parameters, train, options);
        double samplesPerSecond = result.SamplesPerSecond;
        double secondsPerEpoch = result.TrainSeconds / result.Epochs;
        double gflops = samplesPerSecond * network.TrainingFlopsPerSample / 1e9;
        double? roundTripAfter = options.Threads > 1 ? CoreRoundTrip.MeasureNanoseconds() : null;
        double? transferAfter = options.Threads > 1 ? CoreRoundTrip.MeasureTransferNanoseconds(parameterLines, exchanges) : null;

        // And the yardstick again, now that every core has been busy for seconds: on the Zen 5 VM
        // the all-thread loop at start-up sometimes ran at one core's speed, three tries in a row,
        // while the training that followed used both (a fraction of "peak" of 1.02). The better
        // measurement counts; while the threads still do not scale, up to two more.
        peak = PeakThroughput.Better(peak, PeakThroughput.Measure());
        for (int retry = 0; retry < 2 && peak.ThreadScaling < 0.8; retry++)
        {
            peak = PeakThroughput.Better(peak, PeakThroughput.Measure());
        }

        // Prediction is timed on 10,000 validation images, or all of them when there are fewer.
        ImageSet predicted = validation.Slice(0, Math.Min(10_000, validation.Count));
        double predictMs;
        using (var objective = new DatasetObjective<float>(network, predicted, options.Lambda, options.Threads, blockSize: 1000))
        {
            objective.Measure(parameters);
            var clock = Stopwatch.StartNew();
            const int repeats = 5;
            for (int r = 0; r < repeats; r++)
            {
                objective.Measure(parameters);
            }

            predictMs = clock.Elapsed.TotalMilliseconds / repeats;
        }

        var table = new Table().Title("AnnLab bench").AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("network", $"{network}, batch {options.BatchSize}, {options.Threads} thread(s)");
        table.AddRow("training samples x epochs", FormattableString.Invariant($"{train.Count:N0} x {result.Epochs}"));
        table.AddRow("samples per second", FormattableString.Invariant($"{samplesPerSecond:N0}"));
        table.AddRow("seconds per epoch", FormattableString.Invariant($"{secondsPerEpoch:F3}"));
        table.AddRow("GFLOP/s", FormattableString.Invariant($"{gflops:F1} ({Fraction(peak, gflops)}; {network.TrainingFlopsPerSample:N0} FLOP per sample)"));
        foreach (PeakFigure figure in peak.Figures)
        {
            table.AddRow(FormattableString.Invariant($"peak GFLOP/s, FMA loop, Vector{figure.VectorBits}, {Plural(figure.Threads, "thread")}"), FormattableString.Invariant($"{figure.Gflops:F1} ({Fraction(peak, figure.Gflops)})"));
        }

        if (peak.AllThreads > 1)
        {
            table.AddRow("peak's thread scaling", FormattableString.Invariant($"{peak.ThreadScaling:F2} of linear{(peak.ThreadScaling < 0.8 ? ": other programs held cores, the fractions are too high" : "")}"));
        }

        if (roundTripBefore is double before && roundTripAfter is double after)
        {
            table.AddRow("core-to-core round trip, before / after", FormattableString.Invariant($"{before:F0} / {after:F0} ns"));
        }

        if (transferBefore is double movedBefore && transferAfter is double movedAfter)
        {
            table.AddRow(
                FormattableString.Invariant($"parameters core to core ({parameterLines:N0} lines), before / after"),
                FormattableString.Invariant($"{movedBefore / 1000:F1} / {movedAfter / 1000:F1} us ({movedBefore / parameterLines:F1} / {movedAfter / parameterLines:F1} ns a line)"));
        }

        table.AddRow(FormattableString.Invariant($"predict {predicted.Count:N0} images"), FormattableString.Invariant($"{predictMs:F2} ms"));
        AnsiConsole.Write(table);

        StepProfile? profile = null;
        if (parse.GetValue(Profile))
        {
            profile = TrainingProfile.Measure(network, parameters, train, options, epochs);
            AnsiConsole.Write(ProfileTable(profile, peak));
        }

        if (jsonPath is not null)
        {
            var document = new
            {
                SamplesPerSecond = samplesPerSecond,
                SecondsPerEpoch = secondsPerEpoch,
                Gflops = gflops,
                FractionOfPeak = peak.FractionOfPeak(gflops),
                PeakGflops = PeakDocument(peak),
                PeakThreadScaling = peak.ThreadScaling,
                CoreRoundTripNanoseconds = roundTripBefore is null ? null : new { Before = roundTripBefore, After = roundTripAfter },
                ParameterTransferNanoseconds = transferBefore is null ? null : new { Lines = parameterLines, Before = transferBefore, After = transferAfter },
                PredictMilliseconds10000 = predictMs,
                PredictImages = predicted.Count,
                LayerSizes = network.LayerSizes,
                options.BatchSize,
                options.Threads,
                result.Epochs,
                TrainSamples = train.Count,
                FlopsPerSample = network.TrainingFlopsPerSample,
                Preset = presetName,
                Profile = profile is null ? null : ProfileDocument(profile, peak),
            };
            AtomicFile.WriteAllText(jsonPath, JsonSerializer.Serialize(document, JsonOptions));
        }

        return Program.Ok;
    }

    // The per-phase split: each phase's thread time per step (summed over the threads), its share of
    // all the threads' time, and its rate on one thread against one thread's share of the peak.
    private static Table ProfileTable(StepProfile profile, PeakThroughput peak)
    {
        double threadSeconds = profile.WallSeconds * profile.Threads, perThreadPeak = peak.Peak.Gflops / peak.AllThreads;
        var table = new Table().Title(FormattableString.Invariant($"Where a training step's time goes (the fastest round of {profile.Steps:N0} steps, {profile.Threads} thread(s), {profile.Samples / profile.WallSeconds:N0} samples/s)"))
            .AddColumn("phase").AddColumn(new TableColumn("us per step").RightAligned()).AddColumn(new TableColumn("share").RightAligned())
            .AddColumn(new TableColumn("GFLOP/s per thread").RightAligned()).AddColumn(new TableColumn("of a thread's peak").RightAligned());
        foreach (StepPhase phase in profile.Phases())
        {
            string rate = phase.Flops > 0 ? FormattableString.Invariant($"{phase.Flops / phase.Seconds / 1e9:F1}") : "";
            string fraction = phase.Flops > 0 ? FormattableString.Invariant($"{phase.Flops / phase.Seconds / 1e9 / perThreadPeak:F2}") : "";
            table.AddRow(phase.Name, PerStep(profile, phase.Seconds), Share(phase.Seconds, threadSeconds), rate, fraction);
        }

        IReadOnlyList<(double Blocks, double Sweep)> waiting = profile.Waiting();
        for (int t = 0; t < waiting.Count; t++)
        {
            string who = t == 0 ? "the caller" : FormattableString.Invariant($"worker {t}");
            table.AddRow($"waiting, {who}: row blocks / sweep", $"{PerStep(profile, waiting[t].Blocks)} / {PerStep(profile, waiting[t].Sweep)}", Share(waiting[t].Blocks + waiting[t].Sweep, threadSeconds), "", "");
        }

        double serial = profile.WallSeconds - profile.BlockWallSeconds - profile.SweepWallSeconds;
        table.AddRow("the caller alone, between the sections", PerStep(profile, serial), Share(serial * profile.Threads, threadSeconds), "", "");
        double flops = profile.Phases().Sum(p => p.Flops);
        table.AddRow("step (wall time)", PerStep(profile, profile.WallSeconds), "1.00", FormattableString.Invariant($"{flops / profile.WallSeconds / 1e9:F1} all threads"), Fraction(peak, flops / profile.WallSeconds / 1e9));
        return table;
    }

    private static string PerStep(StepProfile profile, double seconds) => FormattableString.Invariant($"{seconds / profile.Steps * 1e6:F1}");

    private static string Share(double seconds, double total) => FormattableString.Invariant($"{seconds / total:F2}");

    /// <summary>
    /// profile: steps, samples, threads, wall_seconds, samples_per_second, gflops and fraction_of_peak
    /// of the profiled steps; phases (each name, thread seconds summed over the threads,
    /// microseconds_per_step, share of the threads' time, flops, gflops_per_thread and
    /// fraction_of_thread_peak); waiting per thread (blocks_seconds, sweep_seconds); serial_seconds.
    /// </summary>
    private static object ProfileDocument(StepProfile profile, PeakThroughput peak)
    {
        double threadSeconds = profile.WallSeconds * profile.Threads, perThreadPeak = peak.Peak.Gflops / peak.AllThreads;
        double flops = profile.Phases().Sum(p => p.Flops);
        return new
        {
            profile.Steps,
            profile.Samples,
            profile.Threads,
            profile.WallSeconds,
            SamplesPerSecond = profile.Samples / profile.WallSeconds,
            Gflops = flops / profile.WallSeconds / 1e9,
            FractionOfPeak = peak.FractionOfPeak(flops / profile.WallSeconds / 1e9),
            Phases = profile.Phases().Select(p => new
            {
                p.Name,
                p.Seconds,
                MicrosecondsPerStep = p.Seconds / profile.Steps * 1e6,
                Share = p.Seconds / threadSeconds,
                p.Flops,
                GflopsPerThread = p.Flops > 0 ? p.Flops / p.Seconds / 1e9 : 0,
                FractionOfThreadPeak = p.Flops > 0 ? p.Flops / p.Seconds / 1e9 / perThreadPeak : 0,
            }).ToArray(),
            Waiting = profile.Waiting().Select((w, t) => new { Thread = t, BlocksSeconds = w.Blocks, SweepSeconds = w.Sweep }).ToArray(),
            SerialSeconds = profile.WallSeconds - profile.BlockWallSeconds - profile.SweepWallSeconds,
        };
    }

    private static string Fraction(PeakThroughput peak, double gflops) =>
        FormattableString.Invariant($"{peak.FractionOfPeak(gflops):F2} of the {peak.AllThreads}-thread peak");

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : FormattableString.Invariant($"{count} {noun}s");

    /// <summary>
    /// peak_gflops: per width ("vector512", "vector256" or "vector128") a "one_thread" and an "all_threads"
    /// figure, and "best", the all-thread peak that every fraction_of_peak divides by; each figure carries
    /// its threads, gflops and fraction_of_peak (and best its vector_bits).
    /// </summary>
    private static Dictionary<string, object> PeakDocument(PeakThroughput peak)
    {
        object Figure(PeakFigure f) => new { f.Threads, f.Gflops, FractionOfPeak = peak.FractionOfPeak(f.Gflops) };
        var document = new Dictionary<string, object>();
        foreach (IGrouping<int, PeakFigure> width in peak.Figures.GroupBy(f => f.VectorBits))
        {
            document[FormattableString.Invariant($"vector{width.Key}")] = new Dictionary<string, object>
            {
                ["one_thread"] = Figure(width.MinBy(f => f.Threads)),
                ["all_threads"] = Figure(width.MaxBy(f => f.Threads)),
            };
        }

        document["best"] = new { peak.Peak.VectorBits, peak.Peak.Threads, peak.Peak.Gflops, FractionOfPeak = peak.FractionOfPeak(peak.Peak.Gflops) };
        return document;
    }
}

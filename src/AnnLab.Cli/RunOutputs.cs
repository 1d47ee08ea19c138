using System.Globalization;
using AnnLab.Data;
using AnnLab.Metrics;
using AnnLab.Network;
using AnnLab.Plots;
using AnnLab.Results;
using AnnLab.Training;
using Spectre.Console;

namespace AnnLab.Cli;

/// <summary>The output side of <c>annlab train</c>: the results record, the summary table, the figures and report.html.</summary>
internal static class RunOutputs
{
    /// <summary>
    /// The options as results.json records them. The one place that turns the options' choices
    /// into the strings the file holds ("sgd", "cosine", "validation-cost", ...).
    /// </summary>
    internal static RunConfiguration Configuration(TrainingOptions o, DataRequest data, IReadOnlyList<int> layerSizes) => new()
    {
        Data = data.Path ?? "",
        Dataset = data.Dataset,
        DataRequest = data.ToRecord(),
        Samples = o.Samples,
        TrainFraction = o.TrainFraction,
        LayerSizes = layerSizes,
        Activation = o.Activation.Name,
        OutputActivation = o.OutputActivation.Name,
        Solver = ResultNames.Of(o.Solver),
        LearningRate = o.LearningRate,
        Lambda = o.Lambda,
        LambdaScale = ResultNames.Of(o.LambdaScale),
        BatchSize = o.BatchSize,
        MaxEpochs = o.MaxEpochs,
        Tolerance = o.Tolerance,
        MaxIterations = o.MaxIterations,
        GradientTolerance = o.GradientTolerance,
        Init = ResultNames.Of(o.Init),
        InitEpsilon = o.InitEpsilon,
        Optimizer = o.Optimizer.Name,
        Momentum = o.Momentum,
        WeightDecay = o.WeightDecay,
        Schedule = ResultNames.Of(o.Schedule),
        WarmupEpochs = o.WarmupEpochs,
        ClipNorm = o.ClipNorm,
        Patience = o.Patience,
        Monitor = ResultNames.Of(o.Monitor),
        Dropout = o.Dropout,
        Augment = o.Augment,
        Seed = o.Seed,
        Threads = o.Threads,
    };

    /// <summary>The rows of a run's report: its configuration and its metrics (the summary table's rows too).</summary>
    internal static (IReadOnlyList<KeyValuePair<string, string>> Configuration, IReadOnlyList<KeyValuePair<string, string>> Metrics) ReportRows(RunResults r)
    {
        RunConfiguration c = r.Configuration;
        bool sgd = r.Solver == Solver.Sgd;
        var configuration = new List<KeyValuePair<string, string>>
        {
            new("data", c.Data), new("split", r.SplitDescription),
            new("network", NetworkName(c)), new("output layer", c.OutputActivation), new("initialization", c.Init == "uniform" ? $"uniform, epsilon {N(c.InitEpsilon)}" : c.Init),
            new("solver", Method(r)), new("lambda", N(c.Lambda)),
        };
        if (sgd)
        {
            configuration.Add(new("learning rate", $"{N(c.LearningRate)}, {c.Schedule} schedule" + (c.WarmupEpochs > 0 ? $", {c.WarmupEpochs} warm-up epochs" : "")));
            configuration.Add(new("lambda scale", c.LambdaScale));
            configuration.Add(new("batch size", N(c.BatchSize)));
            configuration.Add(new("max epochs", N(c.MaxEpochs)));
            configuration.Add(new("dropout", N(c.Dropout)));
            configuration.Add(new("augmentation", c.Augment ? "shifts and flips" : "off"));
            if (c.Patience > 0)
            {
                configuration.Add(new("early stopping", $"patience {c.Patience} on {c.Monitor}"));
            }
        }
        else
        {
            configuration.Add(new("max iterations", N(c.MaxIterations)));
        }

        configuration.Add(new("seed", N(c.Seed)));
        configuration.Add(new("threads", N(c.Threads)));

        var metrics = new List<KeyValuePair<string, string>> { new("training accuracy", Percent(r.TrainAccuracy)), new("validation accuracy", Percent(r.ValidationAccuracy)) };
        if (r.TestAccuracy is { } test)
        {
            metrics.Add(new("test accuracy", Percent(test)));
        }

        metrics.AddRange(
        [
            new("training cost J", FormatCost(r.TrainCost)), new("validation cost J", FormatCost(r.ValidationCost)),
            new(sgd ? "epochs" : "iterations", N(sgd ? r.Epochs : r.Iterations)),
            new("stop reason", ResultNames.Of(r.StopReason)), new("training seconds", r.TrainSeconds.ToString("F2", CultureInfo.InvariantCulture)),
            new("samples per second", r.SamplesPerSecond.ToString("N0", CultureInfo.InvariantCulture)),
        ]);
        return (configuration, metrics);
    }

    /// <summary>The rows of an evaluation's report: its metrics.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> ReportRows(EvaluationResults e) =>
    [
        new($"{e.Part} accuracy", Percent(e.Accuracy)), new($"{e.Part} cost J", FormatCost(e.Cost)),
        new($"{e.Part} images", N(e.Images)), new("macro F1", e.MacroF1.ToString("F3", CultureInfo.InvariantCulture)),
    ];

    /// <summary>The layer sizes and the activation, e.g. "P-25-K sigmoid" for P pixels and K classes, with " softmax" for a softmax output layer.</summary>
    internal static string NetworkName(RunConfiguration c) => $"{string.Join("-", c.LayerSizes)} {c.Activation}" + (c.OutputActivation == "softmax" ? " softmax" : "");

    // "sgd", "cg", or "sgd with adamw" for an update rule other than plain sgd.
    private static string Method(RunResults r) => r.Solver == Solver.Sgd && r.Configuration.Optimizer != "sgd" ? $"{ResultNames.Of(r.Solver)} with {r.Configuration.Optimizer}" : ResultNames.Of(r.Solver);

    /// <summary>The metrics table on the console.</summary>
    internal static void ShowSummary(RunResults results)
    {
        var table = new Table().Title("AnnLab training").AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        foreach ((string metric, string value) in ReportRows(results).Metrics)
        {
            table.AddRow(Markup.Escape(metric), Markup.Escape(value));
        }

        AnsiConsole.Write(table);
    }

    /// <summary>The lab's figures and report.html in <paramref name="folder"/>.</summary>
    internal static void WriteFigures(string folder, NeuralNetwork network, float[] parameters, RunResults results, TrainingResult training, DataSplit split, Evaluation validationEval, ClassificationReport report, HiddenWeightsLayout? hiddenWeights = null)
    {
        string step = results.Solver == Solver.Sgd ? "epoch" : "iteration";
        (ImageSet train, ImageSet validation) = (split.Train, split.Validation);
        var figures = new List<KeyValuePair<string, string>>();
        string[] classNames = [.. report.Classes.Select(c => c.Name)];
        IReadOnlyList<string> samples = LabFigures.Samples(folder, train, classNames, split.IndicesOf(SplitPart.Training));
        figures.Add(new(samples[0], "The first 100 training images."));
        figures.Add(new(samples[1], "The same images, each titled index: class."));
        string activations = Path.Combine(folder, "activations.png");
        Plots.Figures.Activations(activations, Activations.Available);
        figures.Add(new(activations, $"The hidden activations and their derivatives; this network uses {network.HiddenActivation.Name}."));
        if (LabFigures.LearningCurves(folder, training, step) is { } curves)
        {
            figures.Add(new(curves, $"Cost J and accuracy on the training and validation sets, per {step}."));
        }

        figures.Add(new(LabFigures.ValidationPredictions(folder, validation, validationEval.Predictions, classNames, split.IndicesOf(SplitPart.Validation)), $"The first 25 validation images, each titled {Plots.Figures.CaptionConvention}; wrong ones in red."));
        figures.Add(new(LabFigures.Misclassified(folder, validation, validationEval.Predictions, classNames, split.IndicesOf(SplitPart.Validation)), $"The first 25 validation images the network got wrong, each titled {Plots.Figures.CaptionConvention} (the index for annlab explain --index)."));
        hiddenWeights ??= new HiddenWeightsLayout();
        IReadOnlyList<string> weightFigures = LabFigures.HiddenWeights(folder, network, parameters, train.Rows, train.Columns, hiddenWeights);
        string scale = hiddenWeights.Scale == WeightColorScale.PerUnit ? " (each unit on its own colour scale)" : "";
        string which = network.FanOut(0) <= hiddenWeights.UnitsPerFigure ? "Each hidden unit's"
            : weightFigures.Count == 1 ? $"The {hiddenWeights.UnitsPerFigure} most important hidden units' (L2 norm of incoming x of outgoing weights)"
            : $"Each hidden unit's ({hiddenWeights.UnitsPerFigure} per page)";
        foreach (string file in weightFigures)
        {
            figures.Add(new(file, $"{which} incoming weights as an image{scale}: red pixels push the unit on, blue ones off."));
        }

        figures.Add(new(LabFigures.ConfusionMatrix(folder, report, classNames, "validation"), "Rows: true class; columns: predicted class."));
        (IReadOnlyList<KeyValuePair<string, string>> configuration, IReadOnlyList<KeyValuePair<string, string>> metrics) = ReportRows(results);
        var live = new ReportLiveView(new Model(network, parameters, classNames), validation, split.IndicesOf(SplitPart.Validation), validationEval.Predictions);
        Report.Write(Path.Combine(folder, "report.html"), new ReportContent(
            $"AnnLab run: {NetworkName(results.Configuration)}, {Method(results)}", configuration, metrics, report, figures,
            Program.CommandLine, DateTimeOffset.UtcNow, results.Configuration.Settings(), "validation", live));
    }

    /// <summary>J with 5 decimals, or 6 significant digits when it is huge (a diverging run).</summary>
    internal static string FormatCost(double cost) => Math.Abs(cost) < 1e6 ? cost.ToString("F5", CultureInfo.InvariantCulture) : cost.ToString("G6", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => FormattableString.Invariant($"{fraction * 100:F2} %");

    private static string N(double value) => value.ToString(CultureInfo.InvariantCulture);
}

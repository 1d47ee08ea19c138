using System.CommandLine;
using System.Globalization;
using AnnLab.Network;
using AnnLab.Results;
using AnnLab.Training;
using Spectre.Console;

namespace AnnLab.Cli;

/// <summary><c>annlab info</c>: a model file's summary, as Keras's <c>model.summary()</c>, and how it was trained.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { HelpName = "FILE", Description = "Model file written by annlab train (model.annlab in its run folder)", Required = true };
        var json = new Option<string?>("--json") { HelpName = "FILE", Description = "Also write the summary to this file as JSON" };
        var command = new Command("info", "Summarize a model: each layer's kind, output shape, parameters and activation, the totals, the input shape, the output layer and its cost, the class names, the file's format version, and the training recorded in the results.json beside it.")
        {
            model, json,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(model)!;
            string? jsonPath = parse.GetValue(json) is { } j ? FigureCommands.ModelJson(j, path) : null;
            string resultsPath = Path.Combine(Path.GetDirectoryName(path) ?? "", "results.json");

            Model m = DataOptions.ReadModel(path);
            int version = ModelFile.ReadFormatVersion(path);
            (RunResults? results, string? unreadable) = Recorded(resultsPath);
            ModelSummary summary = ModelSummary.Create(m, path, version, File.Exists(resultsPath) ? resultsPath : null, results);
            Show(summary, unreadable);
            if (jsonPath is not null)
            {
                summary.Save(jsonPath);
                Program.Say($"wrote {jsonPath}");
            }

            return Program.Ok;
        });
        return command;
    }

    // The results.json beside the model, or why it cannot be read: info describes the model, which
    // a broken neighbour does not change, so that is a note, not a failure.
    private static (RunResults? Results, string? Problem) Recorded(string path)
    {
        if (!Path.Exists(path))
        {
            return (null, null);
        }

        try
        {
            if (Directory.Exists(path))
            {
                return (null, $"{path}: is a folder; expected the results file annlab train wrote beside the model");
            }

            return (RunResults.Load(path), null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return (null, e.Message);
        }
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Shape(IReadOnlyList<int> shape) => string.Join("x", shape);

    private static void Show(ModelSummary s, string? unreadable)
    {
        Program.Say($"model: {OptionValues.Printable(s.Model ?? "")} (AnnLab model file, format version {s.FormatVersion})");
        Program.Say($"input: {Shape(s.InputShape)}" + (s.InputShape.Count > 1 ? $" ({N(s.InputSize)} values, flattened)" : " values"));
        var table = new Table().AddColumn("#").AddColumn("layer").AddColumn("output shape").AddColumn(new TableColumn("parameters").RightAligned()).AddColumn("activation");
        foreach (LayerSummary layer in s.Layers)
        {
            string activation = layer.Activation ?? (layer.DropoutRate is { } rate ? $"(rate {rate.ToString(CultureInfo.InvariantCulture)})" : "");
            table.AddRow(layer.Index?.ToString(CultureInfo.InvariantCulture) ?? "", layer.Kind, Shape(layer.OutputShape), N(layer.Parameters), Markup.Escape(activation));
        }

        AnsiConsole.Write(table);
        Program.Say($"total parameters: {N(s.Parameters)} ({N(s.Weights)} weights, {N(s.Biases)} biases), {(s.Parameters * 4.0 / 1024).ToString("F1", CultureInfo.InvariantCulture)} KiB as float32");
        Program.Say($"output layer: {s.OutputLayer}; cost: {s.Cost}");
        Program.Say($"classes ({s.ClassNames.Count}): " + string.Join(", ", s.ClassNames.Select((name, k) => $"{k} {name}")));
        if (s.Training is { } t)
        {
            Program.Say($"training, from {OptionValues.Printable(t.Results)}:");
            var training = new Table().AddColumn("setting").AddColumn("value");
            string method = t.Solver == "sgd" && t.Optimizer != "sgd" ? $"sgd with {t.Optimizer}" : t.Solver;
            var rows = new List<(string, string)>
            {
                ("solver", method),
                ("split", t.SplitDescription),
                ("seed", t.Seed.ToString(CultureInfo.InvariantCulture)),
                ("lambda", t.Lambda.ToString(CultureInfo.InvariantCulture)),
            };
            if (t.Solver == "sgd")
            {
                rows.Add(("learning rate", t.LearningRate.ToString(CultureInfo.InvariantCulture)));
                rows.Add(("batch size", t.BatchSize.ToString(CultureInfo.InvariantCulture)));
                rows.Add(("epochs", t.Epochs.ToString(CultureInfo.InvariantCulture)));
            }
            else
            {
                rows.Add(("iterations", t.Iterations.ToString(CultureInfo.InvariantCulture)));
            }

            rows.Add(("stop reason", t.StopReason));
            rows.Add(("training accuracy", Percent(t.TrainAccuracy)));
            rows.Add(("validation accuracy", Percent(t.ValidationAccuracy)));
            if (t.TestAccuracy is { } test)
            {
                rows.Add(("test accuracy", Percent(test)));
            }

            rows.Add(("training seconds", t.TrainSeconds.ToString("F2", CultureInfo.InvariantCulture)));
            foreach ((string setting, string value) in rows)
            {
                training.AddRow(setting, Markup.Escape(OptionValues.Printable(value)));
            }

            AnsiConsole.Write(training);
        }
        else if (s.TrainingNote is { } note)
        {
            Program.Say($"training: not shown: {note}");
        }
        else if (unreadable is not null)
        {
            Program.Say($"training: not shown: {OptionValues.Printable(unreadable, 4 * OptionValues.EchoLimit)}");
        }
        else
        {
            Program.Say("training: no results.json beside the model");
        }
    }

    private static string Percent(double fraction) => FormattableString.Invariant($"{fraction * 100:F2} %");
}

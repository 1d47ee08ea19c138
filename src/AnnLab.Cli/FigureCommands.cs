using System.CommandLine;
using System.Globalization;
using AnnLab.Data;
using AnnLab.Metrics;
using AnnLab.Network;
using AnnLab.Plots;
using AnnLab.Results;
using AnnLab.Training;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace AnnLab.Cli;

/// <summary><c>annlab data</c>, <c>evaluate</c>, <c>explain</c> and <c>plot</c>: look at the data and at a trained model.</summary>
internal static class FigureCommands
{
    private static Option<string> OutputFolder(string defaultValue, string what) => new("--output") { HelpName = "DIR", Description = $"Folder for {what}", DefaultValueFactory = _ => defaultValue };

    /// <summary>
    /// Refuses, for a command that writes fixed-name figures into an existing folder, a run folder
    /// (<see cref="OptionValues.RunFolderFiles"/>: another run's outputs, which it must not replace)
    /// and the folders in <paramref name="keepOut"/> (the data folder). Links are resolved first.
    /// </summary>
    internal static void RefuseRunFolder(string property, string folder, params string?[] keepOut)
    {
        string real = OptionValues.RealPath(folder);
        if (Directory.Exists(real) && OptionValues.RunFileIn(real) is { } runFile)
        {
            throw new OptionOutOfRangeException(property, folder, $"a folder that holds no annlab run (this one holds {runFile}; AnnLab does not replace a run's files)");
        }

        foreach (string? other in keepOut)
        {
            if (other is not null && real == OptionValues.RealPath(other))
            {
                throw new OptionOutOfRangeException(property, folder, $"a folder other than {other} (AnnLab does not write into the data folder)");
            }
        }
    }

    private static string PrepareFolder(string folder, params string?[] keepOut)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            throw new OptionOutOfRangeException("Output", OptionValues.Quote(folder), "a folder path");
        }

        if (File.Exists(folder))
        {
            throw new OptionOutOfRangeException("Output", folder, "a folder, not a file");
        }

        RefuseRunFolder("Output", folder, keepOut);
        try
        {
            if (!Directory.Exists(folder))
            {
                Directory.CreateDirectory(folder);
                OptionValues.RemoveIfLeftEmpty(folder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OptionOutOfRangeException("Output", folder, $"a folder that can be created ({e.Message})");
        }

        if (OptionValues.Unwritable(folder) is { } why)
        {
            throw new OptionOutOfRangeException("Output", folder, $"a folder AnnLab can write ({why})");
        }

        return folder;
    }

    public static Command Data()
    {
        var data = new DataOptions();
        Option<string> output = OutputFolder(".", "samples.png and samples-labeled.png");
        var command = new Command("data", "Count the images per split and per class, and draw the first 100 training images (samples.png, samples-labeled.png).");
        data.AddTo(command);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            DataChoice choice = data.Choose(parse);
            string folder = PrepareFolder(parse.GetValue(output)!, choice.Source.Location);
            (Dataset all, DataSplit split) = choice.Load(atLeast: choice.Source.Count);
            (ImageSet train, ImageSet validation, ImageSet? test) = (split.Train, split.Validation, split.Test);
            Program.Say($"data: {choice.Source.Location}: {choice.Source.Description}; {split.Name} split: {split.Description}");
            var table = new Table().AddColumn("class").AddColumn(new TableColumn("training").RightAligned()).AddColumn(new TableColumn("validation").RightAligned());
            if (test is not null)
            {
                table.AddColumn(new TableColumn("test").RightAligned());
            }

            table.AddColumn(new TableColumn($"all {all.Count.ToString("N0", CultureInfo.InvariantCulture)}").RightAligned());
            int[] Count(ImageSet s)
            {
                var c = new int[all.ClassNames.Count];
                foreach (byte label in s.Labels.Span)
                {
                    c[label]++;
                }

                return c;
            }

            ImageSet[] columns = test is null ? [train, validation, all.Images] : [train, validation, test, all.Images];
            int[][] counts = [.. columns.Select(Count)];
            for (int k = 0; k < all.ClassNames.Count; k++)
            {
                table.AddRow([$"{k} {Markup.Escape(all.ClassNames[k])}", .. counts.Select(c => c[k].ToString(CultureInfo.InvariantCulture))]);
            }

            table.AddRow(["[bold]total[/]", .. columns.Select(c => c.Count.ToString(CultureInfo.InvariantCulture))]);
            AnsiConsole.Write(table);
            foreach (string file in LabFigures.Samples(folder, train, all.ClassNames, split.IndicesOf(SplitPart.Training)))
            {
                Program.Say($"wrote {file}");
            }

            return Program.Ok;
        });
        return command;
    }

    // The results.json that annlab train wrote beside a model: null when there is none; a broken
    // one, or one that records another network than the model's, is an error (evaluating on another split than the model's could measure training images).
    // <paramref name="without"/> ends the message of a broken one: which options to give to go without it.
    private static (string Path, RunResults Results)? RecordedRun(string modelPath, string without = EvaluateWithout)
    {
        string path = Path.Combine(Path.GetDirectoryName(modelPath) ?? "", "results.json");
        if (!Path.Exists(path))
        {
            return null;
        }

        try
        {
            if (Directory.Exists(path))
            {
                throw new InvalidDataException($"{path}: is a folder; expected the results file annlab train wrote beside the model");
            }

            RunResults results = RunResults.Load(path);

            // Another run's results.json beside the model (info shows it as such) would place
            // images in, and measure J with, a split and lambda this model never saw.
            if (results.OtherNetwork(path, DataOptions.ReadModel(modelPath).Network) is { } other)
            {
                throw new InvalidDataException($"{other} ({modelPath}), so it is another run's");
            }

            return (path, results);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{e.Message}; {without}", e);
        }
    }

    private const string EvaluateWithout = "give --split, --samples, --train-fraction and --lambda to evaluate without it";

    private const string DescribeWithout = "give --split, --samples and --train-fraction to place the image without it";

    /// <summary>
    /// The split a command that reads a model works on (explain, predict --index): the one the
    /// results.json beside the model records when none of --split, --samples and --train-fraction
    /// is given, else the options' (stratified with seed 1). From: that results.json, or null.
    /// </summary>
    /// <exception cref="InvalidDataException">The results.json beside the model cannot be read, or its split does not fit the data; the message names it.</exception>
    internal static (DataChoice Choice, string? From) ChooseModelSplit(DataOptions data, ParseResult parse, string? modelPath)
    {
        if (data.SplitGivenNowhere(parse) && !string.IsNullOrWhiteSpace(modelPath) && File.Exists(modelPath) && RecordedRun(modelPath, DescribeWithout) is { } run)
        {
            RunResults r = run.Results;
            return (ChooseRecorded(data, parse, Dataset.ParseSplitKind(r.Split), r.Configuration.Samples, r.Configuration.TrainFraction, r.Seed, run.Path, DescribeWithout), run.Path);
        }

        return (data.Choose(parse), null);
    }

    // The data the run beside a model was trained on, to read again when no data option is given; null when its results.json records none (or there is none).
    internal static (IReadOnlyDictionary<string, string> Record, string From)? RecordedData(string? modelPath)
    {
        try
        {
            if (string.IsNullOrWhiteSpace(modelPath) || !File.Exists(modelPath) || RecordedRun(modelPath) is not { } run)
            {
                return null;
            }

            // An empty or missing data_request with a dataset still says which data: those two keys.
            RunConfiguration c = run.Results.Configuration;
            IReadOnlyDictionary<string, string>? record = c.DataRequest is { Count: > 0 } r ? r
                : c.Dataset is { } dataset ? new Dictionary<string, string> { ["dataset"] = dataset, ["data"] = c.Data } : null;
            return record is null ? null : (record, run.Path);
        }
        catch (InvalidDataException)
        {
            return null; // evaluate names a broken results.json itself; explain reads only the data options then
        }
    }

    // --json of a command that reads a model: checked as every --json, and other than the model and the results.json beside it.
    internal static string ModelJson(string json, string modelPath, params string?[] keepOut)
    {
        if (!string.IsNullOrWhiteSpace(modelPath) && !string.IsNullOrWhiteSpace(json))
        {
            string real = OptionValues.RealPath(json);
            if (real == OptionValues.RealPath(modelPath) || real == OptionValues.RealPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, "results.json")))
            {
                throw new OptionOutOfRangeException("Json", json, "a file other than the model and its results.json (AnnLab does not replace them)");
            }
        }

        return OptionValues.OutputFile("Json", json, keepOut);
    }

    // The split recorded in a results.json checked against the data set: a value that does not fit is
    // the file's fault, not the command line's, so the message names the file and its key.
    private static DataChoice ChooseRecorded(DataOptions data, ParseResult parse, SplitKind kind, int samples, double fraction, int seed, string? recordedPath, string without = EvaluateWithout)
    {
        try
        {
            return data.Choose(parse, kind, samples, fraction, seed);
        }
        catch (OptionOutOfRangeException e) when (recordedPath is not null)
        {
            string key = e.Option == nameof(TrainingOptions.TrainFraction) ? "configuration.train_fraction" : "configuration.samples";
            throw new InvalidDataException($"{recordedPath}: {key}: {e.Detail} for {data.Open(parse).Location}; {without}", e);
        }
    }

    // The lambda of J when neither the command line nor a results.json says: the table's default, the lab's.
    private static readonly string DefaultLambda = TrainingOptionSet.Readable(TrainingOptionTable.Get(nameof(TrainingOptions.Lambda)).DefaultText);

    public static Command Evaluate()
    {
        var data = new DataOptions();
        var model = new Option<string>("--model") { HelpName = "FILE", Description = "Model file written by annlab train (model.annlab in its run folder)", Required = true };
        var lambda = new Option<string?>("--lambda") { HelpName = "LAMBDA", Description = $"lambda of the cost J reported (J's ridge term is lambda/(2m) sum W^2 over the m images measured, as in train's table; --lambda-scale changes only sgd's batches, not J) [default: the lambda in the results.json beside the model, so that J is train's; without that file {DefaultLambda}, the lab's]" };
        var output = OptionValues.RunFolderOption("the figures and report.html");
        var json = new Option<string?>("--json") { HelpName = "FILE", Description = "Write accuracy, cost, the confusion matrix, per-class scores and every image's prediction to this file" };
        var noFigures = new Option<bool>("--no-figures") { Description = "Skip the figures and the report" };
        var partOption = new Option<string>("--part") { HelpName = "validation|test|training", Description = "The part of the split to measure; test: the data set's test part (the official split's, or, with lab and stratified while --samples stays within the training part, the same untouched images)", DefaultValueFactory = _ => "validation" };
        var command = new Command("evaluate", "Measure a trained model on a part of a split (--part, validation by default): the split recorded in the results.json beside the model when none of --split, --samples, --train-fraction is given, else those (as in train; stratified uses seed 1), and J with the lambda recorded there unless --lambda is given, so that J is train's: accuracy, cost, confusion matrix, per-class precision, recall and F1, every image's prediction in evaluation.json, and the figures <part>-predictions.png, misclassified.png and confusion-matrix.png.")
        {
            model, lambda, partOption, output, json, noFigures,
        };
        data.AddTo(command);
        command.SetAction(parse =>
        {
            data.Fallback = RecordedData(parse.GetValue(model));
            SplitKind kind = data.ParseSplit(parse);
            int samples = data.ParseSamples(parse);
            double fraction = data.ParseTrainFraction(parse);
            string? lambdaText = parse.GetValue(lambda);
            double? lambdaGiven = lambdaText is null ? null : OptionValues.Double(nameof(TrainingOptions.Lambda), lambdaText, "a finite number >= 0");
            if (lambdaGiven is { } given)
            {
                new TrainingOptions { Lambda = given }.Validate();
            }

            SplitPart part = Dataset.ParsePart(parse.GetValue(partOption)!);
            string modelPath = parse.GetValue(model)!;
            string? jsonPath = parse.GetValue(json) is { } j ? ModelJson(j, modelPath, parse.GetValue(output)) : null;
            int seed = 1;
            string splitSource = "use the --split, --samples and --train-fraction the model was trained with";
            RunResults? recorded = null;
            string? recordedPath = null;
            bool splitGivenNowhere = data.SplitGivenNowhere(parse);

            // The run beside the model gives what the command line does not: its split, and the lambda of its J.
            (string Path, RunResults Results)? run = (splitGivenNowhere || lambdaGiven is null) && !string.IsNullOrWhiteSpace(modelPath) && File.Exists(modelPath) ? RecordedRun(modelPath) : null;
            if (splitGivenNowhere && run is { } r)
            {
                recorded = r.Results;
                (kind, samples, fraction, seed) = (Dataset.ParseSplitKind(recorded.Split), recorded.Configuration.Samples, recorded.Configuration.TrainFraction, recorded.Seed);
                splitSource = $"the split it was trained on, from {r.Path}";
                recordedPath = r.Path;
            }

            (double lambdaValue, string lambdaSource) = lambdaGiven is { } l ? (l, "given")
                : run is { } trained ? (trained.Results.Configuration.Lambda, $"from {trained.Path}")
                : (new TrainingOptions().Lambda, $"the default: no results.json beside the model records the lambda it was trained with; give {OptionNames.Of(nameof(TrainingOptions.Lambda))} to set it");

            DataChoice choice = ChooseRecorded(data, parse, kind, samples, fraction, seed, recordedPath);
            choice.Source.CheckPart(choice.Split, choice.Samples, part);
            string dir = choice.Source.Location;
            if (jsonPath is not null)
            {
                OptionValues.OutputFile("Json", jsonPath, dir);
            }

            Model m = DataOptions.LoadModel(modelPath, choice.Source);
            bool figures = !parse.GetValue(noFigures);
            string? folder = figures ? OptionValues.ClaimRunFolder("Output", parse.GetValue(output)) : null;
            (Dataset all, DataSplit split) = choice.Load(atLeast: part == SplitPart.Test ? choice.Source.Count : 0);
            SplitImages measured = all.Part(split, part);
            ImageSet images = measured.Images;

            Evaluation evaluation;
            using (var objective = new DatasetObjective<float>(m.Network, images, lambdaValue, Environment.ProcessorCount))
            {
                evaluation = objective.Measure(m.Parameters);
            }

            var report = ClassificationReport.Create(images.Labels.Span, evaluation.Predictions, m.ClassNames);
            var results = EvaluationResults.Create(report, evaluation, measured, split.Name, modelPath, samples, fraction);
            string heldOut = part == SplitPart.Test && split.Test is null ? $", {all.Name}'s test part, images {measured.Indices[0]}..{measured.Indices[^1]}, which the {split.Name} split leaves untouched" : "";
            Program.Say($"model: {modelPath}: {m.Network}; data: {dir}: {split.Description}; measuring the {images.Count} {measured.Name} images ({splitSource}{heldOut})");
            Program.Say($"cost J with lambda {lambdaValue.ToString(CultureInfo.InvariantCulture)} ({lambdaSource}), its ridge term over the {images.Count} images measured, as train's table");
            string wholeMatrix = folder is not null ? $"in {Path.Combine(folder, "confusion-matrix.png")} and {Path.Combine(folder, "evaluation.json")}"
                : jsonPath is not null ? $"in {jsonPath}" : "in the file --json writes";
            ShowReport(report, evaluation.Cost, wholeMatrix);
            if (jsonPath is not null)
            {
                results.Save(jsonPath);
            }

            if (folder is not null)
            {
                var files = new List<KeyValuePair<string, string>>
                {
                    new(LabFigures.ValidationPredictions(folder, images, evaluation.Predictions, m.ClassNames, measured.Indices, measured.Name), $"The first 25 {measured.Name} images, each titled {Figures.CaptionConvention}; wrong ones in red."),
                    new(LabFigures.Misclassified(folder, images, evaluation.Predictions, m.ClassNames, measured.Indices, measured.Name), $"The first 25 {measured.Name} images the network got wrong, each titled {Figures.CaptionConvention} (the index for annlab explain --index)."),
                    new(LabFigures.ConfusionMatrix(folder, report, m.ClassNames, measured.Name), "Rows: true class; columns: predicted class."),
                };
                results.Save(Path.Combine(folder, "evaluation.json"));

                // With the run read back, the training run's own rows say how the model was made.
                List<KeyValuePair<string, string>> configuration = [new("model", modelPath), new("lambda of J", lambdaValue.ToString(CultureInfo.InvariantCulture))];
                configuration.AddRange(recorded is not null ? RunOutputs.ReportRows(recorded).Configuration
                    : [new("network", m.Network.ToString()), new("data", dir), new("split", split.Description), new("samples", samples.ToString(CultureInfo.InvariantCulture)), new("train fraction", fraction.ToString(CultureInfo.InvariantCulture))]);
                Report.Write(Path.Combine(folder, "report.html"), new ReportContent(
                    $"AnnLab evaluation of {modelPath}", configuration, RunOutputs.ReportRows(results), report, files,
                    Program.CommandLine, DateTimeOffset.UtcNow, recorded?.Configuration.Settings(), measured.Name,
                    new ReportLiveView(m, images, measured.Indices, evaluation.Predictions)));
                OptionValues.CompleteRunFolder(folder);
                Program.Say($"figures and report.html in {folder}");
            }

            return Program.Ok;
        });
        return command;
    }

    public static Command Explain()
    {
        var data = new DataOptions();
        var model = new Option<string>("--model") { HelpName = "FILE", Description = "Model file written by annlab train", Required = true };
        var index = new Option<string>("--index") { HelpName = "I", Description = "Image I of the data set (0 to its count - 1, training part first, the index evaluation.json and misclassified.png give; with the lab's defaults 4000..4999 are the validation images and, for Fashion-MNIST, 60000..69999 the test images); the split options say which part it is in", Required = true };
        Option<string> output = OutputFolder(".", "explain-<I>.png");
        var command = new Command("explain", "Follow one image through the network: its hidden units' z and activations, their weight images, the output scores; draws explain-<I>.png and prints the numbers.")
        {
            model, index, output,
        };
        data.AddTo(command);
        command.SetAction(parse =>
        {
            data.Fallback = RecordedData(parse.GetValue(model));
            (DataChoice choice, string? splitFrom) = ChooseModelSplit(data, parse, parse.GetValue(model));
            string range = $"an integer in 0..{choice.Source.Count - 1}";
            int i = OptionValues.Int("Index", parse.GetValue(index)!, range);
            if (i < 0 || i >= choice.Source.Count)
            {
                throw new OptionOutOfRangeException("Index", i, range);
            }

            string folder = PrepareFolder(parse.GetValue(output)!, choice.Source.Location);
            Model m = DataOptions.LoadModel(parse.GetValue(model), choice.Source);
            if (m.Network.LayerSizes.Count < 3)
            {
                throw new InvalidDataException($"{parse.GetValue(model)}: expected a network with a hidden layer to explain, got {m.Network.LayerSizes.Count - 1} weight layer ({string.Join("-", m.Network.LayerSizes)})");
            }

            (Dataset all, DataSplit split) = choice.Load(atLeast: i + 1);
            SplitPart part = all.PartOf(split, i);
            string where = part switch
            {
                SplitPart.Unused => $"in no part of the {split.Name} split",
                SplitPart.Test when split.Test is null => $"a test image: in {all.Name}'s test part, which the {split.Name} split leaves untouched",
                _ => $"a {Dataset.NameOf(part)} image of the {split.Name} split",
            };
            Program.Say($"image {i} of {choice.Source.Name}: {where} ({split.Description}" + (splitFrom is null ? ")" : $"; the split it was trained on, from {splitFrom})"));
            Explanation e = LabFigures.Explain(m.Network, m.Parameters, all.Images, i, m.ClassNames);
            foreach (string line in LabFigures.Describe(e))
            {
                Program.Say(line);
            }

            string path = Path.Combine(folder, $"explain-{i}.png");
            Figures.Explain(path, e);
            Program.Say($"wrote {path}");
            return Program.Ok;
        });
        return command;
    }

    public static Command Plot()
    {
        Option<string> output = OutputFolder(".", "activations.png");
        var activations = new Command("activations", "Draw every hidden activation and its derivative over z in [-5, 5] (activations.png).") { output };
        activations.SetAction(parse =>
        {
            string folder = PrepareFolder(parse.GetValue(output)!);
            string path = Path.Combine(folder, "activations.png");
            Figures.Activations(path, Activations.Available);
            Program.Say($"wrote {path}");
            return Program.Ok;
        });
        return new Command("plot", "Draw reference figures.") { activations };
    }

    /// <summary>How many of the most frequent confusions the console lists when the whole matrix is wider than the console.</summary>
    internal const int ConsoleConfusions = 15;

    /// <summary>Accuracy and cost, the per-class table and the confusion matrix, on the console.</summary>
    /// <param name="report">The scores and the matrix.</param>
    /// <param name="cost">The cost J on the same images.</param>
    /// <param name="wholeMatrix">Where the whole matrix is written (e.g. "in evaluation.json"), for a matrix too wide for the console.</param>
    public static void ShowReport(ClassificationReport report, double cost, string wholeMatrix)
    {
        Program.Say(FormattableString.Invariant($"accuracy {report.Accuracy * 100:F2} % of {report.Total} images, cost J {cost:F5}, macro F1 {report.MacroF1:F3}"));
        foreach (IRenderable table in ReportTables(report, AnsiConsole.Console, wholeMatrix))
        {
            AnsiConsole.Write(table);
        }
    }

    /// <summary>
    /// The per-class table (one row per class, for any class count), then the confusion matrix as one table when it
    /// fits the width of <paramref name="console"/>; when it does not (about 25 classes and more at 160 columns), a line
    /// saying where the whole matrix is and one table of the <see cref="ConsoleConfusions"/> most frequent confusions instead.
    /// </summary>
    internal static IReadOnlyList<IRenderable> ReportTables(ClassificationReport report, IAnsiConsole console, string wholeMatrix)
    {
        string Name(int c) => $"{c} {Markup.Escape(report.Classes[c].Name)}";
        var scores = new Table().AddColumn("class").AddColumn(new TableColumn("precision").RightAligned()).AddColumn(new TableColumn("recall").RightAligned()).AddColumn(new TableColumn("F1").RightAligned()).AddColumn(new TableColumn("images").RightAligned());
        foreach (ClassScores c in report.Classes)
        {
            scores.AddRow(Name(c.Class), c.Precision.ToString("F3", CultureInfo.InvariantCulture), c.Recall.ToString("F3", CultureInfo.InvariantCulture), c.F1.ToString("F3", CultureInfo.InvariantCulture), c.Support.ToString(CultureInfo.InvariantCulture));
        }

        var matrix = new Table().Title("confusion matrix: rows true, columns predicted").AddColumn("true \\ predicted");
        int k = report.Classes.Count;
        for (int p = 0; p < k; p++)
        {
            matrix.AddColumn(new TableColumn(p.ToString(CultureInfo.InvariantCulture)).RightAligned());
        }

        for (int t = 0; t < k; t++)
        {
            var row = new List<string> { Name(t) };
            for (int p = 0; p < k; p++)
            {
                row.Add(report.Counts[t, p].ToString(CultureInfo.InvariantCulture));
            }

            matrix.AddRow(row.ToArray());
        }

        // Spectre squeezes a table wider than the console into wrapped cells, which no one can read as a matrix.
        Measurement natural = ((IRenderable)matrix).Measure(RenderOptions.Create(console), int.MaxValue);
        if (natural.Max <= console.Profile.Width)
        {
            return [scores, matrix];
        }

        IReadOnlyList<Confusion> top = report.TopConfusions(ConsoleConfusions);
        var note = new Text($"the {k} x {k} confusion matrix is wider than the console ({natural.Max} of {console.Profile.Width} columns); the whole matrix is {wholeMatrix}\n");
        var confusions = new Table()
            .Title($"the {top.Count} most frequent confusions")
            .AddColumn("true class").AddColumn("predicted as").AddColumn(new TableColumn("images").RightAligned()).AddColumn(new TableColumn("of the true class").RightAligned());
        foreach (Confusion c in top)
        {
            int support = report.Classes[c.TrueClass].Support;
            confusions.AddRow(Name(c.TrueClass), Name(c.PredictedClass), c.Count.ToString(CultureInfo.InvariantCulture),
                FormattableString.Invariant($"{100.0 * c.Count / support:F1} %"));
        }

        return [scores, note, confusions];
    }
}

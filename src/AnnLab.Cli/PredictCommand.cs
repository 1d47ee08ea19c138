using System.CommandLine;
using System.Globalization;
using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Plots;
using AnnLab.Results;
using AnnLab.Training;

namespace AnnLab.Cli;

/// <summary><c>annlab predict</c>: a trained model's top classes for image files and for images of the data set.</summary>
internal static class PredictCommand
{
    private const string Description =
        "Predict the classes of image files (PNG, JPEG, BMP) and of data set images (--index) with a trained model. "
        + "A file is made into the model's input as the data set's images were made: grayscale (luma; transparency over white), "
        + "inverted when its background is light (--invert), scaled to fit the model's canvas keeping its aspect ratio and centred on black. "
        + "Prints each image's top classes; softmax models give probabilities, the lab's sigmoid outputs independent scores, shown also normalized to sum 1.";

    private static readonly string[] InvertChoices = ["auto", "yes", "no"];

    public static Command Create()
    {
        var data = new DataOptions();
        var model = new Option<string>("--model") { HelpName = "FILE", Description = "Model file written by annlab train (model.annlab in its run folder)", Required = true };
        var images = new Argument<string[]>("IMAGE") { Description = "Image files to predict (PNG, JPEG or BMP, at least 8 x 8 pixels)", Arity = ArgumentArity.ZeroOrMore };
        var index = new Option<string?>("--index") { HelpName = "LIST", Description = "Images of the data set to predict, comma-separated (0 to its count - 1, training part first, as in explain)" };
        var invert = new Option<string>("--invert") { HelpName = "auto|yes|no", Description = "Invert the grays of image files: auto when the mean of their border pixels is light (above 127.5), yes always (a dark object on a light background), no never (a light object on black)", DefaultValueFactory = _ => "auto" };
        var top = new Option<string>("--top") { HelpName = "K", Description = "Classes shown per image, the most likely first", DefaultValueFactory = _ => "3" };
        var json = new Option<string?>("--json") { HelpName = "FILE", Description = "Write every class's score for every image to this file" };
        var show = new Option<string?>("--show") { HelpName = "DIR", Description = "Write predict-<name>.png per image into this folder: the image as the network saw it beside its class probabilities" };
        var command = new Command("predict", Description) { model, images, index, invert, top, json, show };
        data.AddTo(command);
        command.SetAction(parse =>
        {
            string[] files = parse.GetValue(images) ?? [];
            string? indexText = parse.GetValue(index);
            if (files.Length == 0 && indexText is null)
            {
                throw new UsageException("predict: name one or more image files, or data set images by --index (run 'annlab predict --help' for the options)");
            }

            if (files.FirstOrDefault(string.IsNullOrWhiteSpace) is { } blank)
            {
                throw new UsageException($"predict: got an image file name {OptionValues.Quote(blank)}, expected a path to a PNG, JPEG or BMP file");
            }

            Inversion inversion = ParseInversion(parse.GetValue(invert)!);
            int topCount = OptionValues.Int("Top", parse.GetValue(top)!, "an integer >= 1");
            if (topCount < 1)
            {
                throw new OptionOutOfRangeException("Top", topCount, "an integer >= 1");
            }

            string modelPath = parse.GetValue(model)!;
            data.Fallback = FigureCommands.RecordedData(modelPath);
            string? jsonText = parse.GetValue(json);
            if (!string.IsNullOrWhiteSpace(jsonText) && files.Append(modelPath).Any(f => !string.IsNullOrWhiteSpace(f) && OptionValues.RealPath(f) == OptionValues.RealPath(jsonText)))
            {
                throw new OptionOutOfRangeException("Json", jsonText, "a file other than the model and the images (AnnLab does not replace them)");
            }

            string? jsonPath = jsonText is not null ? OptionValues.OutputFile("Json", jsonText, parse.GetValue(show), data.FolderOrNull(parse)) : null;

            string? showFolder = parse.GetValue(show) is { } s ? ShowFolder(s) : null;
            if (showFolder is not null)
            {
                FigureCommands.RefuseRunFolder("Show", showFolder, data.FolderOrNull(parse));
            }

            // The data set is opened only for --index: image files need the model alone.
            DataChoice? choice = null;
            string? splitFrom = null, placement = null;
            int[] indices = [];
            if (indexText is not null)
            {
                (choice, splitFrom) = FigureCommands.ChooseModelSplit(data, parse, modelPath);
                indices = ParseIndices(indexText, choice.Source.Count);
                if (jsonPath is not null)
                {
                    OptionValues.OutputFile("Json", jsonPath, choice.Source.Location);
                }

            }

            Model m = choice is not null ? DataOptions.LoadModel(modelPath, choice.Source) : DataOptions.ReadModel(modelPath);
            int classes = m.ClassNames.Count;
            if (topCount > classes)
            {
                throw new OptionOutOfRangeException("Top", topCount, $"an integer in 1..{classes} (the model's classes)");
            }

            if (files.Length > 0 && !ImagePreparation.IsImageShape(m.Network.InputShape))
            {
                string shape = $"[{string.Join(", ", m.Network.InputShape)}]";
                throw new InvalidDataException(m.Network.InputShape.Count == 1
                    ? $"{modelPath}: the model's input is a flat vector of {m.Network.InputSize} values ({shape}), not an image of rows x columns (its file records no image shape), so image files cannot be fitted to it; predict data set images with --index instead"
                    : $"{modelPath}: the model's input shape is {shape}, not an image of rows x columns, so image files cannot be fitted to it; predict data set images with --index instead");
            }

            // Every input is read and checked before anything is printed or written.
            var inputs = new List<Input>();
            foreach (string file in files)
            {
                PreparedImage prepared = ImageFiles.Read(file, m.Network.InputShape, inversion);
                inputs.Add(new Input(file, null, null, prepared.Pixels, prepared.Rows, prepared.Columns, prepared.Inverted, Describe(prepared)));
            }

            if (choice is not null)
            {
                (Dataset all, DataSplit split) = choice.Load(atLeast: indices.Max() + 1);
                placement = $"the {split.Name} split: {split.Description}" + (splitFrom is null ? "" : $", the split it was trained on, from {splitFrom}");
                foreach (int i in indices)
                {
                    SplitPart part = split.PartOf(i);
                    string where = part == SplitPart.Unused ? $"in no part of the {split.Name} split" : $"a {part.ToString().ToLowerInvariant()} image of the {split.Name} split";
                    int label = all.Images.Labels.Span[i];
                    inputs.Add(new Input(null, i, label, all.Images.Image(i).ToArray(), all.Images.Rows, all.Images.Columns, false, where));
                }
            }

            bool probabilities = m.OutputsAreProbabilities();
            Program.Say($"model: {modelPath}: {m.Network}; " + (probabilities
                ? "its outputs are softmax probabilities"
                : "its outputs are sigmoid scores, each in 0..1 on its own (one-vs-rest), not probabilities over the classes; 'normalized' divides them by their sum"));
            if (placement is not null)
            {
                Program.Say($"data set images placed in {placement}");
            }

            var results = new List<PredictedImage>();
            var figures = new List<PredictionFigure>();
            foreach (Input input in inputs)
            {
                float[] scores = m.PredictProbabilities(input.Pixels);
                float[] normalized = ModelPredictions.Normalized(scores);
                int predicted = Prediction.ArgMax<float>(scores);
                string name = input.File ?? $"image {input.Index} of {choice!.Source.Name}";
                Program.Say($"{OptionValues.Printable(name)}: {input.Description}: " + (input.TrueClass is { } t && input.Index is { } at
                    ? $"{Figures.ImageCaption(at, m.ClassNames[t], m.ClassNames[predicted])} ({Figures.CaptionConvention}; classes {t} -> {predicted}), {(t == predicted ? "right" : "wrong")}"
                    : $"predicted {predicted} {m.ClassNames[predicted]}"));
                int width = m.ClassNames.Take(classes).Max(n => n.Length);
                foreach (int k in Enumerable.Range(0, classes).OrderByDescending(k => scores[k]).ThenBy(k => k).Take(topCount))
                {
                    string line = FormattableString.Invariant($"  {k.ToString(CultureInfo.InvariantCulture).PadLeft(Math.Max(2, (classes - 1).ToString(CultureInfo.InvariantCulture).Length))} {m.ClassNames[k].PadRight(width)}  ");
                    Program.Say(line + (probabilities
                        ? FormattableString.Invariant($"probability {scores[k]:F4}")
                        : FormattableString.Invariant($"score {scores[k]:F4}  normalized {normalized[k]:F4}")));
                }

                results.Add(new PredictedImage
                {
                    File = input.File,
                    Index = input.Index,
                    TrueClass = input.TrueClass,
                    Inverted = input.Inverted,
                    Predicted = predicted,
                    PredictedName = m.ClassNames[predicted],
                    Scores = scores,
                    Normalized = normalized,
                });
                string title = input.File is not null ? $"{Path.GetFileName(input.File)}: predicted {m.ClassNames[predicted]}" : $"Image {Figures.ImageCaption(input.Index!.Value, m.ClassNames[input.TrueClass!.Value], m.ClassNames[predicted])} ({Figures.CaptionConvention})";
                figures.Add(new PredictionFigure(title, input.Pixels, input.Rows, input.Columns, m.ClassNames, probabilities ? scores : normalized,
                    probabilities ? "softmax probabilities" : "sigmoid scores normalized to sum 1", predicted, input.Description));
            }

            if (jsonPath is not null)
            {
                new PredictionResults
                {
                    Model = modelPath,
                    OutputActivation = m.Network.OutputActivationName,
                    ScoresAreProbabilities = probabilities,
                    ClassNames = m.ClassNames,
                    Images = results,
                }.Save(jsonPath);
                Program.Say($"wrote {jsonPath}");
            }

            if (showFolder is not null)
            {
                CreateShowFolder(showFolder);
                var taken = new HashSet<string>(files.Select(Path.GetFullPath));
                for (int n = 0; n < inputs.Count; n++)
                {
                    string stem = inputs[n].File is { } f ? Path.GetFileNameWithoutExtension(f) : $"index-{inputs[n].Index}";
                    string path = Path.Combine(showFolder, $"predict-{stem}.png");
                    for (int suffix = 2; !taken.Add(Path.GetFullPath(path)); suffix++)
                    {
                        path = Path.Combine(showFolder, $"predict-{stem}-{suffix}.png");
                    }

                    Figures.Prediction(path, figures[n]);
                    Program.Say($"wrote {path}");
                }
            }

            return Program.Ok;
        });
        return command;
    }

    // One image to predict: a file prepared for the model, or an image of the data set.
    private sealed record Input(string? File, int? Index, int? TrueClass, byte[] Pixels, int Rows, int Columns, bool Inverted, string Description);

    private static string Describe(PreparedImage p)
    {
        string background = FormattableString.Invariant($"border mean {p.BorderLuminance:F1}");
        string fitted = p.FittedWidth == p.SourceWidth && p.FittedHeight == p.SourceHeight && p.FittedWidth == p.Columns && p.FittedHeight == p.Rows
            ? "as is"
            : $"fitted to {p.FittedWidth} x {p.FittedHeight} on the {p.Columns} x {p.Rows} canvas";
        return $"{p.SourceWidth} x {p.SourceHeight} pixels, {background}{(p.Inverted ? ", inverted" : "")}, {fitted}";
    }

    private static Inversion ParseInversion(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => Inversion.Auto,
        "yes" => Inversion.Always,
        "no" => Inversion.Never,
        _ => throw new OptionOutOfRangeException("Invert", OptionValues.Quote(text), string.Join(", ", InvertChoices)),
    };

    private static int[] ParseIndices(string text, int count)
    {
        string range = $"image indices in 0..{count - 1}, comma-separated";
        string[] parts = text.Split(',');
        var indices = new int[parts.Length];
        for (int p = 0; p < parts.Length; p++)
        {
            if (!int.TryParse(parts[p].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out indices[p]) || indices[p] < 0 || indices[p] >= count)
            {
                throw new OptionOutOfRangeException("Index", OptionValues.Quote(text), range);
            }
        }

        return indices;
    }

    // --show: an existing folder AnnLab can write, or one it can create at the end (figures of the same name are replaced, as explain's are).
    private static string ShowFolder(string folder)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            throw new OptionOutOfRangeException("Show", OptionValues.Quote(folder), "a folder path");
        }

        if (File.Exists(folder))
        {
            throw new OptionOutOfRangeException("Show", folder, "a folder, not a file");
        }

        FigureCommands.RefuseRunFolder("Show", folder);

        string existing = Path.GetFullPath(folder);
        while (!Directory.Exists(existing))
        {
            string? parent = Path.GetDirectoryName(existing);
            if (parent is null || File.Exists(parent))
            {
                throw new OptionOutOfRangeException("Show", folder, $"a folder that can be created ({parent ?? existing} is not a folder)");
            }

            existing = parent;
        }

        return OptionValues.Unwritable(existing) is { } why
            ? throw new OptionOutOfRangeException("Show", folder, $"a folder AnnLab can write ({why})")
            : folder;
    }

    private static void CreateShowFolder(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OptionOutOfRangeException("Show", folder, $"a folder that can be created ({e.Message})");
        }
    }
}

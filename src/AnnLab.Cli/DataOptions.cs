using System.CommandLine;
using System.Globalization;
using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Training;

namespace AnnLab.Cli;

/// <summary>
/// The data options every command shares (--data, --samples, --train-fraction, --split) and the one
/// path every command loads through: <see cref="Choose"/> opens the data set (headers only) and checks
/// the options against it, <see cref="DataChoice.Load"/> reads what the split needs and cuts it.
/// </summary>
internal sealed class DataOptions
{
    private (DataRequest Request, DatasetKind Kind, DatasetSource Source)? opened;

    /// <summary>Creates the options; <paramref name="samples"/> is --samples' default (bench times 'all').</summary>
    public DataOptions(string samples = "5000")
    {
        Samples = new("--samples") { HelpName = "M|all", Description = $"First m images of the data set (its training part, then its test part), or 'all' of them [default: {samples}, or all of a data set that holds fewer]", DefaultValueFactory = _ => samples };
    }

    public Option<string?> Data { get; } = new("--data") { HelpName = "PATH", Description = $"The data set's folder (or CSV file); without --dataset, what is there says which format it is [default for Fashion-MNIST: ${FashionMnist.EnvironmentVariable}, then data/fashion-mnist at or above the program's folder (the repository's, or the one the installed tool ships) or the current folder, then {FashionMnist.SystemDirectory}; for another --dataset NAME: the repository's data/NAME, then ~/.local/share/annlab/NAME, then {KnownIdxDataset.SystemRoot}/NAME; with --images: the folder the IDX files are in, else the current folder]" };

    public Option<string?> DatasetName { get; } = new("--dataset") { HelpName = "NAME", Description = "The data set or format: " + string.Join(", ", DatasetSources.All.Select(k => k.Name)) + " [default: recognised from --data, else fashion-mnist]" };

    public Option<string?> Images { get; } = new("--images") { HelpName = "FILE", Description = "An IDX images file (with --labels; relative to --data): any IDX data set" };

    public Option<string?> Labels { get; } = new("--labels") { HelpName = "FILE", Description = "The IDX labels file of --images" };

    public Option<string?> TestImages { get; } = new("--test-images") { HelpName = "FILE", Description = "An IDX images file for the test part (with --test-labels)" };

    public Option<string?> TestLabels { get; } = new("--test-labels") { HelpName = "FILE", Description = "The IDX labels file of --test-images" };

    public Option<string?> ClassNames { get; } = new("--class-names") { HelpName = "FILE", Description = "A text file with one class name per line, label 0 first, for data that do not name their classes [default: 0, 1, ...]" };

    public Option<string?> ImageSize { get; } = new("--image-size") { HelpName = "RxC", Description = "The size a folder of images is brought to, e.g. 28x28 [default: the images' own size when they share one, else 28x28]" };

    /// <summary>The data a run recorded (results.json's configuration.data_request, a checkpoint's context) and the file that recorded it, used when no data option is given.</summary>
    public (IReadOnlyDictionary<string, string> Record, string From)? Fallback { get; set; }

    // Whether the request last built came from the Fallback (its errors are then the recording file's).
    private bool fromFallback;

    public Option<string> Samples { get; }

    public Option<string> TrainFraction { get; } = new("--train-fraction") { HelpName = "F", Description = "The first fraction of the m images trains, the rest validates (official: of the training part)", DefaultValueFactory = _ => "0.8" };

    public Option<string> Split { get; } = new("--split") { HelpName = "lab|official|stratified", Description = "lab: the first m images, first part trains; official: the data set's training part with validation carved from it by F, its test part as a test part; stratified: the first m images cut per class with the seed", DefaultValueFactory = _ => "lab" };

    /// <summary>Option name -> value used when the option is not given (set by a --preset).</summary>
    public IReadOnlyDictionary<string, string> Preset { get; set; } = new Dictionary<string, string>();

    /// <summary>The option's value: as given, else the preset's, else its default.</summary>
    public string Value(ParseResult parse, Option<string> option) => OptionValues.Value(parse, option, Preset);

    /// <summary>Adds --data, --dataset, --samples, --train-fraction, --split and the format options in front of the command's options.</summary>
    public void AddTo(Command command)
    {
        Option[] options = [Data, DatasetName, Samples, TrainFraction, Split, Images, Labels, TestImages, TestLabels, ClassNames, ImageSize];
        for (int i = 0; i < options.Length; i++)
        {
            command.Options.Insert(i, options[i]);
        }
    }

    /// <summary>The options that say which data to read (not how to split it).</summary>
    private Option<string?>[] Sources => [Data, DatasetName, Images, Labels, TestImages, TestLabels, ClassNames, ImageSize];

    /// <summary>
    /// What the command line says about the data: its data options, or, when none is given, the
    /// <see cref="Fallback"/> a run recorded; empty values are refused.
    /// </summary>
    /// <exception cref="OptionOutOfRangeException">An option is empty, or --image-size is not RxC.</exception>
    public DataRequest Request(ParseResult parse)
    {
        fromFallback = Fallback is not null && Sources.All(o => parse.GetResult(o) is not { Implicit: false });
        if (fromFallback)
        {
            try
            {
                return DataRequest.FromRecord(Fallback!.Value.Record);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{Fallback!.Value.From}: configuration.data_request.{e.Message}; give the data options to read other data", e);
            }
        }

        string? Given(Option<string?> option, string property)
        {
            string? value = parse.GetValue(option);
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                throw new OptionOutOfRangeException(property, OptionValues.Quote(value), property == "Dataset" ? string.Join(", ", DatasetSources.All.Select(k => k.Name)) : "a path");
            }

            return value;
        }

        string? size = Given(ImageSize, nameof(DataRequest.ImageSize));
        return new DataRequest
        {
            Dataset = Given(DatasetName, nameof(DataRequest.Dataset)),
            Path = Given(Data, "Data"),
            Images = Given(Images, nameof(DataRequest.Images)),
            Labels = Given(Labels, nameof(DataRequest.Labels)),
            TestImages = Given(TestImages, nameof(DataRequest.TestImages)),
            TestLabels = Given(TestLabels, nameof(DataRequest.TestLabels)),
            ClassNames = Given(ClassNames, nameof(DataRequest.ClassNames)),
            ImageSize = size is null ? null : DataRequest.ParseShape(size),
        };
    }

    /// <summary>True when none of --split, --samples and --train-fraction was given on the command line.</summary>
    public bool SplitGivenNowhere(ParseResult parse)
        => new Option[] { Split, Samples, TrainFraction }.All(o => parse.GetResult(o) is not { Implicit: false });

    public SplitKind ParseSplit(ParseResult parse) => Dataset.ParseSplitKind(Value(parse, Split));

    /// <summary>m from --samples; 'all' is the data set's image count (which opens it).</summary>
    public int ParseSamples(ParseResult parse)
    {
        string text = Value(parse, Samples).Trim();
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return Open(parse).Count;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int samples))
        {
            throw new OptionOutOfRangeException(nameof(TrainingOptions.Samples), OptionValues.Quote(text), $"an integer in 2..{CountOrNull(parse)?.ToString(CultureInfo.InvariantCulture) ?? "the data set's image count"}, or 'all'");
        }

        // Not given (nor by a preset): the default, or every image of a smaller data set (a folder of 300 images trains on all 300).
        if (parse.GetResult(Samples) is not { Implicit: false } && !Preset.ContainsKey(Samples.Name) && CountOrNull(parse) is int count && count < samples)
        {
            return count;
        }

        return samples;
    }

    // The data set's image count for a message, or null when it cannot be opened (that error comes later, on its own).
    private int? CountOrNull(ParseResult parse)
    {
        try
        {
            return Open(parse).Count;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OptionOutOfRangeException)
        {
            return null;
        }
    }

    public double ParseTrainFraction(ParseResult parse)
        => OptionValues.Double(nameof(TrainingOptions.TrainFraction), Value(parse, TrainFraction), "a number strictly between 0 and 1");

    /// <summary>Finds the data (--dataset and --data, or the usual search) and opens it; headers only, once per request.</summary>
    /// <exception cref="OptionOutOfRangeException">An option is empty or out of range.</exception>
    /// <exception cref="IOException">No data found, a missing file or a malformed header; the message names it.</exception>
    /// <param name="parse">The command line.</param>
    public DatasetSource Open(ParseResult parse)
    {
        DataRequest request = Request(parse);
        if (opened is not { } o || o.Request != request)
        {
            (DatasetKind kind, DatasetSource source) = fromFallback ? OpenRecorded(request) : DatasetSources.Open(request);
            opened = (request, kind, source);
        }

        return opened.Value.Source;
    }

    // The recorded data opened: what goes wrong is the recording file's (a tampered value, data moved since), said as such.
    private (DatasetKind Kind, DatasetSource Source) OpenRecorded(DataRequest request)
    {
        string from = Fallback!.Value.From;
        try
        {
            return DatasetSources.Open(request);
        }
        catch (OptionOutOfRangeException e)
        {
            string key = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(e.Option);
            throw new InvalidDataException($"{from}: configuration.data_request.{key}: got {OptionValues.Printable(e.Found)}, expected {OptionNames.Spell(e.Allowed)}; give the data options to read other data", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{OptionNames.Spell(e.Message)} (the data {from} records; give the data options to read other data)", e);
        }
    }

    /// <summary>The request of the data <see cref="Open"/> opened, with its kind's name and the location found: what a run records to read the same data again.</summary>
    public DataRequest Opened(ParseResult parse)
    {
        DatasetSource source = Open(parse);
        return opened!.Value.Request with { Dataset = opened.Value.Kind.Name, Path = source.Location };
    }

    /// <summary>The data folder (or file) the data options name (or the usual search finds), without opening it: null when there is none (for commands that write files and must keep out of it).</summary>
    public string? FolderOrNull(ParseResult? parse)
    {
        try
        {
            DataRequest request = parse is null ? new DataRequest() : Request(parse);
            return DatasetSources.Resolve(request).Locate(request);
        }
        catch (Exception e) when (e is IOException or OptionOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Opens the data set and checks --split, and m and F (as bound into the options) against it, before any work.</summary>
    /// <exception cref="OptionOutOfRangeException">An option is out of range for this data set.</exception>
    public DataChoice Choose(ParseResult parse, int samples, double trainFraction, int seed) => Choose(parse, ParseSplit(parse), samples, trainFraction, seed);

    /// <summary>Opens the data set and checks the split <paramref name="kind"/> with m and F against it (evaluate: the split a model was trained on).</summary>
    /// <exception cref="OptionOutOfRangeException">An option is out of range for this data set.</exception>
    /// <exception cref="UsageException">--samples given with the official split, which ignores it (as --dropout with --solver cg is refused).</exception>
    public DataChoice Choose(ParseResult parse, SplitKind kind, int samples, double trainFraction, int seed)
    {
        if (kind == SplitKind.Official && parse.GetResult(Samples) is { Implicit: false } given && !given.Tokens.Any(t => t.Value.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)))
        {
            throw new UsageException($"{Samples.Name}: applies to {Split.Name} lab or stratified only (official uses the data set's whole training part), got {Split.Name} official");
        }

        DatasetSource source = Open(parse);
        source.CheckSplit(kind, samples, trainFraction);
        return new DataChoice(source, kind, samples, trainFraction, seed, Opened(parse));
    }

    /// <summary>Opens the data set and checks --split, --samples and --train-fraction against it (for commands that bind no training options).</summary>
    public DataChoice Choose(ParseResult parse, int seed = 1) => Choose(parse, ParseSamples(parse), ParseTrainFraction(parse), seed);

    /// <summary>Reads a model and checks that it fits the data set.</summary>
    public static Model LoadModel(string? path, DatasetSource data)
    {
        Model model = ReadModel(path);
        if (model.Network.InputSize != data.Shape.Pixels)
        {
            throw new InvalidDataException($"{path}: the model takes {model.Network.InputSize} inputs, the images of {data.Location} have {data.Shape.Pixels} pixels ({data.Shape})");
        }

        // A version 1 file knows only its input size; a version 2 file knows the images' shape too.
        if (model.Network.InputShape.Count > 1 && !model.Network.InputShape.SequenceEqual(data.Shape.Dimensions))
        {
            throw new InvalidDataException($"{path}: the model takes images of {string.Join("x", model.Network.InputShape)}, the images of {data.Location} are {string.Join("x", data.Shape.Dimensions)}");
        }

        if (model.Network.OutputSize != data.ClassNames.Count)
        {
            throw new InvalidDataException($"{path}: the model has {model.Network.OutputSize} outputs, {data.Name} has {data.ClassNames.Count} classes");
        }

        // Same sizes, other classes: likely a model of another data set (MNIST's digits on Fashion-MNIST); said, not refused (classes may be renamed).
        string[] names = [.. data.ClassNames.Select(n => OptionValues.Printable(n))];
        if (!model.ClassNames.SequenceEqual(names))
        {
            int k = Enumerable.Range(0, names.Length).First(i => model.ClassNames[i] != names[i]);
            Program.Error($"warning: {path}: the model's class {k} is '{model.ClassNames[k]}', {data.Name}'s is '{names[k]}'; if it was trained on other data, give the --dataset and --data it was trained on");
        }

        return model;
    }

    /// <summary>Reads the model file --model names: an empty value is refused (exit code 2), a folder or a missing file named (exit code 1).</summary>
    /// <exception cref="OptionOutOfRangeException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">A folder, or no such file.</exception>
    /// <exception cref="InvalidDataException">Not a valid model file; the message names it.</exception>
    /// <param name="path">The --model value.</param>
    /// <param name="printable">Whether the class names are made printable for the console (false where they go on into a file, as export's).</param>
    public static Model ReadModel(string? path, bool printable = true)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new OptionOutOfRangeException("Model", OptionValues.Quote(path ?? ""), "a model file written by annlab train (model.annlab in a run folder)");
        }

        if (Directory.Exists(path))
        {
            throw new FileNotFoundException($"--model {path} is a folder; expected a model file such as {Path.Combine(path, "model.annlab")}", path);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--model {path}: no such file; annlab train writes model.annlab into its run folder", path);
        }

        Model model = ModelFile.Load(path);
        if (!printable)
        {
            return model;
        }

        // Class names come from the file: tables and figure titles show them printable.
        return model with { ClassNames = [.. model.ClassNames.Select(n => OptionValues.Printable(n))] };
    }
}

/// <summary>A data set opened and the split chosen on it, checked; <see cref="Load"/> reads and cuts it.</summary>
/// <param name="Source">The data set, headers read.</param>
/// <param name="Split">The split kind.</param>
/// <param name="Samples">m.</param>
/// <param name="TrainFraction">F.</param>
/// <param name="Seed">The stratified split's seed.</param>
/// <param name="Request">What reads the same data again (its kind and location filled in): a run records it.</param>
internal sealed record DataChoice(DatasetSource Source, SplitKind Split, int Samples, double TrainFraction, int Seed, DataRequest Request)
{
    /// <summary>The layer sizes of a network for this data set: its pixels, <paramref name="hidden"/>, its class count.</summary>
    public int[] LayerSizes(IEnumerable<int> hidden) => [Source.Shape.Pixels, .. hidden, Source.ClassNames.Count];

    /// <summary>About the training images of the split (stratified rounds per class): for the memory check.</summary>
    public int TrainingImages => (int)Math.Floor((Split == SplitKind.Official ? Source.TrainCount : Samples) * TrainFraction);

    /// <summary>Bytes of the images (a byte a pixel) and labels <see cref="Load"/> reads.</summary>
    public long DataBytes => (long)(Split == SplitKind.Official ? Source.Count : Samples) * (Source.Shape.Pixels + 1);

    /// <summary>Reads what the split needs (the first m images, or all for official), or at least the first <paramref name="atLeast"/>, and cuts it.</summary>
    /// <param name="atLeast">Images the command needs besides the split's, 0..the data set's count (data: all of them; explain: up to its image).</param>
    public (Dataset Data, DataSplit Split) Load(int atLeast = 0)
    {
        Dataset data = atLeast > Samples && Split != SplitKind.Official ? Source.Load(atLeast) : Source.LoadFor(Split, Samples);
        return (data, data.Split(Split, Samples, TrainFraction, Seed));
    }
}

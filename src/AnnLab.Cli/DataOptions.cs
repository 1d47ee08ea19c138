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
    private (string Directory, DatasetSource Source)? opened;

    /// <summary>Creates the options; <paramref name="samples"/> is --samples' default (bench times 'all').</summary>
    public DataOptions(string samples = "5000")
    {
        Samples = new("--samples") { HelpName = "M|all", Description = "First m images of the data set (its training part, then its test part), or 'all' of them", DefaultValueFactory = _ => samples };
    }

    public Option<string?> Data { get; } = new("--data") { HelpName = "DIR", Description = $"Folder with the four Fashion-MNIST IDX files [default: ${FashionMnist.EnvironmentVariable}, then the repository's data/fashion-mnist, then {FashionMnist.SystemDirectory}]" };

    public Option<string> Samples { get; }

    public Option<string> TrainFraction { get; } = new("--train-fraction") { HelpName = "F", Description = "The first fraction of the m images trains, the rest validates (official: of the training part)", DefaultValueFactory = _ => "0.8" };

    public Option<string> Split { get; } = new("--split") { HelpName = "lab|official|stratified", Description = "lab: the first m images, first part trains; official: the data set's training part with validation carved from it by F, its test part as a test part; stratified: the first m images cut per class with the seed", DefaultValueFactory = _ => "lab" };

    /// <summary>Option name -> value used when the option is not given (set by a --preset).</summary>
    public IReadOnlyDictionary<string, string> Preset { get; set; } = new Dictionary<string, string>();

    /// <summary>The option's value: as given, else the preset's, else its default.</summary>
    public string Value(ParseResult parse, Option<string> option) => OptionValues.Value(parse, option, Preset);

    /// <summary>Adds --data, --samples, --train-fraction and --split in front of the command's options.</summary>
    public void AddTo(Command command)
    {
        command.Options.Insert(0, Data);
        command.Options.Insert(1, Samples);
        command.Options.Insert(2, TrainFraction);
        command.Options.Insert(3, Split);
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

    /// <summary>Finds the data folder (--data, $ANNLAB_DATA, the repository, the system folder) and opens it; headers only, once per folder.</summary>
    /// <exception cref="OptionOutOfRangeException">--data is empty.</exception>
    /// <exception cref="IOException">No folder, a missing file or a malformed header; the message names it.</exception>
    /// <param name="parse">The command line.</param>
    /// <param name="fallback">The folder to use when --data is not given (a resumed run's), before the usual search.</param>
    public DatasetSource Open(ParseResult parse, string? fallback = null)
    {
        string? data = parse.GetValue(Data) ?? fallback;
        if (data is not null && string.IsNullOrWhiteSpace(data))
        {
            throw new OptionOutOfRangeException("Data", OptionValues.Quote(data), "a folder path");
        }

        DatasetKind kind = DatasetSources.Default;
        string dir = kind.Locate(data, [AppContext.BaseDirectory, Environment.CurrentDirectory]);
        if (opened is not { } o || o.Directory != dir)
        {
            opened = (dir, kind.Open(dir));
        }

        return opened.Value.Source;
    }

    /// <summary>The data folder --data (or the usual search) names, without opening it: null when there is none (for commands that write files and must keep out of it).</summary>
    public static string? FolderOrNull(string? data)
    {
        try
        {
            return string.IsNullOrWhiteSpace(data) && data is not null ? null : DatasetSources.Default.Locate(data, [AppContext.BaseDirectory, Environment.CurrentDirectory]);
        }
        catch (IOException)
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
    public DataChoice Choose(ParseResult parse, SplitKind kind, int samples, double trainFraction, int seed, string? fallback = null)
    {
        if (kind == SplitKind.Official && parse.GetResult(Samples) is { Implicit: false } given && !given.Tokens.Any(t => t.Value.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)))
        {
            throw new UsageException($"{Samples.Name}: applies to {Split.Name} lab or stratified only (official uses the data set's whole training part), got {Split.Name} official");
        }

        DatasetSource source = Open(parse, fallback);
        try
        {
            source.CheckSplit(kind, samples, trainFraction);
        }
        catch (OptionOutOfRangeException e) when (e.Option == nameof(TrainingOptions.Samples) && parse.GetResult(Samples) is not { Implicit: false } && !Preset.ContainsKey(Samples.Name)
            && int.TryParse(Value(parse, Samples), NumberStyles.Integer, CultureInfo.InvariantCulture, out int byDefault) && byDefault == samples)
        {
            // The user gave no --samples: blame its default only by saying so, with what the folder holds.
            throw new UsageException($"{Samples.Name} not given: its default {samples} is more than the {source.Count} images {source.Name} in {source.Location} holds; give {Samples.Name} 2..{source.Count} or {Samples.Name} all ({Split.Name} {Dataset.NameOf(kind)} takes the first m images)");
        }

        return new DataChoice(source, kind, samples, trainFraction, seed);
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
internal sealed record DataChoice(DatasetSource Source, SplitKind Split, int Samples, double TrainFraction, int Seed)
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

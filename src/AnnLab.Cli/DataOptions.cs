using System.CommandLine;
using System.Globalization;
using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Training;

namespace AnnLab.Cli;

/// <summary>The data options every command shares (--data, --samples, --train-fraction) and the lab's split they select.</summary>
internal sealed class DataOptions
{
    public Option<string?> Data { get; } = new("--data") { HelpName = "DIR", Description = $"Folder with the four Fashion-MNIST IDX files [default: ${FashionMnist.EnvironmentVariable}, then the repository's data/fashion-mnist, then {FashionMnist.SystemDirectory}]" };

    public Option<string> Samples { get; } = new("--samples") { HelpName = "M|all", Description = "First m images of the 70,000 (the 60,000 training images, then the 10,000 test images), or 'all'", DefaultValueFactory = _ => "5000" };

    public Option<string> TrainFraction { get; } = new("--train-fraction") { HelpName = "F", Description = "The first fraction of the m images trains, the rest validates", DefaultValueFactory = _ => "0.8" };

    /// <summary>Option name -> value used when the option is not given (set by a --preset).</summary>
    public IReadOnlyDictionary<string, string> Preset { get; set; } = new Dictionary<string, string>();

    /// <summary>The option's value: as given, else the preset's, else its default.</summary>
    public string Value(ParseResult parse, Option<string> option) => OptionValues.Value(parse, option, Preset);

    public Option<string> Split { get; } = new("--split") { HelpName = "lab|official|stratified", Description = "lab: the first m images, first part trains; official: Fashion-MNIST's 60,000/10,000 with validation carved from the 60,000 and a test part; stratified: the first m images cut per class with the seed", DefaultValueFactory = _ => "lab" };

    public void AddTo(Command command, bool withSplit = false)
    {
        command.Options.Insert(0, Data);
        command.Options.Insert(1, Samples);
        command.Options.Insert(2, TrainFraction);
        if (withSplit)
        {
            command.Options.Insert(3, Split);
        }
    }

    /// <summary>True when none of --split, --samples and --train-fraction was given on the command line.</summary>
    public bool SplitGivenNowhere(ParseResult parse)
        => new Option[] { Split, Samples, TrainFraction }.All(o => parse.GetResult(o) is not { Implicit: false });

    public string ParseSplit(ParseResult parse)
    {
        string split = Value(parse, Split).ToLowerInvariant();
        if (!FashionMnist.SplitNames.Contains(split))
        {
            throw new OptionOutOfRangeException("Split", split, string.Join(", ", FashionMnist.SplitNames));
        }

        return split;
    }

    /// <summary>Finds and reads the data; returns the images read (the first m, or all 70,000 for the official split) and the chosen split.</summary>
    public (string Directory, ImageSet All, DataSplit Split) LoadSplit(ParseResult parse, string split, int samples, double trainFraction, int seed)
    {
        string dir = FashionMnist.LocateDirectory(parse.GetValue(Data), Environment.GetEnvironmentVariable(FashionMnist.EnvironmentVariable), [AppContext.BaseDirectory, Environment.CurrentDirectory]);
        ImageSet all = split == "official" ? FashionMnist.LoadAll(dir) : FashionMnist.LoadFirst(dir, samples);
        return (dir, all, FashionMnist.Split(all, split, samples, trainFraction, seed));
    }

    public int ParseSamples(ParseResult parse)
    {
        string text = Value(parse, Samples).Trim();
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return TrainingOptions.AllSamples;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int samples))
        {
            throw new OptionOutOfRangeException(nameof(TrainingOptions.Samples), OptionValues.Quote(text), $"an integer in 2..{TrainingOptions.AllSamples}, or 'all'");
        }

        return samples;
    }

    public double ParseTrainFraction(ParseResult parse)
        => OptionValues.Double(nameof(TrainingOptions.TrainFraction), Value(parse, TrainFraction), "a number strictly between 0 and 1");

    /// <summary>Checks the options; <see cref="Load"/> then reads the data.</summary>
    public (int Samples, double TrainFraction) Validate(ParseResult parse)
    {
        var options = new TrainingOptions { Samples = ParseSamples(parse), TrainFraction = ParseTrainFraction(parse) };
        options.Validate();
        if (parse.GetValue(Data) is { } data && string.IsNullOrWhiteSpace(data))
        {
            throw new OptionOutOfRangeException("Data", OptionValues.Quote(data), "a folder path");
        }

        return (options.Samples, options.TrainFraction);
    }

    /// <summary>Finds and reads the data; returns the images read (the first m, or all 70,000 with <paramref name="everything"/>) and the lab's split.</summary>
    public (string Directory, ImageSet All, ImageSet Train, ImageSet Validation) Load(ParseResult parse, int samples, double trainFraction, bool everything = false)
    {
        string dir = FashionMnist.LocateDirectory(parse.GetValue(Data), Environment.GetEnvironmentVariable(FashionMnist.EnvironmentVariable), [AppContext.BaseDirectory, Environment.CurrentDirectory]);
        ImageSet all = everything || samples >= TrainingOptions.AllSamples ? FashionMnist.LoadAll(dir) : FashionMnist.LoadFirst(dir, samples);
        (ImageSet train, ImageSet validation) = FashionMnist.LabSplit(all, samples, trainFraction);
        return (dir, all, train, validation);
    }

    /// <summary>Reads a model and checks that it fits the images.</summary>
    public static Model LoadModel(string? path, int features)
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
        if (model.Network.InputSize != features)
        {
            throw new InvalidDataException($"{path}: the model takes {model.Network.InputSize} inputs, the images have {features} pixels");
        }

        return model;
    }
}

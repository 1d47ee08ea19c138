using System.Globalization;
using AnnLab.Training;

namespace AnnLab.Data;

/// <summary>
/// What a user says about the data to read, before it is found: the data set's kind (or none, to
/// be recognised from <see cref="Path"/>), where it is, and what only some formats need (an IDX
/// pair's file names, a class-names file, the size images are brought to). The command line fills
/// it from its options; a program builds one itself: <c>DatasetSources.Open(new DataRequest { Path = "my-images" })</c>.
/// </summary>
/// <remarks>Messages about these values name them by property in backticks (e.g. <c>`Images`</c>), which the command line spells as its options.</remarks>
public sealed record DataRequest
{
    /// <summary>The data set's name in <see cref="DatasetSources.All"/> (case-insensitive), or null to recognise it from <see cref="Path"/> (<see cref="DatasetSources.Resolve"/>).</summary>
    public string? Dataset { get; init; }

    /// <summary>The folder (or, for formats that take one, the file) that holds the data; null searches the data set's usual places.</summary>
    public string? Path { get; init; }

    /// <summary>An IDX data set's training images file (absolute, or relative to <see cref="Path"/>); null for the data set's own name.</summary>
    public string? Images { get; init; }

    /// <summary>An IDX data set's training labels file, as <see cref="Images"/>.</summary>
    public string? Labels { get; init; }

    /// <summary>An IDX data set's test images file, as <see cref="Images"/>; null when there is no test part.</summary>
    public string? TestImages { get; init; }

    /// <summary>An IDX data set's test labels file, as <see cref="Images"/>.</summary>
    public string? TestLabels { get; init; }

    /// <summary>A UTF-8 text file with one class name per line (label 0 first), for formats that do not name their classes, absolute or relative to the data's folder (<see cref="Path"/>, or the folder of the file it names); null names them 0, 1, ...</summary>
    public string? ClassNames { get; init; }

    /// <summary>The shape images are brought to, for formats whose images come in any size (a folder of images); null for the format's default.</summary>
    public ImageShape? ImageSize { get; init; }

    /// <summary>
    /// The folders to search upwards from for a repository's <c>data/NAME</c> folder when <see cref="Path"/> is null: the
    /// program's, the current folder, and, in a .NET 10 file-based app (<c>dotnet run file.cs</c>), the folder of its
    /// <c>.cs</c> file (the SDK's <c>EntryPointFileDirectoryPath</c> AppContext value), so that a script in a clone finds the
    /// clone's data from any current folder.
    /// </summary>
    public IReadOnlyList<string> SearchFrom { get; init; } = DefaultSearchFrom();

    private static string[] DefaultSearchFrom() =>
        AppContext.GetData("EntryPointFileDirectoryPath") is string script && script.Length > 0
            ? [AppContext.BaseDirectory, Environment.CurrentDirectory, script]
            : [AppContext.BaseDirectory, Environment.CurrentDirectory];

    /// <summary>The request as text pairs, for a run's records (results.json, checkpoints): only the values that are set, names in snake_case.</summary>
    public IReadOnlyDictionary<string, string> ToRecord()
    {
        var record = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                record[key] = value;
            }
        }

        Add("dataset", Dataset);
        Add("data", Path);
        Add("images", Images);
        Add("labels", Labels);
        Add("test_images", TestImages);
        Add("test_labels", TestLabels);
        Add("class_names", ClassNames);
        Add("image_size", ImageSize?.ToString());
        return record;
    }

    /// <summary>The request <see cref="ToRecord"/> wrote.</summary>
    /// <exception cref="InvalidDataException">A value does not read back (an image size that is not RxC); the message names the key.</exception>
    public static DataRequest FromRecord(IReadOnlyDictionary<string, string> record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ImageShape? size = null;
        if (record.TryGetValue("image_size", out string? text))
        {
            size = TryParseShape(text) ?? throw new InvalidDataException($"image_size: got '{text}', expected ROWSxCOLUMNS such as 28x28");
        }

        return new DataRequest
        {
            Dataset = record.GetValueOrDefault("dataset"),
            Path = record.GetValueOrDefault("data"),
            Images = record.GetValueOrDefault("images"),
            Labels = record.GetValueOrDefault("labels"),
            TestImages = record.GetValueOrDefault("test_images"),
            TestLabels = record.GetValueOrDefault("test_labels"),
            ClassNames = record.GetValueOrDefault("class_names"),
            ImageSize = size,
        };
    }

    /// <summary>Reads "28x28" (rows x columns, each 1..4096) or a single "28" (square).</summary>
    /// <exception cref="OptionOutOfRangeException">Not of that form (option <c>ImageSize</c>).</exception>
    public static ImageShape ParseShape(string text)
        => TryParseShape(text) ?? throw new OptionOutOfRangeException(nameof(ImageSize), text, "ROWSxCOLUMNS such as 28x28, or one size for a square, each 1..4096");

    private static ImageShape? TryParseShape(string? text)
    {
        string[] parts = (text ?? "").Trim().ToLowerInvariant().Split('x');
        if (parts.Length is < 1 or > 2)
        {
            return null;
        }

        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] is < 1 or > 4096)
            {
                return null;
            }
        }

        return new ImageShape(sizes[0], sizes[^1]);
    }
}

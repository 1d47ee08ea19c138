using AnnLab.Training;

namespace AnnLab.Data;

/// <summary>One data set or format AnnLab knows by name: how to recognise it, find it and open it.</summary>
/// <param name="Name">Its name as <see cref="DataRequest.Dataset"/> gives it, e.g. <c>fashion-mnist</c> or <c>csv</c>.</param>
/// <param name="Summary">One line for the help and the README: what it is and where it is published.</param>
/// <param name="Locate">Finds its folder or file from the request (its <see cref="DataRequest.Path"/>, else its usual places); throws <see cref="DirectoryNotFoundException"/> or <see cref="FileNotFoundException"/> listing the places looked in.</param>
/// <param name="Open">Opens what <paramref name="Locate"/> found (headers only where the format has them; see <see cref="DatasetSource"/>).</param>
/// <param name="Recognizes">Whether a given path holds this kind, judged from names only (no file is read in full), for a request that names no data set; null when it is never chosen that way.</param>
/// <param name="Reads">The <see cref="DataRequest"/> properties it reads besides <see cref="DataRequest.Path"/> (e.g. <c>ClassNames</c>); a request that sets another is refused rather than ignored. Null: none.</param>
public sealed record DatasetKind(string Name, string Summary, Func<DataRequest, string> Locate, Func<string, DataRequest, DatasetSource> Open, Func<string, bool>? Recognizes = null, IReadOnlyList<string>? Reads = null)
{
    /// <summary>Refuses a request that sets a property this kind does not read (an --images given to CSV data would otherwise be ignored without a word).</summary>
    /// <exception cref="OptionOutOfRangeException">The first such property, naming what this kind reads.</exception>
    public void CheckReads(DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        IReadOnlyList<string> reads = Reads ?? [];
        (string Property, object? Value)[] set =
        [
            (nameof(DataRequest.Images), request.Images), (nameof(DataRequest.Labels), request.Labels),
            (nameof(DataRequest.TestImages), request.TestImages), (nameof(DataRequest.TestLabels), request.TestLabels),
            (nameof(DataRequest.ClassNames), request.ClassNames), (nameof(DataRequest.ImageSize), request.ImageSize),
        ];
        foreach ((string property, object? value) in set)
        {
            if (value is not null && !reads.Contains(property))
            {
                string what = reads.Count == 0 ? "only `Path`" : string.Join(", ", reads.Select(r => $"`{r}`"));
                throw new OptionOutOfRangeException(property, value.ToString(), $"no `{property}` with {Name} data (it reads {what})");
            }
        }
    }
}

/// <summary>
/// The data sets and formats AnnLab knows, one line each: a new one is a <see cref="DatasetSource"/>
/// file and one line in <see cref="All"/>; every command then works with it unchanged.
/// </summary>
public static class DatasetSources
{
    /// <summary>The known data sets and formats, by name; the first is the default. Recognition (<see cref="Resolve"/>) tries them in this order.</summary>
    public static IReadOnlyList<DatasetKind> All { get; } =
    [
        FashionMnist.Dataset.Kind with
        {
            Locate = r => FashionMnist.LocateDirectory(r.Path, Environment.GetEnvironmentVariable(FashionMnist.EnvironmentVariable), r.SearchFrom),
            Recognizes = path => Directory.Exists(path) && FashionMnist.Files.Any(f => KnownIdxDataset.Stored(path, f) is not null),
        },
        KnownIdxDatasets.Mnist.Kind,
        KnownIdxDatasets.Kmnist.Kind,
        KnownIdxDatasets.EmnistBalanced.Kind,
        KnownIdxDatasets.EmnistLetters.Kind,
        KnownIdxDatasets.EmnistDigits.Kind,
        new("idx", "Any IDX pair of images and labels files, a test pair optional, images of any shape; classes named by a class-names file or 0..K-1", IdxPair.Locate, IdxPair.Open,
            Reads: [nameof(DataRequest.Images), nameof(DataRequest.Labels), nameof(DataRequest.TestImages), nameof(DataRequest.TestLabels), nameof(DataRequest.ClassNames)]),
        new("csv", "labeled images as CSV rows (label, then the pixels 0..255), as Kaggle's Fashion-MNIST and MNIST downloads: a .csv file, or a folder with a *train*.csv and a *test*.csv",
            CsvSource.Locate, CsvSource.Open, CsvSource.Recognizes, [nameof(DataRequest.ClassNames), nameof(DataRequest.ImageSize)]),
        new("image-folder", "A folder of image files (PNG, JPEG, BMP, GIF, WebP), one subfolder per class, optionally under train and test folders (torchvision's ImageFolder layout)",
            ImageFolderSource.Locate, (dir, r) => ImageFolderSource.Open(dir, r), ImageFolderSource.Recognizes, [nameof(DataRequest.ImageSize)]),
    ];

    /// <summary>The data set used when none is named or recognised: Fashion-MNIST, the lab's.</summary>
    public static DatasetKind Default => All[0];

    /// <summary>The data set named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="OptionOutOfRangeException">Unknown name (option <c>Dataset</c>), listing the names.</exception>
    public static DatasetKind Get(string name)
        => All.FirstOrDefault(k => string.Equals(k.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new OptionOutOfRangeException("Dataset", name ?? "", string.Join(", ", All.Select(k => k.Name)));

    /// <summary>
    /// The kind a request means: the one it names; else, when it gives a path, the first kind in
    /// <see cref="All"/> that recognises what is there; else <see cref="Default"/>.
    /// </summary>
    /// <exception cref="OptionOutOfRangeException">An unknown name (option <c>Dataset</c>).</exception>
    public static DatasetKind Resolve(DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Dataset is not null)
        {
            return Get(request.Dataset);
        }

        if (request.Images is not null || request.Labels is not null)
        {
            return All.FirstOrDefault(k => k.Name == "idx") ?? Default;
        }

        if (request.Path is { } path && !string.IsNullOrWhiteSpace(path))
        {
            string full = System.IO.Path.GetFullPath(path);
            return All.FirstOrDefault(k => k.Recognizes?.Invoke(full) == true) ?? Default;
        }

        return Default;
    }

    /// <summary>Finds and opens the data a request means (<see cref="Resolve"/>, then its kind's Locate and Open).</summary>
    /// <returns>The kind and the opened source.</returns>
    /// <exception cref="OptionOutOfRangeException">An unknown data set name, or a value out of range for its kind.</exception>
    /// <exception cref="IOException">Not found, or malformed; the message names the file and the places looked in.</exception>
    public static (DatasetKind Kind, DatasetSource Source) Open(DataRequest request)
    {
        DatasetKind kind = Resolve(request);
        kind.CheckReads(request);
        return (kind, kind.Open(kind.Locate(request), request));
    }
}

namespace AnnLab.Data;

/// <summary>Facts about the Fashion-MNIST data set (Xiao, Rasul and Vollgraf, 2017, arXiv:1708.07747).</summary>
public static class FashionMnist
{
    /// <summary>The class names, indexed by label 0..9.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    /// <summary>File names of the four original IDX files.</summary>
    public const string TrainImagesFile = "train-images-idx3-ubyte.gz";
    /// <summary>Training labels file.</summary>
    public const string TrainLabelsFile = "train-labels-idx1-ubyte.gz";
    /// <summary>Test images file.</summary>
    public const string TestImagesFile = "t10k-images-idx3-ubyte.gz";
    /// <summary>Test labels file.</summary>
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte.gz";

    /// <summary>The four file names, in the order train images, train labels, test images, test labels.</summary>
    public static IReadOnlyList<string> Files { get; } = [TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile];

    /// <summary>The environment variable naming the data folder.</summary>
    public const string EnvironmentVariable = "ANNLAB_DATA";

    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string SystemDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// Finds the data folder. An explicit choice, <paramref name="dataOption"/> (--data) or else
    /// <paramref name="environmentValue"/> (ANNLAB_DATA), is the only place looked in; without
    /// one, <c>data/fashion-mnist</c> in the first folder at or above each of
    /// <paramref name="searchFrom"/> that has it (the repository's, or the copy the installed
    /// <c>annlab</c> tool ships beside its binary), then <see cref="SystemDirectory"/>.
    /// The first of these folders that exists is used, and it must hold all four files.
    /// </summary>
    /// <returns>The folder.</returns>
    /// <exception cref="DirectoryNotFoundException">No folder found; the message lists every place looked in.</exception>
    /// <exception cref="FileNotFoundException">The folder lacks a file; the message names it and the places looked in.</exception>
    public static string LocateDirectory(string? dataOption, string? environmentValue, IEnumerable<string> searchFrom)
    {
        var places = new List<(string Path, string Why)>();
        if (!string.IsNullOrWhiteSpace(dataOption))
        {
            places.Add((Path.GetFullPath(dataOption), "`Path`"));
        }
        else if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            places.Add((Path.GetFullPath(environmentValue), EnvironmentVariable));
        }
        else
        {
            foreach (string start in searchFrom)
            {
                string? repo = KnownIdxDataset.FindUpwards(start, Path.Combine("data", "fashion-mnist"));
                if (repo is not null && !places.Any(p => p.Path == repo))
                {
                    places.Add((repo, $"data/fashion-mnist at or above {start}"));
                }
            }

            if (places.Count == 0)
            {
                places.Add(("data/fashion-mnist in the repository", "not found above " + string.Join(" or ", searchFrom)));
            }

            places.Add((SystemDirectory, "Debian package dataset-fashion-mnist"));
        }

        string looked = string.Join("; ", places.Select(p => $"{p.Path} ({p.Why})"));
        foreach ((string path, string why) in places)
        {
            if (File.Exists(path))
            {
                throw new DirectoryNotFoundException($"{path} ({why}) is a file; expected the folder that holds the four Fashion-MNIST files");
            }

            if (!Directory.Exists(path))
            {
                continue;
            }

            string[] folders = Files.Where(f => Directory.Exists(Path.Combine(path, f))).ToArray();
            if (folders.Length > 0)
            {
                throw new FileNotFoundException($"in the Fashion-MNIST folder {path}, {string.Join(", ", folders)} is a folder; expected the IDX file", Path.Combine(path, folders[0]));
            }

            string[] missing = Files.Where(f => KnownIdxDataset.Stored(path, f) is null).ToArray();
            if (missing.Length > 0)
            {
                throw new FileNotFoundException($"the Fashion-MNIST folder {path} lacks {string.Join(", ", missing)}; looked in: {looked}", Path.Combine(path, missing[0]));
            }

            return path;
        }

        string hint = places.Count == 1 && places[0].Why is "`Path`" or EnvironmentVariable
            ? "check the path"
            : $"give one as `Path` or {EnvironmentVariable}, or install the Debian package dataset-fashion-mnist";
        throw new DirectoryNotFoundException($"no Fashion-MNIST folder found; looked in: {looked}; {hint}");
    }

    /// <summary>The four files as an <see cref="IdxFiles"/>: the training pair and the test pair.</summary>
    public static IdxFiles IdxFiles { get; } = new(TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile);

    /// <summary>
    /// Opens the Fashion-MNIST folder <paramref name="directory"/> (see <see cref="LocateDirectory"/>)
    /// as a data set: its four headers are read, no image yet. The shipped files give 60,000 training
    /// and 10,000 test images of 28x28 in the 10 <see cref="ClassNames"/>.
    /// </summary>
    /// <returns>The source; <see cref="DatasetSource.Load(int)"/> of the first m reads only those.</returns>
    /// <exception cref="InvalidDataException">A header is malformed or the files disagree; the message names the file.</exception>
    /// <exception cref="IOException">A file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public static IdxFolderSource Open(string directory) => Open(directory, VerifiedFiles.Default);

    /// <summary>As <see cref="Open(string)"/>, remembering intact files in <paramref name="verified"/> (tests give their own).</summary>
    /// <exception cref="InvalidDataException">A header is malformed, the files disagree, or a header claims images other than 28x28 or more items than the original; the message names the file.</exception>
    /// <exception cref="IOException">A file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public static IdxFolderSource Open(string directory, VerifiedFiles verified) => Dataset.Open(directory, verified);

    /// <summary>
    /// What the four files are: images of 28x28, at most 60,000 training and 10,000 test items, the
    /// SHA-256 of each whole decompressed original (data/fashion-mnist/README.md) and the MD5 of each
    /// .gz file as Zalando publishes it (torchvision's list; the shipped Debian copies are other gzips of
    /// the same content, told by their SHA-256). A folder may hold fewer images (a subset); a file
    /// that holds all of them must be the original.
    /// </summary>
    public static KnownIdxData Known { get; } = new(new ImageShape(28, 28), new Dictionary<string, KnownIdxFile>
    {
        [TrainImagesFile] = new(60_000, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        [TrainLabelsFile] = new(60_000, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", "25c81989df183df01b3e8a0aad5dffbe"),
        [TestImagesFile] = new(10_000, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", "bef4ecab320f06d8554ea6380940ec79"),
        [TestLabelsFile] = new(10_000, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", "bb300cfdad3c16e7a12a480ee83cd310"),
    });

    /// <summary>Fashion-MNIST as a <see cref="KnownIdxDataset"/> (its <see cref="LocateDirectory"/> keeps its own order, with <see cref="EnvironmentVariable"/>).</summary>
    public static KnownIdxDataset Dataset { get; } = new(
        "fashion-mnist", "Fashion-MNIST", "Zalando's Fashion-MNIST, 70,000 28x28 clothing images in 10 classes (the lab's; github.com/zalandoresearch/fashion-mnist)",
        "https://github.com/zalandoresearch/fashion-mnist", IdxFiles, ClassNames, Known);

    /// <summary>Reads one IDX image file and its label file, labels checked against the 10 classes.</summary>
    /// <exception cref="InvalidDataException">A file is malformed; the message names it.</exception>
    public static ImageSet Load(string imagesPath, string labelsPath)
    {
        (IdxImages images, IdxLabels labels) = IdxReader.ReadPair(imagesPath, labelsPath, ClassNames.Count);
        return new ImageSet(images.Pixels, labels.Labels, images.Rows * images.Columns, images.Rows, images.Columns);
    }
}

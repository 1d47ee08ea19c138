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
    /// <paramref name="searchFrom"/> that has it (the repository), then <see cref="SystemDirectory"/>.
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
            places.Add((Path.GetFullPath(dataOption), "--data"));
        }
        else if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            places.Add((Path.GetFullPath(environmentValue), EnvironmentVariable));
        }
        else
        {
            foreach (string start in searchFrom)
            {
                string? repo = FindUpwards(start, Path.Combine("data", "fashion-mnist"));
                if (repo is not null && !places.Any(p => p.Path == repo))
                {
                    places.Add((repo, "the repository's data/fashion-mnist"));
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

            string[] missing = Files.Where(f => !File.Exists(Path.Combine(path, f))).ToArray();
            if (missing.Length > 0)
            {
                throw new FileNotFoundException($"the Fashion-MNIST folder {path} lacks {string.Join(", ", missing)}; looked in: {looked}", Path.Combine(path, missing[0]));
            }

            return path;
        }

        string hint = places.Count == 1 && places[0].Why is "--data" or EnvironmentVariable
            ? "check the path"
            : $"give one with --data DIR or {EnvironmentVariable}, or install the Debian package dataset-fashion-mnist";
        throw new DirectoryNotFoundException($"no Fashion-MNIST folder found; looked in: {looked}; {hint}");
    }

    /// <summary>Reads the training and test files of <paramref name="directory"/> and joins them, train first: 70,000 images of 28x28.</summary>
    /// <exception cref="InvalidDataException">A file is malformed; the message names it.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static ImageSet LoadAll(string directory)
    {
        // The training file takes most of the time (decompressing 26 MB); read the test file beside it.
        Task<ImageSet> testTask = Task.Run(() => Load(Path.Combine(directory, TestImagesFile), Path.Combine(directory, TestLabelsFile)));
        ImageSet train = Load(Path.Combine(directory, TrainImagesFile), Path.Combine(directory, TrainLabelsFile));
        ImageSet test = testTask.GetAwaiter().GetResult();
        if (train.Rows != test.Rows || train.Columns != test.Columns)
        {
            throw new InvalidDataException($"{Path.Combine(directory, TestImagesFile)}: expected images of {train.Rows}x{train.Columns} like the training file, got {test.Rows}x{test.Columns}");
        }

        return train.Concat(test);
    }

    /// <summary>
    /// Reads only the first <paramref name="count"/> of the 70,000 images (train then test): the
    /// training file's first images, and the test file only when <paramref name="count"/> goes past
    /// the training file. Decompression stops at the last image needed, so the lab's first 5,000
    /// load in a tenth of the time of <see cref="LoadAll"/>; the parts of the files not read are not checked.
    /// </summary>
    /// <param name="directory">The folder with the four files.</param>
    /// <param name="count">Images wanted, at least 0; fewer come back if the files hold fewer.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="InvalidDataException">A file is malformed; the message names it.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static ImageSet LoadFirst(string directory, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ImageSet train = Load(Path.Combine(directory, TrainImagesFile), Path.Combine(directory, TrainLabelsFile), count);
        if (train.Count >= count)
        {
            return train;
        }

        ImageSet test = Load(Path.Combine(directory, TestImagesFile), Path.Combine(directory, TestLabelsFile), count - train.Count);
        if (train.Rows != test.Rows || train.Columns != test.Columns)
        {
            throw new InvalidDataException($"{Path.Combine(directory, TestImagesFile)}: expected images of {train.Rows}x{train.Columns} like the training file, got {test.Rows}x{test.Columns}");
        }

        return train.Concat(test);
    }

    /// <summary>Reads one IDX image file and its label file.</summary>
    /// <exception cref="InvalidDataException">A file is malformed; the message names it.</exception>
    public static ImageSet Load(string imagesPath, string labelsPath) => Load(imagesPath, labelsPath, int.MaxValue);

    /// <summary>Reads the first <paramref name="maxCount"/> items of one IDX image file and its label file.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is negative.</exception>
    /// <exception cref="InvalidDataException">A file is malformed; the message names it.</exception>
    public static ImageSet Load(string imagesPath, string labelsPath, int maxCount)
    {
        (IdxImages images, IdxLabels labels) = IdxReader.ReadPair(imagesPath, labelsPath, ClassNames.Count, maxCount);
        return new ImageSet(images.Pixels, labels.Labels, images.Rows * images.Columns, images.Rows, images.Columns);
    }

    /// <summary>
    /// The lab's split: the first <paramref name="samples"/> images, the first
    /// floor(samples * trainFraction) of them for training and the rest for validation (no shuffle).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">samples outside 2..all.Count, or a fraction leaving either part empty.</exception>
    public static (ImageSet Train, ImageSet Validation) LabSplit(ImageSet all, int samples, double trainFraction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(samples, all.Count);
        int train = (int)Math.Floor(samples * trainFraction);
        if (train < 1 || train >= samples)
        {
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, $"leaves {train} of {samples} images for training");
        }

        return (all.Slice(0, train), all.Slice(train, samples - train));
    }

    /// <summary>The names <see cref="Split"/> accepts.</summary>
    public static IReadOnlyList<string> SplitNames { get; } = ["lab", "official", "stratified"];

    /// <summary>
    /// Cuts the 70,000 images (train file then test file) into training, validation and, where
    /// there is one, test images.
    /// <list type="bullet">
    /// <item><c>lab</c>: the lab's first-m split (<see cref="LabSplit"/>); no test part.</item>
    /// <item><c>official</c>: Fashion-MNIST's own split. The 10,000 test images are the test part,
    /// never used for training or model selection; the first trainFraction of the 60,000 training
    /// images train and the rest validate (for early stopping and choosing settings). m is ignored.</item>
    /// <item><c>stratified</c>: the first m images, each class cut separately at trainFraction after a
    /// shuffle with <paramref name="seed"/>, so both parts keep the class proportions
    /// (scikit-learn's <c>train_test_split(stratify=y)</c>); no test part.</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentException">Unknown split name, or <c>official</c> without the 70,000 images.</exception>
    public static DataSplit Split(ImageSet all, string split, int samples, double trainFraction, int seed)
    {
        switch (split.ToLowerInvariant())
        {
            case "lab":
                (ImageSet train, ImageSet validation) = LabSplit(all, samples, trainFraction);
                return new DataSplit("lab", train, validation, null, $"the first {samples} images: {train.Count} training, {validation.Count} validation");
            case "official":
                const int trainFile = 60_000;
                if (all.Count != trainFile + 10_000)
                {
                    throw new ArgumentException($"the official split needs the 70,000 Fashion-MNIST images, got {all.Count}", nameof(all));
                }

                int trainCount = (int)Math.Floor(trainFile * trainFraction);
                return new DataSplit(
                    "official",
                    all.Slice(0, trainCount),
                    all.Slice(trainCount, trainFile - trainCount),
                    all.Slice(trainFile, all.Count - trainFile),
                    $"official: training file images 0..{trainCount - 1} train, {trainCount}..{trainFile - 1} validate; the 10,000 test-file images test");
            case "stratified":
                return Stratified(all.Slice(0, samples), trainFraction, seed);
            default:
                throw new ArgumentException($"unknown split '{split}'; expected one of: {string.Join(", ", SplitNames)}", nameof(split));
        }
    }

    private static DataSplit Stratified(ImageSet images, double trainFraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<int>();
        var validation = new List<int>();
        ReadOnlySpan<byte> labels = images.Labels.Span;
        for (int c = 0; c < ClassNames.Count; c++)
        {
            var members = new List<int>();
            for (int i = 0; i < images.Count; i++)
            {
                if (labels[i] == c)
                {
                    members.Add(i);
                }
            }

            int[] shuffled = members.ToArray();
            random.Shuffle(shuffled);
            int cut = (int)Math.Round(shuffled.Length * trainFraction);
            train.AddRange(shuffled[..cut]);
            validation.AddRange(shuffled[cut..]);
        }

        train.Sort();
        validation.Sort();
        if (train.Count == 0 || validation.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, $"leaves {train.Count} training and {validation.Count} validation images");
        }

        return new DataSplit("stratified", images.Subset(train), images.Subset(validation), null, $"the first {images.Count} images, stratified by class with seed {seed}: {train.Count} training, {validation.Count} validation");
    }

    private static string? FindUpwards(string start, string relative)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>Training, validation and (for the official split) test images.</summary>
/// <param name="Name">lab, official or stratified.</param>
/// <param name="Train">Images the network is trained on.</param>
/// <param name="Validation">Images for early stopping and choosing settings (and the lab's reported accuracy).</param>
/// <param name="Test">Images never used for training or model selection; null when the split has none.</param>
/// <param name="Description">Which images went where, in words.</param>
public sealed record DataSplit(string Name, ImageSet Train, ImageSet Validation, ImageSet? Test, string Description);

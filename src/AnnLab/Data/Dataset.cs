using AnnLab.Training;

namespace AnnLab.Data;

/// <summary>How <see cref="Dataset.Split"/> cuts a data set into training, validation and test images.</summary>
public enum SplitKind
{
    /// <summary>The lab's: the first m images, the first floor(m * F) train, the rest validate (no shuffle); no test part.</summary>
    Lab,

    /// <summary>The data set's own: its training part, the first floor(T * F) training and the rest validating; its test part (if any) tests. m is ignored.</summary>
    Official,

    /// <summary>The first m images, each class cut separately at F after a seeded shuffle; no test part.</summary>
    Stratified,
}

/// <summary>
/// A labeled image data set, or its first images: its name, image shape, class names, the images,
/// and the sizes of its official training and test parts. Every data set gets the same three
/// splits (<see cref="SplitKind"/>, <see cref="Split"/>).
/// </summary>
/// <remarks>
/// A data set usually comes from a <see cref="DatasetSource"/> (<see cref="FashionMnist.Open(string)"/>,
/// <see cref="DatasetSources"/>), which may load only its first images: then <see cref="Images"/>
/// holds those, and the lab and stratified splits, which need no more, work on them. A new data set
/// is one new <see cref="DatasetSource"/> file; this type and its splits do not change.
/// </remarks>
public sealed class Dataset
{
    /// <summary>The names <see cref="ParseSplitKind"/> accepts, in <see cref="SplitKind"/> order.</summary>
    public static IReadOnlyList<string> SplitNames { get; } = Enum.GetValues<SplitKind>().Select(NameOf).ToArray();

    /// <summary>Creates a data set over <paramref name="images"/>, all of it or its first images.</summary>
    /// <param name="name">Its name, e.g. "Fashion-MNIST".</param>
    /// <param name="shape">The shape of every image; its pixels must be the images' features.</param>
    /// <param name="classNames">One name per class, 1..256 of them; label k names class k.</param>
    /// <param name="images">The first images of the data set (all of them, or fewer), training part first.</param>
    /// <param name="trainCount">Images in the whole data set's official training part, at least 0.</param>
    /// <param name="testCount">Images in its official test part, after the training part; 0 when there is none.</param>
    /// <exception cref="ArgumentException">No name, not 1..256 class names, images not of <paramref name="shape"/>, or a label outside
    /// 0..classes-1 (the message names the image, the label and the class count).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative count, or more images than trainCount + testCount.</exception>
    public Dataset(string name, ImageShape shape, IReadOnlyList<string> classNames, ImageSet images, int trainCount, int testCount = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(images);
        if (classNames.Count is < 1 or > 256)
        {
            throw new ArgumentException($"{name}: expected 1..256 class names, got {classNames.Count}", nameof(classNames));
        }

        if (images.Features != shape.Pixels || (shape.Channels == 1 && (images.Rows != shape.Rows || images.Columns != shape.Columns)))
        {
            throw new ArgumentException($"{name}: expected images of {shape} ({shape.Pixels} pixels), got {images.Rows}x{images.Columns} ({images.Features} pixels)", nameof(images));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(trainCount);
        ArgumentOutOfRangeException.ThrowIfNegative(testCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(images.Count, (long)trainCount + testCount, nameof(images));
        ReadOnlySpan<byte> labels = images.Labels.Span;
        int bad = labels.IndexOfAnyInRange((byte)Math.Min(classNames.Count, byte.MaxValue), byte.MaxValue);
        if (bad >= 0 && labels[bad] >= classNames.Count)
        {
            throw new ArgumentException($"{name}: image {bad} has label {labels[bad]}, expected 0..{classNames.Count - 1} ({classNames.Count} classes)", nameof(images));
        }

        Name = name;
        Shape = shape;
        ClassNames = classNames;
        Images = images;
        TrainCount = trainCount;
        TestCount = testCount;
    }

    /// <summary>The data set's name, e.g. "Fashion-MNIST".</summary>
    public string Name { get; }

    /// <summary>The shape of every image; <see cref="ImageShape.Pixels"/> is the network's input size.</summary>
    public ImageShape Shape { get; }

    /// <summary>One name per class, indexed by label; their count is the network's output count.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The images and labels held: the data set's first <see cref="Count"/>, training part first.</summary>
    public ImageSet Images { get; }

    /// <summary>Images in the whole data set's official training part (the first ones).</summary>
    public int TrainCount { get; }

    /// <summary>Images in its official test part, after the training part; 0 when there is none.</summary>
    public int TestCount { get; }

    /// <summary>Images held (those loaded).</summary>
    public int Count => Images.Count;

    /// <summary>True when <see cref="Images"/> holds the whole data set, training and test parts.</summary>
    public bool IsComplete => Count == TrainCount + TestCount;

    /// <summary>"lab", "official" or "stratified".</summary>
    public static string NameOf(SplitKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The names <see cref="ParsePart"/> accepts: training, validation, test.</summary>
    public static IReadOnlyList<string> PartNames { get; } = [NameOf(SplitPart.Training), NameOf(SplitPart.Validation), NameOf(SplitPart.Test)];

    /// <summary>"training", "validation", "test" (or "unused").</summary>
    public static string NameOf(SplitPart part) => part.ToString().ToLowerInvariant();

    /// <summary>The part named <paramref name="name"/> (case-insensitive): training, validation or test.</summary>
    /// <exception cref="OptionOutOfRangeException">Unknown name (option <c>Part</c>), listing the names.</exception>
    public static SplitPart ParsePart(string name)
    {
        foreach (SplitPart part in new[] { SplitPart.Training, SplitPart.Validation, SplitPart.Test })
        {
            if (string.Equals(NameOf(part), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return part;
            }
        }

        throw new OptionOutOfRangeException("Part", name ?? "", string.Join(", ", PartNames));
    }

    /// <summary>
    /// The images of one part of <paramref name="split"/>, with each one's index in the data set
    /// (training part first: the index <see cref="Images"/> and <see cref="DataSplit.PartOf"/> use).
    /// </summary>
    /// <remarks>
    /// The test part is the data set's official test part (the images after its training part). The
    /// official split has it as <see cref="DataSplit.Test"/>. The lab and stratified splits cut their
    /// first m images; while m is at most <see cref="TrainCount"/> those lie in the training part, so
    /// the test part is as untouched as the official split's, and it is theirs to test on too (it
    /// must be loaded: <see cref="DatasetSource.LoadAll"/>). With m above that, some test-part images
    /// trained or validated, and there is no test part.
    /// </remarks>
    /// <param name="split">A split cut from this data set by <see cref="Split"/>.</param>
    /// <param name="part">Training, validation or test.</param>
    /// <exception cref="OptionOutOfRangeException">The test part of a data set without one, or of a split that used some of its images (option <c>Part</c>).</exception>
    /// <exception cref="InvalidOperationException">The test part of a lab or stratified split while the data set is loaded only in part.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="part"/> is <see cref="SplitPart.Unused"/>.</exception>
    public SplitImages Part(DataSplit split, SplitPart part)
    {
        ArgumentNullException.ThrowIfNull(split);
        switch (part)
        {
            case SplitPart.Training:
                return new SplitImages(part, split.Train, split.IndicesOf(part));
            case SplitPart.Validation:
                return new SplitImages(part, split.Validation, split.IndicesOf(part));
            case SplitPart.Test when split.Test is not null:
                return new SplitImages(part, split.Test, split.IndicesOf(part));
            case SplitPart.Test:
                CheckPart(Name, split.Kind, split.Parts.Length, part, TrainCount, TestCount);
                if (Count < TrainCount + TestCount)
                {
                    throw new InvalidOperationException($"the test part of {Name} is images {TrainCount}..{TrainCount + TestCount - 1}; only the first {Count} are loaded (DatasetSource.LoadAll loads them)");
                }

                return new SplitImages(part, Images.Slice(TrainCount, TestCount), Enumerable.Range(TrainCount, TestCount).ToArray());
            default:
                throw new ArgumentOutOfRangeException(nameof(part), part, $"one of {string.Join(", ", PartNames)}");
        }
    }

    /// <summary>
    /// The part image <paramref name="index"/> is in: <see cref="DataSplit.PartOf"/>, and for a lab
    /// or stratified split that leaves the test part untouched, <see cref="SplitPart.Test"/> for its
    /// images (the test part <see cref="Part"/> gives).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public SplitPart PartOf(DataSplit split, int index)
    {
        ArgumentNullException.ThrowIfNull(split);
        SplitPart part = split.PartOf(index);
        bool heldOut = split.Test is null && TestCount > 0 && split.Parts.Length <= TrainCount;
        return part == SplitPart.Unused && heldOut && index >= TrainCount && index < TrainCount + TestCount ? SplitPart.Test : part;
    }

    // The one check of a part against a split, before loading (DatasetSource.CheckPart) and when taking it (Part).
    internal static void CheckPart(string name, SplitKind kind, int samples, SplitPart part, int trainPart, int testPart)
    {
        if (part != SplitPart.Test)
        {
            return;
        }

        if (testPart == 0)
        {
            throw new OptionOutOfRangeException("Part", NameOf(part), $"training or validation ({name} has no test part)");
        }

        if (kind != SplitKind.Official && samples > trainPart)
        {
            throw new OptionOutOfRangeException("Part", NameOf(part), $"training or validation: the {NameOf(kind)} split's first {samples} images reach into {name}'s test part (images {trainPart}..{trainPart + testPart - 1}), so it is not held out; give `Samples` {trainPart} or fewer, or `Split` official");
        }
    }

    /// <summary>The split named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="OptionOutOfRangeException">Unknown name (option <c>Split</c>), listing the names.</exception>
    public static SplitKind ParseSplitKind(string name)
    {
        foreach (SplitKind kind in Enum.GetValues<SplitKind>())
        {
            if (string.Equals(NameOf(kind), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }

        throw new OptionOutOfRangeException("Split", name ?? "", string.Join(", ", SplitNames));
    }

    /// <summary>
    /// Cuts the data set into training, validation and, for <see cref="SplitKind.Official"/> with a
    /// test part, test images.
    /// <list type="bullet">
    /// <item><c>lab</c>: the first m images, the first floor(m * F) train and the rest validate, no shuffle (the lab's code).</item>
    /// <item><c>official</c>: the first floor(T * F) images of the T-image training part train, the rest of it
    /// validates (early stopping, choosing settings); the test part, never used for training or model
    /// selection, tests. m is ignored; the whole data set must be loaded.</item>
    /// <item><c>stratified</c>: the first m images, each class shuffled with <paramref name="seed"/> and cut at
    /// round(n_c * F), so both parts keep the class proportions (scikit-learn's
    /// <c>train_test_split(stratify=y)</c>).</item>
    /// </list>
    /// </summary>
    /// <param name="kind">The split.</param>
    /// <param name="samples">m, 2..<see cref="Count"/> (ignored by <c>official</c>).</param>
    /// <param name="trainFraction">F, strictly between 0 and 1, leaving both parts at least one image.</param>
    /// <param name="seed">Seed of the stratified shuffle.</param>
    /// <returns>The parts; lab and official ones share the images' memory, stratified ones are copies.</returns>
    /// <exception cref="OptionOutOfRangeException">m or F out of range (named as <c>--samples</c> and <c>--train-fraction</c>, with the range).</exception>
    /// <exception cref="InvalidDataException">Fewer than 2 images to split (official: in the training part).</exception>
    /// <exception cref="InvalidOperationException"><c>official</c> on a data set loaded only in part.</exception>
    public DataSplit Split(SplitKind kind, int samples, double trainFraction, int seed)
    {
        CheckSplit(Name, kind, samples, trainFraction, Count, TrainCount);
        return kind switch
        {
            SplitKind.Lab => Lab(samples, trainFraction),
            SplitKind.Official => Official(trainFraction),
            SplitKind.Stratified => Stratified(samples, trainFraction, seed),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"one of {string.Join(", ", SplitNames)}"),
        };
    }

    // The one place the split options are checked, before loading (DatasetSource.CheckSplit, with
    // the whole data set's count) and when cutting (Split, with the count held).
    internal static void CheckSplit(string name, SplitKind kind, int samples, double trainFraction, int available, int trainPart, string? holder = null)
    {
        if (kind == SplitKind.Official)
        {
            // m plays no part: the training part must hold an image to train and one to validate.
            if (trainPart < 2)
            {
                throw new InvalidDataException($"{holder ?? name}: its training part holds {trainPart} {(trainPart == 1 ? "image" : "images")}; the official split needs at least 2 (one to train, one to validate)");
            }
        }
        else
        {
            CheckSamples(samples, available, holder);
        }

        if (!(trainFraction > 0 && trainFraction < 1))
        {
            throw new OptionOutOfRangeException(nameof(TrainingOptions.TrainFraction), trainFraction, "a number strictly between 0 and 1");
        }

        (int of, string what) = kind == SplitKind.Official ? (trainPart, $"the {trainPart} training-part images of {name}") : (samples, $"the {samples} samples");
        int train = (int)Math.Floor(of * trainFraction);
        if (train < 1 || train >= of)
        {
            throw new OptionOutOfRangeException(nameof(TrainingOptions.TrainFraction), trainFraction, $"a fraction leaving at least one training and one validation image of {what} (gives {train} and {of - train})");
        }
    }

    internal static void CheckSamples(int samples, int available, string? holder = null)
    {
        if (available < 2)
        {
            // No m fits: the data's fault, not the option's.
            throw new InvalidDataException($"{holder ?? "the data set"}: holds {available} {(available == 1 ? "image" : "images")}; a split needs at least 2 (one to train, one to validate)");
        }

        if (samples < 2 || samples > available)
        {
            // Past the end, say whose count it is: a folder of a subset holds fewer than the data set.
            string whose = samples > available && holder is not null ? $" ({holder} holds {available} {(available == 1 ? "image" : "images")})" : "";
            throw new OptionOutOfRangeException(nameof(TrainingOptions.Samples), samples, $"an integer in 2..{available}, or 'all'{whose}");
        }
    }

    private DataSplit Lab(int samples, double trainFraction)
    {
        int train = (int)Math.Floor(samples * trainFraction);
        return new DataSplit(SplitKind.Lab, Images.Slice(0, train), Images.Slice(train, samples - train), null, $"the first {samples} images: {train} training, {samples - train} validation")
        {
            Parts = Parts((train, SplitPart.Training), (samples - train, SplitPart.Validation)),
        };
    }

    private DataSplit Official(double trainFraction)
    {
        if (!IsComplete)
        {
            throw new InvalidOperationException($"the official split needs all {TrainCount + TestCount} images of {Name}; only the first {Count} are loaded (DatasetSource.LoadFor loads them)");
        }

        int trainPart = TrainCount;
        int train = (int)Math.Floor(trainPart * trainFraction);
        ImageSet? test = TestCount > 0 ? Images.Slice(trainPart, TestCount) : null;
        return new DataSplit(
            SplitKind.Official,
            Images.Slice(0, train),
            Images.Slice(train, trainPart - train),
            test,
            $"official: training part images 0..{train - 1} train, {train}..{trainPart - 1} validate; " + (test is null ? "no test part" : $"the {test.Count} test-part images test"))
        {
            Parts = Parts((train, SplitPart.Training), (trainPart - train, SplitPart.Validation), (TestCount, SplitPart.Test)),
        };
    }

    private DataSplit Stratified(int samples, double trainFraction, int seed)
    {
        ImageSet images = Images.Slice(0, samples);
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
            throw new OptionOutOfRangeException(nameof(TrainingOptions.TrainFraction), trainFraction, $"a fraction leaving at least one training and one validation image of the {samples} samples cut per class (gives {train.Count} and {validation.Count})");
        }

        var parts = new SplitPart[samples];
        train.ForEach(i => parts[i] = SplitPart.Training);
        validation.ForEach(i => parts[i] = SplitPart.Validation);
        return new DataSplit(SplitKind.Stratified, images.Subset(train), images.Subset(validation), null, $"the first {samples} images, stratified by class with seed {seed}: {train.Count} training, {validation.Count} validation")
        {
            Parts = parts,
        };
    }

    // Consecutive runs of parts from image 0 on.
    private static SplitPart[] Parts(params ReadOnlySpan<(int Count, SplitPart Part)> runs)
    {
        var parts = new List<SplitPart>();
        foreach ((int count, SplitPart part) in runs)
        {
            parts.AddRange(Enumerable.Repeat(part, count));
        }

        return [.. parts];
    }
}

/// <summary>Which part of a split an image of the data set is in.</summary>
public enum SplitPart
{
    /// <summary>Not in the split (past the first m, or, for the official split, nowhere: every image is in a part).</summary>
    Unused,

    /// <summary>A training image.</summary>
    Training,

    /// <summary>A validation image.</summary>
    Validation,

    /// <summary>A test image (the official split of a data set with a test part).</summary>
    Test,
}

/// <summary>Training, validation and (for the official split of a data set with a test part) test images.</summary>
/// <param name="Kind">The split that made them.</param>
/// <param name="Train">Images the network is trained on.</param>
/// <param name="Validation">Images for early stopping and choosing settings (and the lab's reported accuracy).</param>
/// <param name="Test">Images never used for training or model selection; null when the split has none.</param>
/// <param name="Description">Which images went where, in words.</param>
public sealed record DataSplit(SplitKind Kind, ImageSet Train, ImageSet Validation, ImageSet? Test, string Description)
{
    /// <summary>lab, official or stratified (as results.json records it).</summary>
    public string Name => Dataset.NameOf(Kind);

    /// <summary>The part of each of the data set's first images, by index; what <see cref="PartOf"/> reads. Set by <see cref="Dataset.Split"/>.</summary>
    internal SplitPart[] Parts { get; init; } = [];

    /// <summary>The indices in the data set of the images of <paramref name="part"/>, in the order the part holds them (<see cref="Train"/>, <see cref="Validation"/>, <see cref="Test"/>).</summary>
    public IReadOnlyList<int> IndicesOf(SplitPart part)
    {
        var indices = new List<int>();
        for (int i = 0; i < Parts.Length; i++)
        {
            if (Parts[i] == part)
            {
                indices.Add(i);
            }
        }

        return indices;
    }

    /// <summary>The part image <paramref name="index"/> of the data set is in (<see cref="SplitPart.Unused"/> past the images the split looked at).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public SplitPart PartOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return index < Parts.Length ? Parts[index] : SplitPart.Unused;
    }
}

/// <summary>The images of one part of a split and each one's index in the data set (what <c>explain</c>'s image index is).</summary>
/// <param name="Part">Training, validation or test.</param>
/// <param name="Images">The images, in the order of <paramref name="Indices"/>.</param>
/// <param name="Indices">Image i of <paramref name="Images"/> is image Indices[i] of the data set (training part first).</param>
public sealed record SplitImages(SplitPart Part, ImageSet Images, IReadOnlyList<int> Indices)
{
    /// <summary>training, validation or test.</summary>
    public string Name => Dataset.NameOf(Part);
}

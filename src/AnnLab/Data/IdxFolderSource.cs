namespace AnnLab.Data;

/// <summary>The IDX files of a data set: a training images/labels pair and, if it has one, a test pair, in one folder.</summary>
/// <param name="TrainImages">Training images file name (magic 2051).</param>
/// <param name="TrainLabels">Training labels file name (magic 2049).</param>
/// <param name="TestImages">Test images file name, or null when the data set has no test part.</param>
/// <param name="TestLabels">Test labels file name, or null when the data set has no test part.</param>
public sealed record IdxFiles(string TrainImages, string TrainLabels, string? TestImages, string? TestLabels)
{
    /// <summary>The file names, training pair first, without the missing test pair.</summary>
    public IReadOnlyList<string> All => TestImages is null || TestLabels is null ? [TrainImages, TrainLabels] : [TrainImages, TrainLabels, TestImages, TestLabels];
}

/// <summary>
/// A data set stored as IDX files (<see cref="IdxReader"/>), raw or gzip-compressed: the training
/// pair, then the test pair as its official test part. Fashion-MNIST is one (<see cref="FashionMnist.Open"/>);
/// MNIST, KMNIST and EMNIST's folders are the same with other file and class names.
/// </summary>
/// <remarks>
/// Opening reads only the four headers (shape and counts, checked to agree). Loading the first m
/// images decompresses only as far as the last image needed, so the lab's first 5,000 of
/// Fashion-MNIST load in a tenth of the time of all; the rest of a file is then checked by its gzip
/// trailer alone (<see cref="IdxReader.ReadImages(string, int)"/>). Loading all reads and checks every byte.
/// </remarks>
public sealed class IdxFolderSource : DatasetSource
{
    private readonly IdxFiles files;

    private IdxFolderSource(string name, string directory, IdxFiles files, ImageShape shape, IReadOnlyList<string> classNames, int trainCount, int testCount)
        : base(name, directory, shape, classNames, trainCount, testCount)
    {
        this.files = files;
    }

    /// <summary>The folder.</summary>
    public string Directory => Location;

    /// <summary>Opens the IDX files of <paramref name="files"/> in <paramref name="directory"/>, reading their headers.</summary>
    /// <param name="name">The data set's name, e.g. "Fashion-MNIST".</param>
    /// <param name="directory">The folder that holds the files.</param>
    /// <param name="files">The file names.</param>
    /// <param name="classNames">One name per class, 1..256 of them; every label must be below their count.</param>
    /// <returns>The source; no image is read yet.</returns>
    /// <exception cref="InvalidDataException">A header is malformed, an images file and its labels file hold different counts, the test images differ in shape from the training images, or the images hold no pixels; the message names the file.</exception>
    /// <exception cref="IOException">A file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public static IdxFolderSource Open(string name, string directory, IdxFiles files, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(files);
        (int trainCount, int rows, int columns) = ReadHeaders(directory, files.TrainImages, files.TrainLabels);
        if (rows < 1 || columns < 1)
        {
            throw new InvalidDataException($"{Path.Combine(directory, files.TrainImages)}: header says images of {rows}x{columns}, expected at least 1x1");
        }

        int testCount = 0;
        if (files.TestImages is not null && files.TestLabels is not null)
        {
            (testCount, int testRows, int testColumns) = ReadHeaders(directory, files.TestImages, files.TestLabels);
            if (testRows != rows || testColumns != columns)
            {
                throw new InvalidDataException($"{Path.Combine(directory, files.TestImages)}: expected images of {rows}x{columns} like the training file, got {testRows}x{testColumns}");
            }

            if ((long)trainCount + testCount > int.MaxValue)
            {
                throw new InvalidDataException($"{directory}: {trainCount} training and {testCount} test images, more than {int.MaxValue} in all");
            }
        }

        return new IdxFolderSource(name, directory, files, new ImageShape(rows, columns), classNames, trainCount, testCount);
    }

    /// <inheritdoc/>
    protected override ImageSet ReadFirst(int count)
    {
        // The whole set: the training file takes most of the time (Fashion-MNIST's 26 MB), so the test file is read beside it.
        Task<ImageSet>? test = count == Count && TestCount > 0 ? Task.Run(() => ReadPair(files.TestImages!, files.TestLabels!, TestCount, TestCount)) : null;
        ImageSet train = ReadPair(files.TrainImages, files.TrainLabels, Math.Min(count, TrainCount), TrainCount);
        if (count <= TrainCount)
        {
            return train;
        }

        return train.Concat(test?.GetAwaiter().GetResult() ?? ReadPair(files.TestImages!, files.TestLabels!, count - TrainCount, TestCount));
    }

    // The first count of the pair's inFile items. Reading all of them checks the whole file; fewer stops decompressing early.
    private ImageSet ReadPair(string images, string labels, int count, int inFile)
    {
        string imagesPath = Path.Combine(Directory, images);
        int maxCount = count == inFile ? int.MaxValue : count;
        (IdxImages pixels, IdxLabels classes) = IdxReader.ReadPair(imagesPath, Path.Combine(Directory, labels), ClassNames.Count, maxCount);
        if (pixels.Rows != Shape.Rows || pixels.Columns != Shape.Columns || pixels.Count != count)
        {
            throw new InvalidDataException($"{imagesPath}: expected {count} images of {Shape} as its header said when opened, got {pixels.Count} of {pixels.Rows}x{pixels.Columns}; did the file change?");
        }

        return new ImageSet(pixels.Pixels, classes.Labels, pixels.Rows * pixels.Columns, pixels.Rows, pixels.Columns);
    }

    private static (int Count, int Rows, int Columns) ReadHeaders(string directory, string imagesFile, string labelsFile)
    {
        string imagesPath = Path.Combine(directory, imagesFile), labelsPath = Path.Combine(directory, labelsFile);
        (int count, int rows, int columns) = IdxReader.ReadImagesHeader(imagesPath);
        int labels = IdxReader.ReadLabelsHeader(labelsPath);
        if (labels != count)
        {
            throw new InvalidDataException($"{imagesPath}: {count} images but {labelsPath} has {labels} labels");
        }

        return (count, rows, columns);
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace AnnLab.Data;

/// <summary>
/// Images as CSV, in the layout of Kaggle's Fashion-MNIST and MNIST downloads
/// (kaggle.com/datasets/zalando-research/fashionmnist: <c>fashion-mnist_train.csv</c> and
/// <c>fashion-mnist_test.csv</c>): an optional header line (<c>label,pixel1,...,pixel784</c>), then
/// one row per image, the label (0..255) and then its pixels (0..255, row-major), comma-separated,
/// LF or CRLF line endings.
/// </summary>
/// <remarks>
/// <para>The path is a <c>.csv</c> file (a training part, no test part) or a folder holding exactly
/// one <c>*train*.csv</c> (the training part) and at most one <c>*test*.csv</c> (the test part); other
/// files there are ignored, other <c>.csv</c> files (and one whose name holds both <c>train</c> and <c>test</c>, which is ambiguous) are refused. A header is recognised by its first
/// field not being an integer. Images of n pixels are sqrt(n) x sqrt(n) when n is a perfect square,
/// else <see cref="DataRequest.ImageSize"/> must give their shape. Classes are named by
/// <see cref="DataRequest.ClassNames"/>, else 0..K-1 with K the largest label + 1; data that are
/// Fashion-MNIST byte for byte (the SHA-256 of the IDX files they make, <see cref="FashionMnist.Known"/>)
/// are named Fashion-MNIST with its class names.</para>
/// <para>Opening reads and checks every row of both files (the counts need it), each file once,
/// with Sep (github.com/nietras/Sep); the two files are parsed at the same time, one core each
/// (Sep's ParallelEnumerate, with each row's RowIndex as its slot, put rows of the 60,000-row file in
/// wrong places, which CsvSourceTests catches). Loading takes slices of what was read. Any bad value is an
/// <see cref="InvalidDataException"/> naming the file, the line (1-based, the header counted), the
/// column (1-based), the expected and the found value; nothing half-read is kept.</para>
/// </remarks>
public sealed class CsvSource : DatasetSource
{
    private readonly ImageSet images;

    private CsvSource(string name, string location, ImageShape shape, IReadOnlyList<string> classNames, ImageSet images, int trainCount, int testCount, string trainFile, string? testFile)
        : base(name, location, shape, classNames, trainCount, testCount)
    {
        this.images = images;
        TrainFile = trainFile;
        TestFile = testFile;
    }

    /// <summary>The training part's file.</summary>
    public string TrainFile { get; }

    /// <summary>The test part's file, or null when there is none.</summary>
    public string? TestFile { get; }

    /// <summary>Whether <paramref name="path"/> looks like CSV data, from names only: a <c>.csv</c> file, or a folder with <c>.csv</c> files and no IDX files (<c>*-ubyte*</c>, <c>*.idx*</c>).</summary>
    public static bool Recognizes(string path)
    {
        if (File.Exists(path))
        {
            return IsCsv(path);
        }

        if (!Directory.Exists(path))
        {
            return false;
        }

        try
        {
            string[] names = [.. Directory.EnumerateFiles(path).Select(System.IO.Path.GetFileName).OfType<string>()];
            return names.Any(IsCsv) && !names.Any(n => n.Contains("-ubyte", StringComparison.OrdinalIgnoreCase) || n.Contains(".idx", StringComparison.OrdinalIgnoreCase));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The file or folder the request names: its <see cref="DataRequest.Path"/>, which must be given.</summary>
    /// <exception cref="DirectoryNotFoundException">No path given, or nothing there.</exception>
    public static string Locate(DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Path))
        {
            throw new DirectoryNotFoundException("the csv format needs `Path`: a .csv file, or a folder with one *train*.csv and at most one *test*.csv");
        }

        string full = System.IO.Path.GetFullPath(request.Path);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"{full}: no such file or folder; expected a .csv file, or a folder with one *train*.csv and at most one *test*.csv");
        }

        return full;
    }

    /// <summary>
    /// Opens the CSV file or folder <paramref name="path"/>: finds its training and test files, reads
    /// and checks every row of both, and names the classes.
    /// </summary>
    /// <param name="path">A <c>.csv</c> file, or a folder (see the remarks of <see cref="CsvSource"/>).</param>
    /// <param name="request">Its <see cref="DataRequest.ImageSize"/> (rows x columns, for a pixel count that is not a perfect square) and <see cref="DataRequest.ClassNames"/> (a class-names file, <see cref="ClassNameFile"/>).</param>
    /// <returns>The source, every image in memory: training part, then test part.</returns>
    /// <exception cref="InvalidDataException">The folder does not hold one training file, a file is empty, a folder, a FIFO or holds only a header, a row is malformed, the files disagree on the pixel count, the shape is unknown or does not fit, or the class names do not cover the labels; the message names the file, and the line and column where they apply.</exception>
    /// <exception cref="IOException">A file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public static CsvSource Open(string path, DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(request);
        (string trainFile, string? testFile) = FindFiles(path);
        Task<CsvTable>? testTask = testFile is null ? null : Task.Run(() => CsvTable.Read(testFile));
        CsvTable train = CsvTable.Read(trainFile);
        CsvTable? test = testTask?.GetAwaiter().GetResult();
        if (test is not null && test.Pixels != train.Pixels)
        {
            throw new InvalidDataException($"{testFile}: rows of {test.Pixels} pixels (line {test.FirstDataLine}), expected {train.Pixels} as in {trainFile}");
        }

        ImageShape shape = ShapeOf(trainFile, train.Pixels, request.ImageSize);
        int trainCount = train.Count, testCount = test?.Count ?? 0;
        if ((long)trainCount + testCount > int.MaxValue || ((long)trainCount + testCount) * train.Pixels > Array.MaxLength)
        {
            throw new InvalidDataException($"{path}: {trainCount} training and {testCount} test images of {train.Pixels} pixels, more than one array holds");
        }

        (string file, int line, int label) = test is not null && test.MaxLabel > train.MaxLabel ? (testFile!, test.MaxLabelLine, test.MaxLabel) : (trainFile, train.MaxLabelLine, train.MaxLabel);
        IReadOnlyList<string>? classNames = null;
        if (request.ClassNames is not null)
        {
            // Relative to the data's folder (the folder given, or the .csv file's), as an IDX pair's files are: the run records that folder.
            string folder = Directory.Exists(path) ? path : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
            classNames = ClassNameFile.Read(System.IO.Path.Combine(folder, request.ClassNames));
            if (label >= classNames.Count)
            {
                throw new InvalidDataException($"{request.ClassNames}: names {classNames.Count} classes (labels 0..{classNames.Count - 1}), but {file} line {line} has label {label}; expected at least {label + 1} names");
            }
        }

        bool fashion = IsFashionMnist(train, shape, test is null ? [FashionMnist.TrainImagesFile, FashionMnist.TestImagesFile] : [FashionMnist.TrainImagesFile])
            && (test is null || IsFashionMnist(test, shape, [FashionMnist.TestImagesFile]));
        classNames ??= fashion ? FashionMnist.ClassNames : [.. Enumerable.Range(0, label + 1).Select(k => k.ToString(CultureInfo.InvariantCulture))];
        string name = fashion ? "Fashion-MNIST" : System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(path)) is { Length: > 0 } n ? n : path;
        // One copy into arrays of exactly the images' size, training part first.
        byte[] pixels = [.. train.PixelBytes.Span, .. test is null ? [] : test.PixelBytes.Span];
        byte[] labels = [.. train.Labels.Span, .. test is null ? [] : test.Labels.Span];

        var all = new ImageSet(pixels, labels, shape.Pixels, shape.Rows, shape.Columns * shape.Channels);
        return new CsvSource(name, path, shape, classNames, all, trainCount, testCount, trainFile, testFile);
    }

    /// <inheritdoc/>
    protected override ImageSet ReadFirst(int count) => images.Slice(0, count);

    private static bool IsCsv(string name) => name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    // The training file and the test file (or none) of a .csv file or a folder.
    private static (string Train, string? Test) FindFiles(string path)
    {
        if (!Directory.Exists(path))
        {
            return (path, null);
        }

        // Folders and FIFOs named *.csv are listed too, so that reading one names it.
        string[] csv = [.. Directory.EnumerateFileSystemEntries(path).Where(IsCsv).Order(StringComparer.Ordinal)];
        bool Has(string f, string part) => System.IO.Path.GetFileName(f).Contains(part, StringComparison.OrdinalIgnoreCase);
        string[] train = [.. csv.Where(f => Has(f, "train") && !Has(f, "test"))];
        string[] test = [.. csv.Where(f => Has(f, "test") && !Has(f, "train"))];
        string holds = csv.Length == 0 ? "no .csv file" : string.Join(", ", csv.Select(System.IO.Path.GetFileName));
        string[] both = [.. csv.Where(f => Has(f, "train") && Has(f, "test")).Select(System.IO.Path.GetFileName).OfType<string>()];
        string[] other = [.. csv.Except(train).Except(test)];
        if (train.Length != 1 || test.Length > 1 || other.Length > 0)
        {
            string why = both.Length > 0 ? $"{string.Join(", ", both)} {(both.Length == 1 ? "matches" : "match")} both *train* and *test*, so {(both.Length == 1 ? "it is" : "they are")} ambiguous"
                : train.Length == 0 ? "no *train*.csv" : train.Length > 1 ? $"{train.Length} *train*.csv files" : test.Length > 1 ? $"{test.Length} *test*.csv files" : $"{string.Join(", ", other.Select(System.IO.Path.GetFileName))}, neither a *train*.csv nor a *test*.csv";
            throw new InvalidDataException($"{path}: holds {holds}: {why}; expected exactly one *train*.csv (the training part) and at most one *test*.csv (the test part)");
        }

        return (train[0], test.FirstOrDefault());
    }

    private static ImageShape ShapeOf(string file, int pixels, ImageShape? size)
    {
        if (size is { } s)
        {
            if ((long)s.Rows * s.Columns * s.Channels != pixels)
            {
                throw new InvalidDataException($"{file}: rows hold {pixels} pixels; `ImageSize` {s} holds {(long)s.Rows * s.Columns * s.Channels}, expected sizes that multiply to {pixels}");
            }

            return s;
        }

        int side = (int)Math.Round(Math.Sqrt(pixels));
        if (side * side != pixels)
        {
            throw new InvalidDataException($"{file}: rows hold {pixels} pixels, not a square number; give `ImageSize` as ROWSxCOLUMNS that multiply to {pixels} (1x{pixels} for flat vectors)");
        }

        return new ImageShape(side, side);
    }

    // The table is Fashion-MNIST's file of one of `imageFiles` (its labels file beside it): the SHA-256 of the IDX content it makes, header included.
    private static bool IsFashionMnist(CsvTable table, ImageShape shape, IEnumerable<string> imageFiles)
    {
        KnownIdxData known = FashionMnist.Known;
        if (shape != known.Shape || table.MaxLabel >= FashionMnist.ClassNames.Count)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[16];
        foreach (string imagesFile in imageFiles)
        {
            string labelsFile = imagesFile == FashionMnist.TrainImagesFile ? FashionMnist.TrainLabelsFile : FashionMnist.TestLabelsFile;
            if (known.Files[imagesFile].Count != table.Count)
            {
                continue;
            }

            BinaryPrimitives.WriteInt32BigEndian(header, IdxReader.LabelsMagic);
            BinaryPrimitives.WriteInt32BigEndian(header[4..], table.Count);
            if (Sha256(header[..8], table.Labels.Span) != known.Files[labelsFile].Sha256)
            {
                continue;
            }

            BinaryPrimitives.WriteInt32BigEndian(header, IdxReader.ImagesMagic);
            BinaryPrimitives.WriteInt32BigEndian(header[8..], shape.Rows);
            BinaryPrimitives.WriteInt32BigEndian(header[12..], shape.Columns);
            if (Sha256(header, table.PixelBytes.Span) == known.Files[imagesFile].Sha256)
            {
                return true;
            }
        }

        return false;
    }

    private static string Sha256(ReadOnlySpan<byte> header, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header);
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

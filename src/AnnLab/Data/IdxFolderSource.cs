using System.Buffers.Binary;
using System.Security.Cryptography;

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
/// pair, then the test pair as its official test part. Fashion-MNIST is one (<see cref="FashionMnist.Open(string)"/>);
/// MNIST, KMNIST and EMNIST's folders are the same with other file and class names.
/// </summary>
/// <remarks>
/// Opening reads only the four headers (shape and counts, checked to agree, and against what a
/// known data set holds). Loading the first m images decompresses only as far as the last image
/// needed, so the lab's first 5,000 of Fashion-MNIST load in a tenth of the time of all; but the
/// front alone would leave a corrupted rest unseen (its CRC-32 is at the end), so a known data set's
/// file is first read to its end, CRC-32 and SHA-256 checked, once, and then remembered intact by
/// <see cref="VerifiedFiles"/>. Loading all reads and checks every byte.
/// </remarks>
public sealed class IdxFolderSource : DatasetSource
{
    private readonly IdxFiles files;
    private readonly KnownIdxData? known;
    private readonly VerifiedFiles? verified;

    private IdxFolderSource(string name, string directory, IdxFiles files, ImageShape shape, IReadOnlyList<string> classNames, int trainCount, int testCount, KnownIdxData? known, VerifiedFiles? verified)
        : base(name, directory, shape, classNames, trainCount, testCount)
    {
        this.files = files;
        this.known = known;
        this.verified = verified;
    }

    /// <summary>The folder.</summary>
    public string Directory => Location;

    /// <summary>Opens the IDX files of <paramref name="files"/> in <paramref name="directory"/>, reading their headers.</summary>
    /// <param name="name">The data set's name, e.g. "Fashion-MNIST".</param>
    /// <param name="directory">The folder that holds the files.</param>
    /// <param name="files">The file names.</param>
    /// <param name="classNames">One name per class, 1..256 of them; every label must be below their count.</param>
    /// <param name="known">
    /// What a known data set's files must be, or null for any IDX files. With it, a header of another
    /// image shape or more items than the original is refused here, and a file is read to its end
    /// (its gzip CRC-32 checked, and a file of the original's count hashed against the original's
    /// SHA-256) before a load may read only its front, unless <paramref name="verified"/> remembers it intact.
    /// </param>
    /// <param name="verified">Files already found intact; null remembers none.</param>
    /// <returns>The source; no image is read yet.</returns>
    /// <exception cref="InvalidDataException">A header is malformed, an images file and its labels file hold different counts, the test images differ in shape from the training images, the images hold no pixels, or a header breaks <paramref name="known"/>; the message names the file.</exception>
    /// <exception cref="IOException">A file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public static IdxFolderSource Open(string name, string directory, IdxFiles files, IReadOnlyList<string> classNames, KnownIdxData? known = null, VerifiedFiles? verified = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        (int trainCount, int rows, int columns) = ReadHeaders(name, directory, files.TrainImages, files.TrainLabels, known);
        if (rows < 1 || columns < 1)
        {
            throw new InvalidDataException($"{Path.Combine(directory, files.TrainImages)}: header says images of {rows}x{columns}, expected at least 1x1");
        }

        int testCount = 0;
        if (files.TestImages is not null && files.TestLabels is not null)
        {
            (testCount, int testRows, int testColumns) = ReadHeaders(name, directory, files.TestImages, files.TestLabels, known);
            if (testRows != rows || testColumns != columns)
            {
                throw new InvalidDataException($"{Path.Combine(directory, files.TestImages)}: expected images of {rows}x{columns} like the training file, got {testRows}x{testColumns}");
            }

            if ((long)trainCount + testCount > int.MaxValue)
            {
                throw new InvalidDataException($"{directory}: {trainCount} training and {testCount} test images, more than {int.MaxValue} in all");
            }
        }

        return new IdxFolderSource(name, directory, files, new ImageShape(rows, columns), classNames, trainCount, testCount, known, verified);
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
        string imagesPath = Path.Combine(Directory, images), labelsPath = Path.Combine(Directory, labels);
        int maxCount = count == inFile ? int.MaxValue : count;
        IdxImages pixels = ReadImages(Name, imagesPath, known?.Files.GetValueOrDefault(images), known?.Shape, verified, maxCount);
        IdxLabels classes = ReadLabels(Name, labelsPath, known?.Files.GetValueOrDefault(labels), verified, ClassNames.Count, maxCount);
        if (pixels.Rows != Shape.Rows || pixels.Columns != Shape.Columns || pixels.Count != count || classes.Count != count)
        {
            throw new InvalidDataException($"{imagesPath}: expected {count} images of {Shape} as its header said when opened, got {pixels.Count} of {pixels.Rows}x{pixels.Columns} and {classes.Count} labels in {labelsPath}; did the file change?");
        }

        return new ImageSet(pixels.Pixels, classes.Labels, pixels.Rows * pixels.Columns, pixels.Rows, pixels.Columns);
    }

    /// <summary>
    /// The first <paramref name="maxCount"/> images of <paramref name="path"/>; with <paramref name="spec"/>,
    /// the whole file is read and checked against it first unless <paramref name="verified"/> remembers it intact.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is malformed, corrupt, or not what <paramref name="spec"/> says; the message names it.</exception>
    internal static IdxImages ReadImages(string dataset, string path, KnownIdxFile? spec, ImageShape? shape, VerifiedFiles? verified, int maxCount)
    {
        bool check = spec is not null && verified?.Contains(path, null) != true;
        if (spec is not null && shape is { } s)
        {
            (int count, int rows, int columns) = IdxReader.ReadImagesHeader(path);
            CheckHeader(dataset, path, spec, count, "images", s, rows, columns);
        }

        IdxImages images = IdxReader.ReadImages(path, check ? int.MaxValue : maxCount);
        if (!check)
        {
            return images;
        }

        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, IdxReader.ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], images.Count);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], images.Rows);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], images.Columns);
        Verify(dataset, path, spec!, images.Count, header, images.Pixels, verified);
        if (images.Count <= maxCount)
        {
            return images;
        }

        int pixels = images.Rows * images.Columns;
        return new IdxImages(path, maxCount, images.Rows, images.Columns, images.Pixels[..(maxCount * pixels)]);
    }

    /// <summary>The first <paramref name="maxCount"/> labels of <paramref name="path"/>, checked as <see cref="ReadImages"/> checks images.</summary>
    /// <exception cref="InvalidDataException">The file is malformed, corrupt, or not what <paramref name="spec"/> says; the message names it.</exception>
    internal static IdxLabels ReadLabels(string dataset, string path, KnownIdxFile? spec, VerifiedFiles? verified, int classCount, int maxCount)
    {
        bool check = spec is not null && verified?.Contains(path, null) != true;
        if (spec is not null)
        {
            CheckHeader(dataset, path, spec, IdxReader.ReadLabelsHeader(path), "labels", null, 0, 0);
        }

        IdxLabels labels = IdxReader.ReadLabels(path, classCount, check ? int.MaxValue : maxCount);
        if (!check)
        {
            return labels;
        }

        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, IdxReader.LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], labels.Count);
        Verify(dataset, path, spec!, labels.Count, header, labels.Labels, verified);
        return labels.Count <= maxCount ? labels : new IdxLabels(path, labels.Labels[..maxCount]);
    }

    // The data set is known not to hold another shape or more items: refused before any body is read.
    private static void CheckHeader(string dataset, string path, KnownIdxFile spec, int count, string what, ImageShape? shape, int rows, int columns)
    {
        if (shape is { } s && (rows != s.Rows || columns != s.Columns))
        {
            throw new InvalidDataException($"{path}: header says {what} of {rows}x{columns}; {dataset}'s are {s}");
        }

        if (count > spec.Count)
        {
            throw new InvalidDataException($"{path}: header says {count} {what}; {dataset}'s file holds {spec.Count}, expected at most that many");
        }
    }

    // A file read to its end: one holding all the original's items must be the original, byte for byte.
    private static void Verify(string dataset, string path, KnownIdxFile spec, int count, ReadOnlySpan<byte> header, ReadOnlySpan<byte> body, VerifiedFiles? verified)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header);
        hash.AppendData(body);
        string sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (count == spec.Count && sha != spec.Sha256)
        {
            throw new InvalidDataException($"{path}: the SHA-256 of its decompressed content is {sha}, expected {spec.Sha256}, that of {dataset}'s original file: the file is corrupt or was changed");
        }

        verified?.Add(path, sha);
    }

    private static (int Count, int Rows, int Columns) ReadHeaders(string dataset, string directory, string imagesFile, string labelsFile, KnownIdxData? known)
    {
        string imagesPath = Path.Combine(directory, imagesFile), labelsPath = Path.Combine(directory, labelsFile);
        (int count, int rows, int columns) = IdxReader.ReadImagesHeader(imagesPath);
        int labels = IdxReader.ReadLabelsHeader(labelsPath);
        if (known is not null)
        {
            if (known.Files.GetValueOrDefault(imagesFile) is { } images)
            {
                CheckHeader(dataset, imagesPath, images, count, "images", known.Shape, rows, columns);
            }

            if (known.Files.GetValueOrDefault(labelsFile) is { } spec)
            {
                CheckHeader(dataset, labelsPath, spec, labels, "labels", null, 0, 0);
            }
        }

        if (labels != count)
        {
            throw new InvalidDataException($"{imagesPath}: {count} images but {labelsPath} has {labels} labels");
        }

        return (count, rows, columns);
    }
}

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
/// pair, then the test pair as its official test part. Fashion-MNIST, MNIST, KMNIST and EMNIST's folders
/// are ones (<see cref="KnownIdxDataset.Open"/>), and so is any IDX pair (<see cref="IdxPair"/>).
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
    private readonly bool transposed;
    private readonly int labelOffset;

    private IdxFolderSource(string name, string directory, IdxFiles files, ImageShape shape, IReadOnlyList<string> classNames, int trainCount, int testCount, KnownIdxData? known, VerifiedFiles? verified, bool transposed, int labelOffset)
        : base(name, directory, shape, classNames, trainCount, testCount)
    {
        this.files = files;
        this.known = known;
        this.verified = verified;
        this.transposed = transposed;
        this.labelOffset = labelOffset;
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
    /// <param name="transposed">True when the files store each image column by column (EMNIST): each is transposed on read, and <see cref="DatasetSource.Shape"/> is the header's columns x rows.</param>
    /// <param name="labelOffset">What the files' labels start at, 0..255 (EMNIST letters: 1); taken off on read, and a label below it is refused.</param>
    /// <returns>The source; no image is read yet.</returns>
    /// <exception cref="InvalidDataException">A header is malformed, an images file and its labels file hold different counts, the test images differ in shape from the training images, the images hold no pixels, or a header breaks <paramref name="known"/>; the message names the file.</exception>
    /// <exception cref="IOException">A file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public static IdxFolderSource Open(string name, string directory, IdxFiles files, IReadOnlyList<string> classNames, KnownIdxData? known = null, VerifiedFiles? verified = null, bool transposed = false, int labelOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentOutOfRangeException.ThrowIfNegative(labelOffset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(labelOffset + classNames.Count, 256, nameof(labelOffset));
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

        ImageShape shape = transposed ? new ImageShape(columns, rows) : new ImageShape(rows, columns);
        return new IdxFolderSource(name, directory, files, shape, classNames, trainCount, testCount, known, verified, transposed, labelOffset);
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
        IdxImages pixels = ReadImages(Name, imagesPath, known?.Spec(images), known?.Shape, verified, maxCount);
        IdxLabels classes = ReadLabels(Name, labelsPath, known?.Spec(labels), verified, labelOffset > 0 ? 256 : ClassNames.Count, maxCount);
        (int rows, int columns) = transposed ? (pixels.Columns, pixels.Rows) : (pixels.Rows, pixels.Columns);
        if (rows != Shape.Rows || columns != Shape.Columns || pixels.Count != count || classes.Count != count)
        {
            throw new InvalidDataException($"{imagesPath}: expected {count} images of {Shape} as its header said when opened, got {pixels.Count} of {rows}x{columns} and {classes.Count} labels in {labelsPath}; did the file change?");
        }

        byte[] upright = transposed ? Transpose(pixels.Pixels, pixels.Count, pixels.Rows, pixels.Columns) : pixels.Pixels;
        return new ImageSet(upright, ShiftLabels(labelsPath, classes.Labels), rows * columns, rows, columns);
    }

    /// <summary>Each of <paramref name="count"/> images stored as <paramref name="rows"/> x <paramref name="columns"/> (row-major), transposed to columns x rows.</summary>
    internal static byte[] Transpose(byte[] pixels, int count, int rows, int columns)
    {
        var result = new byte[pixels.Length];
        int size = rows * columns;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> source = pixels.AsSpan(i * size, size);
            Span<byte> target = result.AsSpan(i * size, size);
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    target[(c * rows) + r] = source[(r * columns) + c];
                }
            }
        }

        return result;
    }

    // The files' labels start at labelOffset (EMNIST letters: 1 for 'a'); labels start at 0.
    private byte[] ShiftLabels(string path, byte[] labels)
    {
        if (labelOffset == 0)
        {
            return labels;
        }

        int last = labelOffset + ClassNames.Count - 1;
        int bad = labels.AsSpan().IndexOfAnyExceptInRange((byte)labelOffset, (byte)last);
        if (bad >= 0)
        {
            throw new InvalidDataException($"{path}: label {labels[bad]} at index {bad} is outside {labelOffset}..{last} ({Name} numbers its {ClassNames.Count} classes from {labelOffset})");
        }

        var shifted = new byte[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            shifted[i] = (byte)(labels[i] - labelOffset);
        }

        return shifted;
    }

    /// <summary>
    /// The first <paramref name="maxCount"/> images of <paramref name="path"/>; with <paramref name="spec"/>,
    /// the whole file is read and checked against it first unless <paramref name="verified"/> remembers it intact.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is malformed, corrupt, or not what <paramref name="spec"/> says; the message names it.</exception>
    internal static IdxImages ReadImages(string dataset, string path, KnownIdxFile? spec, ImageShape? shape, VerifiedFiles? verified, int maxCount)
    {
        bool check = false;
        if (spec is not null)
        {
            (int count, int rows, int columns) = IdxReader.ReadImagesHeader(path);
            CheckHeader(dataset, path, spec, count, "images", shape, rows, columns);
            check = !Remembered(dataset, path, spec, count, verified);
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
        bool check = false;
        if (spec is not null)
        {
            int count = IdxReader.ReadLabelsHeader(path);
            CheckHeader(dataset, path, spec, count, "labels", null, 0, 0);
            check = !Remembered(dataset, path, spec, count, verified);
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

    // A file read to its end: its checksums judged (Judge), and remembered when it passes.
    private static void Verify(string dataset, string path, KnownIdxFile spec, int count, ReadOnlySpan<byte> header, ReadOnlySpan<byte> body, VerifiedFiles? verified)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header);
        hash.AppendData(body);
        string sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        string? md5 = GzipMd5(path);
        Judge(dataset, path, spec, count, sha, md5);
        verified?.Add(path, sha, md5);
    }

    // True when the file was read to its end before (its checksums remembered): judged again from them, not re-read.
    private static bool Remembered(string dataset, string path, KnownIdxFile spec, int count, VerifiedFiles? verified)
    {
        if (verified?.Find(path) is not { } hashes)
        {
            return false;
        }

        Judge(dataset, path, spec, count, hashes.Sha256, hashes.GzipMd5);
        return true;
    }

    /// <summary>
    /// Whether a file may be <paramref name="dataset"/>'s file <paramref name="spec"/>: it is when either checksum is the
    /// original's; a file whose checksum is another known data set's file is refused naming that data set; a file
    /// holding all the original's items with neither checksum is refused as corrupt or changed; a subset, or a
    /// file with no checksum to compare (EMNIST; MNIST's train-images stored raw), passes.
    /// </summary>
    /// <exception cref="InvalidDataException">Refused; the message names the file, the expected and the found checksum or data set.</exception>
    internal static void Judge(string dataset, string path, KnownIdxFile spec, int count, string sha256, string? gzipMd5)
    {
        if (spec.IsOriginal(sha256, gzipMd5))
        {
            return;
        }

        if (KnownIdxDatasets.Identify(sha256, gzipMd5) is { } other && other.Dataset.DisplayName != dataset)
        {
            throw new InvalidDataException($"{path}: this is {other.Dataset.DisplayName}'s {KnownIdxDataset.ShortName(other.File)} file, not {dataset}'s; give `Dataset` {other.Dataset.Name}");
        }

        if (count != spec.Count)
        {
            return;
        }

        if (spec.Sha256 is not null)
        {
            throw new InvalidDataException($"{path}: the SHA-256 of its decompressed content is {sha256}, expected {spec.Sha256}, that of {dataset}'s original file: the file is corrupt or was changed");
        }

        if (spec.GzipMd5 is not null && gzipMd5 is not null)
        {
            throw new InvalidDataException($"{path}: the MD5 of its gzip bytes is {gzipMd5}, expected {spec.GzipMd5}, that of {dataset}'s published file: the file is corrupt or was changed (or recompressed; its content's SHA-256 is not known)");
        }
    }

    // The MD5 of the file's bytes when it is gzip (first bytes 1F 8B), else null: publishers list these.
    private static string? GzipMd5(string path)
    {
        using FileStream stream = AnnLab.IO.RegularFile.OpenRead(path, "an IDX file");
        if (stream.ReadByte() != 0x1F || stream.ReadByte() != 0x8B)
        {
            return null;
        }

        stream.Position = 0;
#pragma warning disable CA5351 // Not for security: MD5 is what the publishers list to identify their files.
        return Convert.ToHexStringLower(MD5.HashData(stream));
#pragma warning restore CA5351
    }

    private static (int Count, int Rows, int Columns) ReadHeaders(string dataset, string directory, string imagesFile, string labelsFile, KnownIdxData? known)
    {
        string imagesPath = Path.Combine(directory, imagesFile), labelsPath = Path.Combine(directory, labelsFile);
        (int count, int rows, int columns) = IdxReader.ReadImagesHeader(imagesPath);
        int labels = IdxReader.ReadLabelsHeader(labelsPath);
        if (known is not null)
        {
            if (known.Spec(imagesFile) is { } images)
            {
                CheckHeader(dataset, imagesPath, images, count, "images", known.Shape, rows, columns);
            }

            if (known.Spec(labelsFile) is { } spec)
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

using System.Buffers.Binary;
using System.IO.Compression;
using AnnLab.IO;

namespace AnnLab.Data;
/// <summary>
/// Reads the IDX files of MNIST and Fashion-MNIST, raw or gzip-compressed.
/// </summary>
/// <remarks>
/// Format (LeCun, Cortes and Burges, "The MNIST database of handwritten digits",
/// http://yann.lecun.com/exdb/mnist/): a big-endian 32-bit magic number whose third byte is the
/// element type (0x08 = unsigned byte) and fourth byte the number of dimensions, then one
/// big-endian 32-bit size per dimension, then the elements in row-major order.
/// Images are magic 2051 (0x00000803) with sizes count, rows, columns; labels are magic
/// 2049 (0x00000801) with size count. Only unsigned-byte files are read.
/// <para>
/// Gzip is recognised by content (first bytes 1F 8B, RFC 1952 section 2.3.1), never by file
/// name. A truncated gzip stream is detected by checking its ISIZE/CRC-32 trailer, because
/// <see cref="GZipStream"/> just stops at the cut. Concatenated gzip members are read as one. Every check throws
/// <see cref="InvalidDataException"/> naming the file, the expected and the found value; the
/// body is never allocated at a size the data has not shown it holds, and nothing half-read is
/// returned. Images of more than <see cref="MaxImagePixels"/> pixels are refused when the header is read. A path must be a regular file: a FIFO, a device or a folder is refused before it is
/// opened (opening a FIFO waits for a writer).
/// </para>
/// </remarks>
public static class IdxReader
{
    /// <summary>Magic number of an unsigned-byte, 3-dimensional IDX file (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an unsigned-byte, 1-dimensional IDX file (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>
    /// The most pixels (rows x columns) an image may have: 4096 x 4096 = 16,777,216, the largest
    /// <see cref="DataRequest.ImageSize"/> takes (4096 a side). A header claiming more is refused when read,
    /// so that rows x columns never overflows the network's input size.
    /// </summary>
    public const long MaxImagePixels = 4096L * 4096;

    private const string ImagesKind = "unsigned-byte images, 3 dimensions";
    private const string LabelsKind = "unsigned-byte labels, 1 dimension";

    /// <summary>Reads an images file (magic 2051), raw or gzip-compressed.</summary>
    /// <param name="path">The file; its name plays no part in detecting gzip.</param>
    /// <returns>The images, Count x Rows x Columns pixel bytes.</returns>
    /// <exception cref="InvalidDataException">The content is not a well-formed unsigned-byte images file.</exception>
    /// <exception cref="IOException">The file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public static IdxImages ReadImages(string path) => ReadImages(path, int.MaxValue);

    /// <summary>Reads the first <paramref name="maxCount"/> images of an images file (all of them if it holds fewer), raw or gzip-compressed.</summary>
    /// <param name="path">The file; its name plays no part in detecting gzip.</param>
    /// <param name="maxCount">Images to read at most, at least 0. Decompression stops there, so the first
    /// 5,000 of Fashion-MNIST's 60,000 take a twelfth of the time; the rest of the file is then not checked
    /// (a raw file's length still is).</param>
    /// <returns>The images, min(header count, maxCount) x Rows x Columns pixel bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is negative.</exception>
    /// <exception cref="InvalidDataException">The content read is not a well-formed unsigned-byte images file.</exception>
    /// <exception cref="IOException">The file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public static IdxImages ReadImages(string path, int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        using var stream = RegularFile.OpenRead(path, "an IDX file");
        return ReadImages(stream, path, maxCount);
    }

    /// <summary>Reads an images file (magic 2051), raw or gzip-compressed, from a stream.</summary>
    /// <param name="stream">Read from its current position to its end; not disposed. Need not be seekable.</param>
    /// <param name="name">What error messages call the data, usually its path.</param>
    /// <returns>The images, Count x Rows x Columns pixel bytes.</returns>
    /// <exception cref="InvalidDataException">The content is not a well-formed unsigned-byte images file.</exception>
    public static IdxImages ReadImages(Stream stream, string name) => ReadImages(stream, name, int.MaxValue);

    /// <summary>Reads the first <paramref name="maxCount"/> images (all if fewer) from a stream; see <see cref="ReadImages(string, int)"/>.</summary>
    /// <param name="stream">Read from its current position; not disposed. Need not be seekable.</param>
    /// <param name="name">What error messages call the data, usually its path.</param>
    /// <param name="maxCount">Images to read at most, at least 0.</param>
    /// <returns>The images, min(header count, maxCount) x Rows x Columns pixel bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is negative.</exception>
    /// <exception cref="InvalidDataException">The content read is not a well-formed unsigned-byte images file.</exception>
    public static IdxImages ReadImages(Stream stream, string name, int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        using var source = IdxSource.Open(stream, name);
        Span<byte> header = stackalloc byte[16];
        source.ReadHeader(header);
        CheckMagic(name, header, ImagesMagic, ImagesKind);
        int count = ReadSize(name, header, 1, "images");
        int rows = ReadSize(name, header, 2, "rows");
        int columns = ReadSize(name, header, 3, "columns");
        CheckImageSize(name, rows, columns);
        int taken = Math.Min(count, maxCount);
        byte[] pixels = source.ReadBody(
            header, (Int128)count * rows * columns, $"{count} images of {rows}x{columns}", "pixel bytes", (Int128)taken * rows * columns);
        return new IdxImages(name, taken, rows, columns, pixels);
    }

    /// <summary>Reads a labels file (magic 2049), raw or gzip-compressed.</summary>
    /// <param name="path">The file; its name plays no part in detecting gzip.</param>
    /// <param name="classCount">Number of classes, 1..256; every label must be in 0..classCount-1.</param>
    /// <returns>The labels, one byte per item.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is outside 1..256.</exception>
    /// <exception cref="InvalidDataException">The content is not a well-formed labels file, or a label is out of range.</exception>
    /// <exception cref="IOException">The file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public static IdxLabels ReadLabels(string path, int classCount = 10) => ReadLabels(path, classCount, int.MaxValue);

    /// <summary>Reads the first <paramref name="maxCount"/> labels of a labels file (all if it holds fewer); see <see cref="ReadImages(string, int)"/>.</summary>
    /// <param name="path">The file; its name plays no part in detecting gzip.</param>
    /// <param name="classCount">Number of classes, 1..256; every label read must be in 0..classCount-1.</param>
    /// <param name="maxCount">Labels to read at most, at least 0.</param>
    /// <returns>min(header count, maxCount) labels.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is outside 1..256, or <paramref name="maxCount"/> is negative.</exception>
    /// <exception cref="InvalidDataException">The content read is not a well-formed labels file, or a label is out of range.</exception>
    /// <exception cref="IOException">The file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public static IdxLabels ReadLabels(string path, int classCount, int maxCount)
    {
        CheckClassCount(classCount);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        using var stream = RegularFile.OpenRead(path, "an IDX file");
        return ReadLabels(stream, path, classCount, maxCount);
    }

    /// <summary>Reads a labels file (magic 2049), raw or gzip-compressed, from a stream.</summary>
    /// <param name="stream">Read from its current position to its end; not disposed. Need not be seekable.</param>
    /// <param name="name">What error messages call the data, usually its path.</param>
    /// <param name="classCount">Number of classes, 1..256; every label must be in 0..classCount-1.</param>
    /// <returns>The labels, one byte per item.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is outside 1..256.</exception>
    /// <exception cref="InvalidDataException">The content is not a well-formed labels file, or a label is out of range.</exception>
    public static IdxLabels ReadLabels(Stream stream, string name, int classCount = 10) => ReadLabels(stream, name, classCount, int.MaxValue);

    /// <summary>Reads the first <paramref name="maxCount"/> labels (all if fewer) from a stream; see <see cref="ReadImages(string, int)"/>.</summary>
    /// <param name="stream">Read from its current position; not disposed. Need not be seekable.</param>
    /// <param name="name">What error messages call the data, usually its path.</param>
    /// <param name="classCount">Number of classes, 1..256; every label read must be in 0..classCount-1.</param>
    /// <param name="maxCount">Labels to read at most, at least 0.</param>
    /// <returns>min(header count, maxCount) labels.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is outside 1..256, or <paramref name="maxCount"/> is negative.</exception>
    /// <exception cref="InvalidDataException">The content read is not a well-formed labels file, or a label is out of range.</exception>
    public static IdxLabels ReadLabels(Stream stream, string name, int classCount, int maxCount)
    {
        CheckClassCount(classCount);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        using var source = IdxSource.Open(stream, name);
        Span<byte> header = stackalloc byte[8];
        source.ReadHeader(header);
        CheckMagic(name, header, LabelsMagic, LabelsKind);
        int count = ReadSize(name, header, 1, "labels");
        byte[] labels = source.ReadBody(header, count, $"{count} labels", "label bytes", Math.Min(count, maxCount));
        // classCount 256 allows every byte ((byte)256 would be 0 and refuse them all).
        int bad = classCount > byte.MaxValue ? -1 : labels.AsSpan().IndexOfAnyInRange((byte)classCount, byte.MaxValue);
        if (bad >= 0)
        {
            throw new InvalidDataException(
                $"{name}: label {labels[bad]} at index {bad} is outside 0..{classCount - 1}");
        }

        return new IdxLabels(name, labels);
    }

    /// <summary>Reads an images file and its labels file and checks that they hold the same number of items.</summary>
    /// <param name="imagesPath">The images file (magic 2051).</param>
    /// <param name="labelsPath">The labels file (magic 2049).</param>
    /// <param name="classCount">Number of classes, 1..256; every label must be in 0..classCount-1.</param>
    /// <returns>The images and the labels; label i belongs to image i.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is outside 1..256.</exception>
    /// <exception cref="InvalidDataException">Either file is malformed, or the counts differ.</exception>
    /// <exception cref="IOException">A file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public static (IdxImages Images, IdxLabels Labels) ReadPair(string imagesPath, string labelsPath, int classCount = 10)
        => ReadPair(imagesPath, labelsPath, classCount, int.MaxValue);

    /// <summary>Reads the first <paramref name="maxCount"/> items of an images file and its labels file (see <see cref="ReadImages(string, int)"/>) and checks that both hold that many.</summary>
    /// <param name="imagesPath">The images file (magic 2051).</param>
    /// <param name="labelsPath">The labels file (magic 2049).</param>
    /// <param name="classCount">Number of classes, 1..256; every label read must be in 0..classCount-1.</param>
    /// <param name="maxCount">Items to read at most, at least 0.</param>
    /// <returns>The images and the labels; label i belongs to image i.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is outside 1..256, or <paramref name="maxCount"/> is negative.</exception>
    /// <exception cref="InvalidDataException">Either file is malformed, or the counts read differ.</exception>
    /// <exception cref="IOException">A file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public static (IdxImages Images, IdxLabels Labels) ReadPair(string imagesPath, string labelsPath, int classCount, int maxCount)
    {
        CheckClassCount(classCount);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        var images = ReadImages(imagesPath, maxCount);
        var labels = ReadLabels(labelsPath, classCount, maxCount);
        CheckPair(images, labels);
        return (images, labels);
    }

    /// <summary>Reads images and labels from streams and checks that they hold the same number of items.</summary>
    /// <param name="imagesStream">The images (magic 2051); not disposed.</param>
    /// <param name="imagesName">What error messages call the images.</param>
    /// <param name="labelsStream">The labels (magic 2049); not disposed.</param>
    /// <param name="labelsName">What error messages call the labels.</param>
    /// <param name="classCount">Number of classes, 1..256; every label must be in 0..classCount-1.</param>
    /// <returns>The images and the labels; label i belongs to image i.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is outside 1..256.</exception>
    /// <exception cref="InvalidDataException">Either stream is malformed, or the counts differ.</exception>
    public static (IdxImages Images, IdxLabels Labels) ReadPair(
        Stream imagesStream, string imagesName, Stream labelsStream, string labelsName, int classCount = 10)
    {
        CheckClassCount(classCount);
        var images = ReadImages(imagesStream, imagesName);
        var labels = ReadLabels(labelsStream, labelsName, classCount);
        CheckPair(images, labels);
        return (images, labels);
    }

    /// <summary>
    /// Reads only the header of an images file (magic 2051), raw or gzip-compressed: what the file
    /// says it holds, without reading (or checking) the pixels. Costs a few bytes of decompression.
    /// </summary>
    /// <param name="path">The file; its name plays no part in detecting gzip.</param>
    /// <returns>The header's image count, rows and columns.</returns>
    /// <exception cref="InvalidDataException">The header is not that of an unsigned-byte images file, its images have more than <see cref="MaxImagePixels"/> pixels, or a raw file's length is not the header's count x rows x columns bytes after it.</exception>
    /// <exception cref="IOException">The file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public static (int Count, int Rows, int Columns) ReadImagesHeader(string path)
    {
        using var stream = RegularFile.OpenRead(path, "an IDX file");
        using var source = IdxSource.Open(stream, path);
        Span<byte> header = stackalloc byte[16];
        source.ReadHeader(header);
        CheckMagic(path, header, ImagesMagic, ImagesKind);
        (int count, int rows, int columns) = (ReadSize(path, header, 1, "images"), ReadSize(path, header, 2, "rows"), ReadSize(path, header, 3, "columns"));
        CheckImageSize(path, rows, columns);
        source.CheckBodyLength((Int128)count * rows * columns, $"{count} images of {rows}x{columns}", "pixel bytes");
        return (count, rows, columns);
    }

    /// <summary>Reads only the header of a labels file (magic 2049), raw or gzip-compressed; see <see cref="ReadImagesHeader"/>.</summary>
    /// <param name="path">The file; its name plays no part in detecting gzip.</param>
    /// <returns>The header's label count.</returns>
    /// <exception cref="InvalidDataException">The header is not that of an unsigned-byte labels file, or a raw file's length is not the header's count bytes after it.</exception>
    /// <exception cref="IOException">The file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public static int ReadLabelsHeader(string path)
    {
        using var stream = RegularFile.OpenRead(path, "an IDX file");
        using var source = IdxSource.Open(stream, path);
        Span<byte> header = stackalloc byte[8];
        source.ReadHeader(header);
        CheckMagic(path, header, LabelsMagic, LabelsKind);
        int count = ReadSize(path, header, 1, "labels");
        source.CheckBodyLength(count, $"{count} labels", "label bytes");
        return count;
    }

    private static void CheckClassCount(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classCount, 256);
    }

    private static void CheckPair(IdxImages images, IdxLabels labels)
    {
        if (images.Count != labels.Count)
        {
            throw new InvalidDataException(
                $"{images.Path}: {images.Count} images but {labels.Path} has {labels.Count} labels");
        }
    }

    private static void CheckMagic(string name, ReadOnlySpan<byte> header, int expected, string kind)
    {
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic == expected)
        {
            return;
        }

        // The likeliest cause of a wrong magic in a hand-made file is writing it little-endian.
        string hint = BinaryPrimitives.ReverseEndianness(magic) == expected
            ? $", which is {expected} with its bytes reversed: IDX headers are big-endian"
            : "";
        throw new InvalidDataException(
            $"{name}: expected magic {expected} ({kind}), got {magic} (0x{magic:X8}){hint}");
    }

    private static void CheckImageSize(string name, int rows, int columns)
    {
        if ((long)rows * columns > MaxImagePixels)
        {
            throw new InvalidDataException(
                $"{name}: header says images of {rows}x{columns} = {(long)rows * columns} pixels, expected at most 4096x4096 = {MaxImagePixels} pixels (the largest image AnnLab takes)");
        }
    }

    private static int ReadSize(string name, ReadOnlySpan<byte> header, int dimension, string what)
    {
        int size = BinaryPrimitives.ReadInt32BigEndian(header[(4 * dimension)..]);
        if (size < 0)
        {
            throw new InvalidDataException(
                $"{name}: header size {dimension} ({what}) is {size}, expected 0 or more");
        }

        return size;
    }
}

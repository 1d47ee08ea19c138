using System.Buffers.Binary;
using System.IO.Compression;

namespace AnnLab.Data;

/// <summary>
/// Images read from an IDX file of unsigned bytes with 3 dimensions (count x rows x columns).
/// </summary>
public sealed class IdxImages
{
    /// <summary>Creates a set of images; <see cref="IdxReader.ReadImages(string)"/> is the usual source.</summary>
    /// <param name="path">The file the images came from (used in messages).</param>
    /// <param name="count">Number of images, at least 0.</param>
    /// <param name="rows">Rows per image, at least 0.</param>
    /// <param name="columns">Columns per image, at least 0.</param>
    /// <param name="pixels">Pixel bytes, length <paramref name="count"/> x <paramref name="rows"/> x <paramref name="columns"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> has the wrong length.</exception>
    public IdxImages(string path, int count, int rows, int columns, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (pixels.Length != (Int128)count * rows * columns)
        {
            throw new ArgumentException(
                $"{count} images of {rows}x{columns} need {(Int128)count * rows * columns} pixel bytes, got {pixels.Length}",
                nameof(pixels));
        }

        Path = path;
        Count = count;
        Rows = rows;
        Columns = columns;
        Pixels = pixels;
    }

    /// <summary>The file the images came from.</summary>
    public string Path { get; }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Rows per image (28 for Fashion-MNIST).</summary>
    public int Rows { get; }

    /// <summary>Columns per image (28 for Fashion-MNIST).</summary>
    public int Columns { get; }

    /// <summary>
    /// Pixel intensities 0..255, shape Count x Rows x Columns: row-major within an image, one image
    /// after another, so pixel (r, c) of image i is at <c>(i * Rows + r) * Columns + c</c>.
    /// </summary>
    public byte[] Pixels { get; }
}

/// <summary>Labels read from an IDX file of unsigned bytes with 1 dimension (count).</summary>
public sealed class IdxLabels
{
    /// <summary>Creates a set of labels; <see cref="IdxReader.ReadLabels(string, int)"/> is the usual source.</summary>
    /// <param name="path">The file the labels came from (used in messages).</param>
    /// <param name="labels">One class index per item.</param>
    public IdxLabels(string path, byte[] labels)
    {
        Path = path;
        Labels = labels;
    }

    /// <summary>The file the labels came from.</summary>
    public string Path { get; }

    /// <summary>Number of labels.</summary>
    public int Count => Labels.Length;

    /// <summary>Class indices, shape Count; every one is below the class count it was read with.</summary>
    public byte[] Labels { get; }
}

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
/// returned.
/// </para>
/// </remarks>
public static class IdxReader
{
    /// <summary>Magic number of an unsigned-byte, 3-dimensional IDX file (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an unsigned-byte, 1-dimensional IDX file (labels).</summary>
    public const int LabelsMagic = 0x00000801;

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
        using var stream = File.OpenRead(path);
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
        using var stream = File.OpenRead(path);
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
        int bad = labels.AsSpan().IndexOfAnyInRange((byte)classCount, byte.MaxValue);
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

    /// <summary>The decompressed content of one IDX file, read front to back.</summary>
    private sealed class IdxSource : IDisposable
    {
        // Large enough that small files take one read, small enough that a lying header costs nothing.
        private const int FirstChunk = 1 << 16;

        private readonly string _name;
        private readonly PeekedStream _raw;
        private readonly GZipStream? _gzip;
        // Deflate expands at most 1032:1 (RFC 1951 block limits; zlib's "maximum compression factor"),
        // so a gzip file of c bytes cannot hold more than 1032 c: a safe first allocation.
        private const long MaxDeflateRatio = 1032;

        private readonly long? _length;
        private readonly long? _compressedLength;
        private readonly uint? _trailerSize; // a seekable gzip file's ISIZE, read at open: its decompressed length mod 2^32
        private long _position;

        private IdxSource(string name, PeekedStream raw, GZipStream? gzip, long? length, long? compressedLength = null, uint? trailerSize = null)
        {
            _name = name;
            _raw = raw;
            _gzip = gzip;
            _length = length;
            _compressedLength = compressedLength;
            _trailerSize = trailerSize;
        }

        public static IdxSource Open(Stream stream, string name)
        {
            var first = new byte[2];
            int peeked = stream.ReadAtLeast(first, first.Length, throwOnEndOfStream: false);
            var raw = new PeekedStream(stream, first.AsSpan(0, peeked).ToArray());
            if (peeked == 2 && first[0] == 0x1F && first[1] == 0x8B)
            {
                long? compressed = stream.CanSeek ? peeked + Math.Max(0, stream.Length - stream.Position) : null;
                return new IdxSource(name, raw, new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true), null, compressed, ReadTrailerSize(stream));
            }

            long? length = stream.CanSeek ? peeked + Math.Max(0, stream.Length - stream.Position) : null;
            return new IdxSource(name, raw, null, length);
        }

        // The ISIZE field (RFC 1952 section 2.3.1) in the last 4 bytes of a seekable stream, read
        // without disturbing its position; null when the stream cannot seek or is too short.
        private static uint? ReadTrailerSize(Stream stream)
        {
            if (!stream.CanSeek || stream.Length - stream.Position < 8)
            {
                return null;
            }

            long at = stream.Position;
            Span<byte> size = stackalloc byte[4];
            stream.Seek(-4, SeekOrigin.End);
            stream.ReadExactly(size);
            stream.Seek(at, SeekOrigin.Begin);
            return BinaryPrimitives.ReadUInt32LittleEndian(size);
        }

        public void ReadHeader(Span<byte> header)
        {
            int got = ReadFully(header);
            if (got < header.Length)
            {
                VerifyGzipTrailer(header[..got], []);
                throw new InvalidDataException($"{_name}: the IDX header needs {header.Length} bytes, got {got}");
            }
        }

        /// <summary>
        /// Reads the body: exactly <paramref name="expected"/> bytes that must end the content, or,
        /// when <paramref name="wanted"/> is smaller, just its first <paramref name="wanted"/> bytes.
        /// </summary>
        /// <param name="header">The header already read, for the gzip check.</param>
        /// <param name="expected">Body length the header claims.</param>
        /// <param name="claim">What the header says, e.g. "3 images of 28x28".</param>
        /// <param name="unit">What a body byte is, e.g. "pixel bytes".</param>
        /// <param name="wanted">Bytes to read, at most <paramref name="expected"/>.</param>
        public byte[] ReadBody(ReadOnlySpan<byte> header, Int128 expected, string claim, string unit, Int128 wanted)
        {
            bool whole = wanted >= expected;
            if (_length - _position is long available && available != expected)
            {
                throw WrongLength(claim, expected, unit, available);
            }

            if (expected > Array.MaxLength)
            {
                throw new InvalidDataException(
                    $"{_name}: header says {claim}, that is {expected} {unit}, more than the {Array.MaxLength} one array can hold");
            }

            int length = (int)Int128.Min(expected, wanted);
            // Without a known length, grow with the data so a header cannot make us allocate what is not
            // there; a gzip file of known size bounds what it can hold, so a truthful header is
            // allocated once.
            long first = _length ?? Math.Max(FirstChunk, (_compressedLength ?? 0) * MaxDeflateRatio);
            var body = new byte[(int)Math.Min(length, first)];
            int filled = 0;
            while (filled < length)
            {
                if (filled == body.Length)
                {
                    Array.Resize(ref body, (int)Math.Min(length, 2L * body.Length));
                }

                int read = Read(body.AsSpan(filled));
                if (read == 0)
                {
                    VerifyGzipTrailer(header, body.AsSpan(0, filled));
                    throw WrongLength(claim, expected, unit, filled);
                }

                filled += read;
            }

            if (!whole)
            {
                CheckTrailerSize(header.Length + expected, claim, unit, expected);
                return body;
            }

            long extra = CountRemaining();
            if (extra > 0)
            {
                throw WrongLength(claim, expected, unit, expected + extra);
            }

            VerifyGzipTrailer(header, body);
            return body;
        }

        public void Dispose() => _gzip?.Dispose();

        // Reading only the front of a gzip file leaves its end unread; its trailer's ISIZE still says
        // how long the whole decompresses to (mod 2^32). One member of the right length matches; a
        // file cut short ends in deflate bits, which match with odds of about 2^-32 and are mostly
        // larger than the whole. A smaller ISIZE may be the last of several concatenated members,
        // which only reading to the end can check, so it passes.
        private void CheckTrailerSize(Int128 total, string claim, string unit, Int128 expected)
        {
            if (_gzip is null || _trailerSize is not uint size || size == (uint)(total % ((Int128)uint.MaxValue + 1)) || (total < uint.MaxValue && size < total))
            {
                return;
            }

            throw new InvalidDataException(
                $"{_name}: the gzip data is truncated or corrupt: header says {claim}, expected {expected} {unit} " +
                $"({total} bytes with the header), but the gzip trailer says the file decompresses to {size}, as when a file is cut short");
        }

        private InvalidDataException WrongLength(string claim, Int128 expected, string unit, Int128 got) =>
            new($"{_name}: header says {claim}, expected {expected} {unit}, got {got}");

        private int Read(Span<byte> buffer)
        {
            if (_gzip is null)
            {
                int raw = _raw.Read(buffer);
                _position += raw;
                return raw;
            }

            try
            {
                int read = _gzip.Read(buffer);
                _position += read;
                return read;
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                throw new InvalidDataException($"{_name}: the gzip data is corrupt: {e.Message}", e);
            }
        }

        private int ReadFully(Span<byte> buffer)
        {
            int filled = 0;
            while (filled < buffer.Length)
            {
                int read = Read(buffer[filled..]);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            return filled;
        }

        private long CountRemaining()
        {
            Span<byte> scratch = stackalloc byte[4096];
            long count = 0;
            for (int read; (read = Read(scratch)) > 0;)
            {
                count += read;
            }

            return count;
        }

        /// <summary>
        /// Checks the CRC-32 and ISIZE trailer (RFC 1952 section 2.3.1) that closes the compressed
        /// input against the decompressed bytes it covers, <paramref name="head"/> then <paramref name="body"/>.
        /// </summary>
        /// <remarks>
        /// GZipStream verifies a trailer that is there, but when the input is cut, even inside the
        /// trailer, it just ends the data, silently. So the last 8 input bytes must be a trailer that fits.
        /// With one member (the usual case) its ISIZE must equal the decompressed length: a cut leaves
        /// deflate bits or a shifted trailer there, which match with odds of about 2^-32, and an intact
        /// trailer's CRC-32 GZipStream has checked already. A smaller ISIZE means several concatenated
        /// members; the last covers the last ISIZE bytes, and only its CRC-32 can vouch for it.
        /// </remarks>
        private void VerifyGzipTrailer(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
        {
            if (_gzip is null)
            {
                return;
            }

            _raw.SkipToEnd();
            ReadOnlySpan<byte> trailer = _raw.Tail;
            long total = head.Length + (long)body.Length;
            if (trailer.Length < 8)
            {
                throw new InvalidDataException(
                    $"{_name}: the gzip data is truncated: {_raw.BytesRead} bytes, too short for its 8-byte trailer");
            }

            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
            bool intact = size == total || (size < total && crc == Crc32.Of(head, body, size));
            if (!intact)
            {
                throw new InvalidDataException(
                    $"{_name}: the gzip data is truncated or corrupt: it decompressed to {total} bytes, " +
                    "but its last 8 bytes are not the gzip trailer (CRC-32 and size) of that data, as when a file is cut short");
            }
        }
    }

    /// <summary>
    /// A read-only stream that serves bytes already peeked from another stream, then the rest of it,
    /// remembering the last 8 bytes served (the gzip trailer).
    /// </summary>
    private sealed class PeekedStream(Stream inner, byte[] peeked) : Stream
    {
        private readonly byte[] _tail = new byte[8];
        private int _peekedUsed;
        private int _tailLength;

        public long BytesRead { get; private set; }

        public ReadOnlySpan<byte> Tail => _tail.AsSpan(0, _tailLength);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(Span<byte> buffer)
        {
            int read;
            if (_peekedUsed < peeked.Length)
            {
                read = Math.Min(buffer.Length, peeked.Length - _peekedUsed);
                peeked.AsSpan(_peekedUsed, read).CopyTo(buffer);
                _peekedUsed += read;
            }
            else
            {
                read = inner.Read(buffer);
            }

            Remember(buffer[..read]);
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public void SkipToEnd()
        {
            Span<byte> scratch = stackalloc byte[4096];
            while (Read(scratch) > 0)
            {
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private void Remember(ReadOnlySpan<byte> read)
        {
            BytesRead += read.Length;
            if (read.Length >= _tail.Length)
            {
                read[^_tail.Length..].CopyTo(_tail);
                _tailLength = _tail.Length;
                return;
            }

            int keep = Math.Min(_tailLength, _tail.Length - read.Length);
            _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
            read.CopyTo(_tail.AsSpan(keep));
            _tailLength = keep + read.Length;
        }
    }

    /// <summary>CRC-32 of gzip (ISO 3309, reflected polynomial 0xEDB88320), table-driven as in RFC 1952 section 8.</summary>
    private static class Crc32
    {
        private static readonly uint[] Table = BuildTable();

        /// <summary>CRC-32 of the last <paramref name="count"/> bytes of <paramref name="head"/> followed by <paramref name="body"/>.</summary>
        public static uint Of(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body, uint count)
        {
            int fromHead = (int)Math.Max(0, count - (long)body.Length);
            uint crc = Update(0xFFFFFFFFu, head[^fromHead..]);
            crc = Update(crc, body[^(int)(count - fromHead)..]);
            return ~crc;
        }

        private static uint Update(uint crc, ReadOnlySpan<byte> bytes)
        {
            foreach (byte b in bytes)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            return crc;
        }

        private static uint[] BuildTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < table.Length; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}

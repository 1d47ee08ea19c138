using System.Buffers.Binary;
using System.IO.Compression;

namespace AnnLab.Data;

/// <summary>The decompressed content of one IDX file, read front to back.</summary>
internal sealed class IdxSource : IDisposable
{
    // Large enough that small files take one read, small enough that a lying header costs nothing.
    private const int FirstChunk = 1 << 16;

    private readonly string _name;
    private readonly PeekedStream _raw;
    private readonly GZipStream? _gzip;
    private readonly long? _length;
    private readonly uint? _trailerSize; // a seekable gzip file's ISIZE, read at open: its decompressed length mod 2^32
    private readonly Stream? _seekable; // the file itself when it can seek, read again to tell why GZipStream failed
    private long _position;

    private IdxSource(string name, PeekedStream raw, GZipStream? gzip, long? length, uint? trailerSize = null, Stream? seekable = null)
    {
        _name = name;
        _raw = raw;
        _gzip = gzip;
        _length = length;
        _trailerSize = trailerSize;
        _seekable = seekable;
    }

    public static IdxSource Open(Stream stream, string name)
    {
        var first = new byte[2];
        int peeked = stream.ReadAtLeast(first, first.Length, throwOnEndOfStream: false);
        var raw = new PeekedStream(stream, first.AsSpan(0, peeked).ToArray());
        if (peeked == 2 && first[0] == 0x1F && first[1] == 0x8B)
        {
            long start = stream.CanSeek ? stream.Position - peeked : -1;
            return new IdxSource(name, raw, new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true), null, ReadTrailerSize(stream), start == 0 ? stream : null);
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

    /// <summary>Checks that a raw file's body is exactly <paramref name="expected"/> bytes (a gzip stream's length is learnt only by reading it).</summary>
    public void CheckBodyLength(Int128 expected, string claim, string unit)
    {
        if (_length - _position is long available && available != expected)
        {
            throw WrongLength(claim, expected, unit, available);
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
        CheckBodyLength(expected, claim, unit);
        if (expected > Array.MaxLength)
        {
            throw new InvalidDataException(
                $"{_name}: header says {claim}, that is {expected} {unit}, more than the {Array.MaxLength} one array can hold");
        }

        int length = (int)Int128.Min(expected, wanted);
        // Without a known length, grow with the data, doubling, so a header cannot make us allocate
        // what is not there (a 2 MB gzip file may claim, and its deflate bound allow, 2 GB).
        long first = _length ?? FirstChunk;
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
            // GZipStream says "unsupported compression method" for every damage, a CRC-32 that does not
            // match as much as deflate data that cannot be decoded; what the user needs is which file and what.
            throw new InvalidDataException($"{_name}: {Diagnose() ?? $"the gzip data is corrupt: not valid deflate data or a gzip trailer that does not match after {_position} decompressed bytes"}", e);
        }
    }

    // Why GZipStream failed, found by decoding the file's first member again as raw deflate (RFC 1951)
    // and checking it against the trailer in the file's last 8 bytes (RFC 1952 section 2.3.1); null
    // when the file cannot be read again or its first member is intact (a later member is at fault).
    private string? Diagnose()
    {
        if (_seekable is null)
        {
            return null;
        }

        try
        {
            _seekable.Seek(0, SeekOrigin.Begin);
            SkipGzipHeader(_seekable);
            using var deflate = new DeflateStream(_seekable, CompressionMode.Decompress, leaveOpen: true);
            var buffer = new byte[1 << 16];
            uint crc = Crc32.Start;
            long total = 0;
            try
            {
                for (int read; (read = deflate.Read(buffer)) > 0;)
                {
                    crc = Crc32.Update(crc, buffer.AsSpan(0, read));
                    total += read;
                }
            }
            catch (InvalidDataException)
            {
                return $"the gzip data is corrupt: not valid deflate data after {total} decompressed bytes";
            }

            Span<byte> trailer = stackalloc byte[8];
            _seekable.Seek(-8, SeekOrigin.End);
            _seekable.ReadExactly(trailer);
            bool crcMatches = BinaryPrimitives.ReadUInt32LittleEndian(trailer) == ~crc;
            bool sizeMatches = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) == (uint)total;
            return (crcMatches, sizeMatches) switch
            {
                (false, true) => $"the gzip CRC-32 does not match the {total} decompressed bytes (the data is corrupt)",
                (true, false) => $"the gzip trailer's size does not match the {total} decompressed bytes (the data is corrupt)",
                (false, false) => $"the gzip trailer (CRC-32 and size) does not match the {total} decompressed bytes (the data is corrupt)",
                _ => null,
            };
        }
        catch (Exception e) when (e is IOException or NotSupportedException or ObjectDisposedException)
        {
            return null;
        }
    }

    // Past a gzip member's header (RFC 1952 section 2.3): 10 bytes, then the optional extra field, name, comment and header CRC its flags announce.
    private static void SkipGzipHeader(Stream stream)
    {
        Span<byte> fixedPart = stackalloc byte[10];
        stream.ReadExactly(fixedPart);
        byte flags = fixedPart[3];
        if ((flags & 4) != 0)
        {
            Span<byte> length = stackalloc byte[2];
            stream.ReadExactly(length);
            stream.Seek(BinaryPrimitives.ReadUInt16LittleEndian(length), SeekOrigin.Current);
        }

        foreach (int zeroEnded in new[] { 8, 16 })
        {
            if ((flags & zeroEnded) != 0)
            {
                int b;
                while ((b = stream.ReadByte()) > 0)
                {
                }

                if (b < 0)
                {
                    throw new EndOfStreamException();
                }
            }
        }

        if ((flags & 2) != 0)
        {
            stream.Seek(2, SeekOrigin.Current);
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

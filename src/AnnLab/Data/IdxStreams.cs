namespace AnnLab.Data;

/// <summary>
/// A read-only stream that serves bytes already peeked from another stream, then the rest of it,
/// remembering the last 8 bytes served (the gzip trailer).
/// </summary>
internal sealed class PeekedStream(Stream inner, byte[] peeked) : Stream
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
internal static class Crc32
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

    /// <summary>The register before any byte: pass to <see cref="Update"/>, and complement the end.</summary>
    public const uint Start = 0xFFFFFFFFu;

    /// <summary>Runs <paramref name="bytes"/> through the register <paramref name="crc"/>.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> bytes)
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

using System.Globalization;
using AnnLab.IO;

namespace AnnLab.Data;

/// <summary>
/// What a known data set's IDX file is: the most items it may hold, and what identifies the
/// original: the SHA-256 of its whole decompressed content (header and body), and the MD5 of the
/// .gz file as published (what publishers and torchvision list; another gzip of the same content
/// has other bytes, so it is told by its SHA-256).
/// </summary>
/// <param name="Count">Images or labels in the original file; a file may hold fewer (a subset), never more.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the original's decompressed content, or null when not known.</param>
/// <param name="GzipMd5">Lower-case hex MD5 of the published .gz file, or null when not known.</param>
public sealed record KnownIdxFile(int Count, string? Sha256, string? GzipMd5 = null)
{
    /// <summary>True when either checksum is known.</summary>
    public bool HasChecksum => Sha256 is not null || GzipMd5 is not null;

    /// <summary>True when <paramref name="sha256"/> or <paramref name="gzipMd5"/> (null when the file is not gzip) is the original's.</summary>
    public bool IsOriginal(string sha256, string? gzipMd5) => (Sha256 is not null && Sha256 == sha256) || (GzipMd5 is not null && GzipMd5 == gzipMd5);
}

/// <summary>
/// What a known data set's four IDX files must be: the shape of its images, and per file name
/// its <see cref="KnownIdxFile"/>. A header that claims another shape or more items is refused
/// when the folder is opened, so no file can make a reader allocate more than the data set holds.
/// </summary>
/// <param name="Shape">The images' shape, e.g. 28x28.</param>
/// <param name="Files">File name -> what it must be.</param>
public sealed record KnownIdxData(ImageShape Shape, IReadOnlyDictionary<string, KnownIdxFile> Files)
{
    /// <summary>What the file <paramref name="fileName"/> must be: its entry, or that of its .gz name when it is stored raw (without .gz); null when it is none of the data set's.</summary>
    public KnownIdxFile? Spec(string fileName)
        => Files.GetValueOrDefault(fileName) ?? Files.GetValueOrDefault(fileName + ".gz");
}

/// <summary>
/// Files already read to their end and found intact (gzip CRC-32 and length, and the known SHA-256
/// where there is one), remembered by (full path, size, modification time) in a small text file, so
/// that a later run may read only the front of them. A broken or unreadable cache is ignored (every
/// file is then read to its end); it is written atomically, and failing to write it costs only time.
/// </summary>
/// <remarks>A file changed in place to the same size and modification time (<c>touch -r</c>) is not noticed.</remarks>
public sealed class VerifiedFiles
{
    private const int MaxEntries = 64;

    /// <summary>Uses the cache file <paramref name="path"/>; null remembers nothing (every file is read to its end).</summary>
    public VerifiedFiles(string? path)
    {
        Path = path;
    }

    /// <summary>The cache file, or null.</summary>
    public string? Path { get; }

    /// <summary>
    /// The user's cache: <c>$XDG_CACHE_HOME/annlab/verified-idx-files.tsv</c>, else
    /// <c>~/.cache/annlab/verified-idx-files.tsv</c>; none without a home folder.
    /// </summary>
    public static VerifiedFiles Default
    {
        get
        {
            string? cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrWhiteSpace(cache) || !System.IO.Path.IsPathRooted(cache))
            {
                string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                cache = string.IsNullOrEmpty(home) ? null : System.IO.Path.Combine(home, ".cache");
            }

            return new VerifiedFiles(cache is null ? null : System.IO.Path.Combine(cache, "annlab", "verified-idx-files.tsv"));
        }
    }

    /// <summary>True when <paramref name="file"/>, as it is now, was read to its end and found intact with content hash <paramref name="sha256"/> (any hash when null).</summary>
    public bool Contains(string file, string? sha256)
        => Find(file) is { } found && (sha256 is null || found.Sha256 == sha256);

    /// <summary>The checksums remembered for <paramref name="file"/> as it is now (the SHA-256 of its decompressed content, the MD5 of its gzip bytes or null), or null when it is not remembered.</summary>
    public (string Sha256, string? GzipMd5)? Find(string file)
    {
        string? key = Key(file);
        if (key is null)
        {
            return null;
        }

        foreach ((string k, string hashes) in Read())
        {
            if (k == key)
            {
                string[] parts = hashes.Split(':');
                return (parts[0], parts.Length > 1 ? parts[1] : null);
            }
        }

        return null;
    }

    /// <summary>Remembers that <paramref name="file"/>, as it is now, was read to its end and found intact, with its checksums; never throws for the cache's sake.</summary>
    public void Add(string file, string sha256, string? gzipMd5 = null)
    {
        sha256 = gzipMd5 is null ? sha256 : $"{sha256}:{gzipMd5}";
        string? key = Key(file);
        if (key is null || Path is null)
        {
            return;
        }

        var entries = Read().Where(e => e.Key != key).TakeLast(MaxEntries - 1).Append((Key: key, Sha256: sha256));
        try
        {
            AtomicFile.WriteAllText(Path, string.Concat(entries.Select(e => $"{e.Sha256}\t{e.Key}\n")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk or a read-only home: the next run reads the file to its end again.
        }
    }

    // "size\tmtime-ticks\tfull path" of the file as it is now, or null when it cannot be looked at.
    private static string? Key(string file)
    {
        try
        {
            var info = new FileInfo(file);
            return info.Exists ? string.Create(CultureInfo.InvariantCulture, $"{info.Length}\t{info.LastWriteTimeUtc.Ticks}\t{info.FullName}") : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private List<(string Key, string Sha256)> Read()
    {
        var entries = new List<(string Key, string Sha256)>();
        if (Path is null)
        {
            return entries;
        }

        try
        {
            var info = new FileInfo(Path);
            if (!info.Exists || info.Length > 1 << 20)
            {
                return entries;
            }

            foreach (string line in File.ReadAllLines(Path))
            {
                int tab = line.IndexOf('\t', StringComparison.Ordinal);
                if ((tab == 64 || (tab == 97 && line[64] == ':')) && line.Count(c => c == '\t') == 3)
                {
                    entries.Add((line[(tab + 1)..], line[..tab]));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            entries.Clear();
        }

        return entries;
    }
}

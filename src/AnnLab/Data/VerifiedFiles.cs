using System.Globalization;
using AnnLab.IO;

namespace AnnLab.Data;

/// <summary>
/// What a known data set's IDX file is: the most items it may hold, and the SHA-256 of the whole
/// decompressed file (header and body) when it holds them all.
/// </summary>
/// <param name="Count">Images or labels in the original file; a file may hold fewer (a subset), never more.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the original's decompressed content.</param>
public sealed record KnownIdxFile(int Count, string Sha256);

/// <summary>
/// What a known data set's four IDX files must be: the shape of its images, and per file name
/// its <see cref="KnownIdxFile"/>. A header that claims another shape or more items is refused
/// when the folder is opened, so no file can make a reader allocate more than the data set holds.
/// </summary>
/// <param name="Shape">The images' shape, e.g. 28x28.</param>
/// <param name="Files">File name -> what it must be.</param>
public sealed record KnownIdxData(ImageShape Shape, IReadOnlyDictionary<string, KnownIdxFile> Files);

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
    {
        string? key = Key(file);
        return key is not null && Read().Any(e => e.Key == key && (sha256 is null || e.Sha256 == sha256));
    }

    /// <summary>Remembers that <paramref name="file"/>, as it is now, was read to its end and found intact; never throws for the cache's sake.</summary>
    public void Add(string file, string sha256)
    {
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
                if (tab == 64 && line.Count(c => c == '\t') == 3)
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

using System.CommandLine;
using System.Globalization;
using AnnLab.Training;

namespace AnnLab.Cli;

/// <summary>
/// Reads option values as text, so every bad value gets AnnLab's one-line message (option, value
/// found, what is allowed) and exit code 2, and a decimal comma is refused instead of being read
/// as a thousands separator ("0,1" is not 1).
/// </summary>
internal static class OptionValues
{
    public static double Double(string property, string text, string allowed)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new OptionOutOfRangeException(property, Quote(text), $"{allowed} (a number with a decimal point, e.g. 0.1 or 1e-5)");
        }

        return value;
    }

    public static int Int(string property, string text, string allowed)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            throw new OptionOutOfRangeException(property, Quote(text), allowed);
        }

        return value;
    }

    /// <summary>The option's value: as given, else the preset's (option name -> value), else its default.</summary>
    public static string Value(ParseResult parse, Option<string> option, IReadOnlyDictionary<string, string> preset)
        => parse.GetResult(option) is { Implicit: false } || !preset.TryGetValue(option.Name, out string? value) ? parse.GetValue(option)! : value;

    /// <summary>A command's --output: a new or empty folder for <paramref name="contents"/>, claimed by <see cref="ClaimRunFolder"/>.</summary>
    public static Option<string?> RunFolderOption(string contents)
        => new("--output") { HelpName = "DIR", Description = $"A new or empty folder for {contents} [default: runs/<timestamp>]" };

    /// <summary>A value as the user typed it, quoted when it is empty or has spaces (so an empty value reads <c>''</c>).</summary>
    public static string Quote(string text) => text.Length == 0 || text.Any(char.IsWhiteSpace) ? $"'{text}'" : text;

    /// <summary>The longest text from a file or the user that a message or table echoes.</summary>
    public const int EchoLimit = 200;

    /// <summary>
    /// Text from a file or the user made safe to print: control and format characters (ESC, BEL,
    /// newlines, bidi overrides) become <c>\uXXXX</c>, so no escape sequence reaches the terminal
    /// and a message stays one line; text that prints longer than <paramref name="limit"/> characters is cut, saying how long it was.
    /// </summary>
    public static string Printable(string text, int limit = EchoLimit)
    {
        var sb = new System.Text.StringBuilder(Math.Min(text.Length, limit + 40));
        foreach (char c in text)
        {
            if (sb.Length >= limit)
            {
                return sb.Append(CultureInfo.InvariantCulture, $"... ({text.Length} characters)").ToString();
            }

            UnicodeCategory category = char.GetUnicodeCategory(c);
            if (char.IsControl(c) || category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Checks a JSON file path the command will write at the end, before any work: a new path or
    /// an existing regular file holding JSON, in a folder AnnLab can write (a probe file is created
    /// and deleted), not in a run folder (<see cref="RunFolderFiles"/>), and neither inside, nor
    /// the same as, nor a folder holding any of <paramref name="keepOut"/> (the run folder, the data
    /// folder, the files the command reads). Paths are compared with every symbolic link resolved.
    /// </summary>
    public static string OutputFile(string property, string path, params string?[] keepOut)
        => CheckOutputFile(property, path, json: true, keepOut);

    /// <summary>
    /// As <see cref="OutputFile"/> for a file that is not JSON (export's ONNX file): in a run folder
    /// only a file with the extension <paramref name="extension"/>, which no run writes there.
    /// </summary>
    public static string OutputFileOf(string extension, string property, string path, params string?[] keepOut)
        => CheckOutputFile(property, path, json: false, keepOut, extension);

    private static string CheckOutputFile(string property, string path, bool json, string?[] keepOut, string? extension = null)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new OptionOutOfRangeException(property, Quote(path), "a file path");
        }

        string full = Path.GetFullPath(path);
        string real = RealPath(full);
        if (Directory.Exists(real))
        {
            throw new OptionOutOfRangeException(property, path, "a file path, not a folder");
        }

        bool exists = Path.Exists(full);
        if (new FileInfo(full).LinkTarget is not null || (exists && (real.StartsWith("/dev/", StringComparison.Ordinal) || real.StartsWith("/proc/", StringComparison.Ordinal) || real.StartsWith("/sys/", StringComparison.Ordinal) || !IsRegularFile(full))))
        {
            throw new OptionOutOfRangeException(property, path, "a new file or an existing regular file (this is a device, a FIFO, a socket, a system file or a link; AnnLab replaces the file it writes)");
        }

        foreach (string? other in keepOut)
        {
            if (string.IsNullOrWhiteSpace(other))
            {
                continue;
            }

            string kept = RealPath(Path.GetFullPath(other));
            if (real == kept || IsInside(real, kept) || IsInside(kept, real))
            {
                throw new OptionOutOfRangeException(property, path, Directory.Exists(kept) || IsInside(real, kept)
                    ? $"a file outside {Printable(other)} (AnnLab does not replace the files there)"
                    : $"a file other than {Printable(other)}, which this command reads or writes (AnnLab does not replace it)");
            }
        }

        string? parent = Path.GetDirectoryName(real);
        if (parent is not null && !Directory.Exists(parent))
        {
            throw new OptionOutOfRangeException(property, path, $"a file in an existing folder ({Path.GetDirectoryName(full)} does not exist or is not a folder)");
        }

        if (parent is not null && RunFileIn(parent) is { } runFile && (json || !full.EndsWith(extension!, StringComparison.OrdinalIgnoreCase)))
        {
            throw new OptionOutOfRangeException(property, path, $"a file outside the run folder {Path.GetDirectoryName(full)} (it holds {runFile}; AnnLab does not replace a run's files)");
        }

        if (json && exists && !LooksLikeJson(real))
        {
            throw new OptionOutOfRangeException(property, path, "a new file or an earlier JSON output (this file holds something else; AnnLab does not replace it)");
        }

        string? unwritable = Unwritable(parent ?? ".");
        if (unwritable is not null)
        {
            throw new OptionOutOfRangeException(property, path, $"a file in a folder AnnLab can write ({unwritable})");
        }

        return full;
    }

    /// <summary>
    /// The files that make a folder a run folder: what train, evaluate, compare and sweep write only
    /// into the folder they claim (a results.json or a figure alone may be a --json or data output).
    /// </summary>
    public static readonly IReadOnlyList<string> RunFolderFiles = [Marker, "model.annlab", "checkpoint.annlab-ckpt", "report.html", "evaluation.json", "compare.json", "sweep.csv"];

    /// <summary>The first of <see cref="RunFolderFiles"/> that <paramref name="folder"/> holds, or null when it is no run folder.</summary>
    public static string? RunFileIn(string folder) => RunFolderFiles.FirstOrDefault(f => Path.Exists(Path.Combine(folder, f)));

    /// <summary>
    /// <paramref name="path"/> made absolute with every symbolic link in it resolved, its parent
    /// folders' too (as realpath(3)); the part that does not exist yet is kept as written.
    /// </summary>
    public static string RealPath(string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        for (int hops = 0; hops < 40; hops++)
        {
            string? parent = Path.GetDirectoryName(full);
            if (parent is null)
            {
                return full;
            }

            string resolved = Path.Combine(RealPath(parent), Path.GetFileName(full));
            string? target;
            try
            {
                target = new FileInfo(resolved).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return resolved;
            }

            if (target is null)
            {
                return resolved;
            }

            full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target, Path.GetDirectoryName(resolved)!));
        }

        return full;
    }

    private static bool IsRegularFile(string path)
    {
        try
        {
            AnnLab.IO.RegularFile.Check(path, "a file");
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return false;
        }
    }

    // An empty file, or one whose first non-blank character opens a JSON object or array: what an earlier --json wrote.
    private static bool LooksLikeJson(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            var head = new byte[4096];
            int n = stream.Read(head);
            foreach (byte b in head.AsSpan(0, n))
            {
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
                {
                    continue;
                }

                return b is (byte)'{' or (byte)'[';
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;   // the write reports why it cannot replace it
        }
    }

    /// <summary>Checks an existing or new folder that a command writes fixed-name files to: null when it can be written, else why not.</summary>
    public static string? Unwritable(string folder)
    {
        string probe = Path.Combine(folder, $".annlab-probe.{Environment.ProcessId}.{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{folder}: {e.Message.Replace(probe, folder, StringComparison.Ordinal)}";
        }
    }

    private static bool IsInside(string file, string folder)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (root.Length == 0 || root == Path.GetPathRoot(root))
        {
            return file != root && file.StartsWith(root, StringComparison.Ordinal);
        }

        root += Path.DirectorySeparatorChar;
        return file.StartsWith(root, StringComparison.Ordinal);
    }

    private const string Marker = ".annlab-run";

    // Claimed run folders not yet completed, with whether this run created them (only those it may delete).
    private static readonly Dictionary<string, bool> Claimed = [];

    // Figure folders this run created (data, explain, plot): removed by ReleaseRunFolders if a failure leaves them empty.
    private static readonly List<string> Made = [];

    /// <summary>Notes a folder this run created for its figures: a failure that leaves it empty removes it (nothing is left half-made).</summary>
    public static void RemoveIfLeftEmpty(string folder)
    {
        lock (Claimed)
        {
            Made.Add(folder);
        }
    }

    /// <summary>
    /// Claims a new, empty run folder: the one given (which must not exist or be empty), or
    /// runs/&lt;timestamp&gt; with a suffix -2, -3... when that is taken. The claim is an exclusive
    /// create of a marker file, .annlab-run, so two runs never share a folder, and it proves the
    /// folder writable; the marker stays until <see cref="CompleteRunFolder"/>, so a folder that
    /// still holds it holds an unfinished run.
    /// </summary>
    public static string ClaimRunFolder(string property, string? path)
    {
        // Under the lock a signal's release takes, so a folder is created, marked and registered
        // before the release or not at all (a claim after it never starts: the process is ending).
        lock (Claimed)
        {
            while (exiting)
            {
                Monitor.Wait(Claimed);
            }

            return Claim(property, path);
        }
    }

    // Set by the release of a signal handler that is about to end the process.
    private static bool exiting;

    private static string Claim(string property, string? path)
    {
        if (path is not null)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new OptionOutOfRangeException(property, Quote(path), "a folder path");
            }

            if (File.Exists(path))
            {
                throw new OptionOutOfRangeException(property, path, "a new or empty folder, not a file");
            }

            const string earlier = "a new or empty folder (this one holds files of an earlier run; AnnLab does not overwrite them)";
            if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any(e => Path.GetFileName(e) != Marker))
            {
                throw new OptionOutOfRangeException(property, path, earlier);
            }

            bool created = !Directory.Exists(path);
            try
            {
                Directory.CreateDirectory(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OptionOutOfRangeException(property, path, $"a folder that can be created ({e.Message})");
            }

            switch (TryClaim(path, created))
            {
                case ClaimResult.Taken:
                    throw new OptionOutOfRangeException(property, path, $"a folder no other run is writing to (another annlab run holds it, or one was killed: if none is running, delete {Path.Combine(path, Marker)})");
                case ClaimResult.NotEmpty:
                    throw new OptionOutOfRangeException(property, path, earlier);
                case ClaimResult.Unwritable:
                    throw new OptionOutOfRangeException(property, path, $"a folder AnnLab can write ({Unwritable(path)})");
            }

            return path;
        }

        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        for (int i = 1; ; i++)
        {
            string folder = Path.Combine("runs", i == 1 ? stamp : $"{stamp}-{i}");
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OptionOutOfRangeException(property, folder, $"a folder that can be created ({e.Message})");
            }

            switch (TryClaim(folder, created: true))
            {
                case ClaimResult.Claimed:
                    return folder;
                case ClaimResult.Unwritable:
                    throw new OptionOutOfRangeException(property, folder, $"a folder AnnLab can write ({Unwritable(folder)})");
            }

            // Taken by another run, or a finished one of the same second: try the next suffix.
        }
    }

    private enum ClaimResult { Claimed, Taken, NotEmpty, Unwritable }

    private static ClaimResult TryClaim(string folder, bool created)
    {
        string marker = Path.Combine(folder, Marker);
        try
        {
            using (new FileStream(marker, FileMode.CreateNew))
            {
            }
        }
        catch (IOException) when (File.Exists(marker))
        {
            return ClaimResult.Taken;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ClaimResult.Unwritable;
        }

        // A run that finished between the check and the claim left its files: they stay its own.
        if (Directory.EnumerateFileSystemEntries(folder).Any(e => Path.GetFileName(e) != Marker))
        {
            File.Delete(marker);
            return ClaimResult.NotEmpty;
        }

        lock (Claimed)
        {
            Claimed[folder] = created;
        }

        return ClaimResult.Claimed;
    }

    /// <summary>Marks a claimed run folder finished: removes its marker.</summary>
    public static void CompleteRunFolder(string folder)
    {
        lock (Claimed)
        {
            File.Delete(Path.Combine(folder, Marker));
            Claimed.Remove(folder);
        }
    }

    /// <summary>
    /// On the way out of a failed or interrupted run: a claimed folder that holds nothing but the
    /// marker (and temporary files) is deleted when the run created it, else only the marker goes
    /// (a folder the user made stays); one that holds files keeps its marker, which marks them unfinished.
    /// </summary>
    /// <returns>What was left behind, for the user's last line: "" when nothing.</returns>
    /// <param name="exiting">True from a signal handler that ends the process next: claims after this one wait until it has.</param>
    public static string ReleaseRunFolders(bool exiting = false)
    {
        var kept = new List<string>();
        lock (Claimed)
        {
            OptionValues.exiting |= exiting;
            foreach ((string folder, bool created) in Claimed)
            {
                try
                {
                    string[] entries = Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder) : [];
                    if (entries.All(e => Path.GetFileName(e) == Marker || e.EndsWith(".tmp", StringComparison.Ordinal)))
                    {
                        if (created)
                        {
                            Directory.Delete(folder, recursive: true);
                        }
                        else
                        {
                            foreach (string e in entries)
                            {
                                File.Delete(e);
                            }
                        }
                    }
                    else
                    {
                        kept.Add(folder);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    kept.Add(folder);
                }
            }

            Claimed.Clear();
            foreach (string folder in Made)
            {
                try
                {
                    if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
                    {
                        Directory.Delete(folder);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Left as it is: nothing in it.
                }
            }

            Made.Clear();
        }

        return kept.Count == 0 ? "" : $"; unfinished outputs kept in {string.Join(", ", kept)} (marked by {Marker})";
    }
}

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

    /// <summary>Checks a file path the command will write at the end, before any work.</summary>
    public static string OutputFile(string property, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new OptionOutOfRangeException(property, Quote(path), "a file path");
        }

        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new OptionOutOfRangeException(property, path, "a file path, not a folder");
        }

        string? parent = Path.GetDirectoryName(full);
        if (parent is not null && !Directory.Exists(parent))
        {
            throw new OptionOutOfRangeException(property, path, $"a file in an existing folder ({parent} does not exist or is not a folder)");
        }

        return full;
    }

    /// <summary>
    /// Claims a new, empty run folder: the one given (which must not exist or be empty), or
    /// runs/&lt;timestamp&gt; with a suffix -2, -3... when that is taken (also by a run started in the
    /// same second: the claim is an exclusive create of a marker file).
    /// </summary>
    public static string ClaimRunFolder(string property, string? path)
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

            if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            {
                throw new OptionOutOfRangeException(property, path, "a new or empty folder (this one holds files of an earlier run; AnnLab does not overwrite them)");
            }

            try
            {
                Directory.CreateDirectory(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OptionOutOfRangeException(property, path, $"a folder that can be created ({e.Message})");
            }

            return path;
        }

        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        for (int i = 1; ; i++)
        {
            string folder = Path.Combine("runs", i == 1 ? stamp : $"{stamp}-{i}");
            Directory.CreateDirectory(folder);
            try
            {
                using (new FileStream(Path.Combine(folder, ".annlab-run"), FileMode.CreateNew))
                {
                }

                return folder;
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, ".annlab-run")))
            {
                // Taken by another run: try the next suffix.
            }
        }
    }

    /// <summary>Deletes a claimed run folder if it holds nothing but the claim (the run wrote no file yet).</summary>
    public static void ReleaseRunFolder(string folder)
    {
        try
        {
            string marker = Path.Combine(folder, ".annlab-run");
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).All(e => e == marker))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort on the way out.
        }
    }
}

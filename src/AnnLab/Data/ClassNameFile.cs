using System.Text;
using AnnLab.IO;

namespace AnnLab.Data;

/// <summary>
/// A class-names file (<see cref="DataRequest.ClassNames"/>): UTF-8 text, one name per line, the
/// name of label 0 first; LF or CRLF endings, a trailing blank line allowed.
/// </summary>
public static class ClassNameFile
{
    /// <summary>The most class names a data set may have (labels are bytes).</summary>
    public const int MaxClasses = 256;

    /// <summary>Reads the class names in <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>1..256 names, indexed by label.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">A folder or FIFO, not UTF-8, no name, an empty or duplicate name, or more than 256 names; the message names the file and the line.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<string> Read(string path)
    {
        string text;
        using (FileStream stream = RegularFile.OpenRead(path, "a class-names file (one name per line)"))
        {
            if (stream.Length > 1 << 20)
            {
                throw new InvalidDataException($"{path}: {stream.Length} bytes; expected a class-names file of at most 1 MiB (one name per line, at most {MaxClasses} names)");
            }

            using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
            try
            {
                text = reader.ReadToEnd();
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidDataException($"{path}: is not UTF-8 text; expected a class-names file (one name per line)");
            }
        }

        string[] lines = text.Split('\n');
        int count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        if (count == 0)
        {
            throw new InvalidDataException($"{path}: is empty; expected one class name per line, label 0 first");
        }

        if (count > MaxClasses)
        {
            throw new InvalidDataException($"{path}: line {MaxClasses + 1}: expected at most {MaxClasses} class names, got {count}");
        }

        var names = new string[count];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string name = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new InvalidDataException($"{path}: line {i + 1}: expected the name of class {i}, got an empty line");
            }

            if (!seen.TryAdd(name, i + 1))
            {
                throw new InvalidDataException($"{path}: line {i + 1}: class name '{Cut(name)}' is already on line {seen[name]}; expected a name per class, each once");
            }

            names[i] = name;
        }

        return names;
    }

    /// <summary>A value cut to at most 40 characters for a message, control characters shown as \uXXXX.</summary>
    internal static string Cut(string value)
    {
        string shown = value.Length > 40 ? value[..40] + "..." : value;
        var sb = new StringBuilder(shown.Length);
        foreach (char c in shown)
        {
            sb.Append(char.IsControl(c) ? $"\\u{(int)c:X4}" : c);
        }

        return sb.ToString();
    }
}

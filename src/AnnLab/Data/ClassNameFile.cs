using System.Text;
using AnnLab.IO;
using AnnLab.Network;

namespace AnnLab.Data;

/// <summary>
/// Reads a class-names file (<see cref="DataRequest.ClassNames"/>), for formats whose files hold
/// only class indices (an IDX pair, a CSV file, a folder of images): UTF-8 text, one name per line,
/// label 0 first; a byte-order mark, CRLF line ends and blank lines at the end are allowed.
/// </summary>
public static class ClassNameFile
{
    /// <summary>The most names a file may give: labels are bytes (<see cref="DatasetSource"/> takes 1..256 classes).</summary>
    public const int MaxClasses = 256;

    private const long MaxBytes = 1 << 20;

    /// <summary>Reads the names of <paramref name="path"/>, label 0 first.</summary>
    /// <param name="path">The file.</param>
    /// <returns>1..<see cref="MaxClasses"/> names, each non-empty, distinct (compared ordinally) and of at most <see cref="ModelFile.MaxStringBytes"/> UTF-8 bytes, as written (only a line's trailing CR is dropped).</returns>
    /// <exception cref="InvalidDataException">Not UTF-8, over 1 MiB, no name, more than <see cref="MaxClasses"/>, an empty name, a name longer than <see cref="ModelFile.MaxStringBytes"/> bytes or a repeated one; the message names the file and the line.</exception>
    /// <exception cref="IOException">The file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public static IReadOnlyList<string> Read(string path)
    {
        string text;
        using (FileStream stream = RegularFile.OpenRead(path, "a text file of class names, one per line"))
        {
            if (stream.Length > MaxBytes)
            {
                throw new InvalidDataException($"{path}: {stream.Length} bytes, expected a class-names file of at most {MaxBytes} bytes");
            }

            using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false);
            try
            {
                text = reader.ReadToEnd();
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidDataException($"{path}: not UTF-8 text; expected class names, one per line");
            }
        }

        List<string> lines = [.. text.TrimStart('\uFEFF').Split('\n').Select(l => l.TrimEnd('\r'))];
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1]))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        if (lines.Count is 0 or > MaxClasses)
        {
            throw new InvalidDataException($"{path}: {lines.Count} class names, expected 1..{MaxClasses}, one per line");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                throw new InvalidDataException($"{path}: line {i + 1} is empty; expected the name of class {i}");
            }

            int bytes = Encoding.UTF8.GetByteCount(lines[i]);
            if (bytes > ModelFile.MaxStringBytes)
            {
                throw new InvalidDataException($"{path}: line {i + 1}: expected a class name of at most {ModelFile.MaxStringBytes} UTF-8 bytes (the most a model file stores), got {bytes}");
            }

            if (!seen.TryAdd(lines[i], i + 1))
            {
                throw new InvalidDataException($"{path}: line {i + 1} repeats the class name '{lines[i]}' of line {seen[lines[i]]}; expected distinct names");
            }
        }

        return lines;
    }

    /// <summary>Checks that <paramref name="names"/> (read from <paramref name="path"/>) name every label up to <paramref name="maxLabel"/>, found in <paramref name="labelsFile"/>.</summary>
    /// <exception cref="InvalidDataException">Fewer than <paramref name="maxLabel"/> + 1 names; the message names both files and the label.</exception>
    public static void CheckCovers(string path, IReadOnlyList<string> names, int maxLabel, string labelsFile)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (maxLabel >= names.Count)
        {
            throw new InvalidDataException($"{path}: {names.Count} class names, but {labelsFile} holds label {maxLabel}; expected at least {maxLabel + 1} names");
        }
    }
}

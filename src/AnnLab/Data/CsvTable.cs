using System.Globalization;
using AnnLab.IO;
using nietras.SeparatedValues;

namespace AnnLab.Data;

/// <summary>One CSV file of labeled images read and checked: <see cref="Count"/> rows of a label and <see cref="Pixels"/> pixels.</summary>
internal sealed class CsvTable
{
    private const string Expected = "a CSV file of images (a label and its pixels per row, as Kaggle's fashion-mnist_train.csv)";

    private CsvTable(ReadOnlyMemory<byte> pixelBytes, ReadOnlyMemory<byte> labels, int pixels, int firstDataLine, int maxLabel, int maxLabelLine)
    {
        PixelBytes = pixelBytes;
        Labels = labels;
        Pixels = pixels;
        FirstDataLine = firstDataLine;
        MaxLabel = maxLabel;
        MaxLabelLine = maxLabelLine;
    }

    /// <summary>Count x Pixels bytes, row after row.</summary>
    public ReadOnlyMemory<byte> PixelBytes { get; }

    /// <summary>Count labels.</summary>
    public ReadOnlyMemory<byte> Labels { get; }

    /// <summary>Pixels per row (the columns after the label).</summary>
    public int Pixels { get; }

    /// <summary>Rows of images.</summary>
    public int Count => Labels.Length;

    /// <summary>The line of the first image row: 2 after a header, else 1.</summary>
    public int FirstDataLine { get; }

    /// <summary>The largest label.</summary>
    public int MaxLabel { get; }

    /// <summary>The first line that has <see cref="MaxLabel"/>.</summary>
    public int MaxLabelLine { get; }

    /// <summary>Reads and checks every row of <paramref name="path"/>, the rows spread over the cores (Sep's <c>ParallelEnumerate</c>, which keeps their order).</summary>
    /// <exception cref="InvalidDataException">Not a regular file, empty, only a header, or a row malformed; the message names the file, line and column of the first bad row.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static CsvTable Read(string path)
    {
        RegularFile.Check(path, Expected);
        long length = new FileInfo(path).Length;
        if (length == 0)
        {
            throw new InvalidDataException($"{path}: is empty; expected {Expected}");
        }

        // Quotes are not parsed (Kaggle's files have none; a quoted value is refused as not an integer), so row i is line i + 1.
        SepReaderOptions options = Sep.Reader(o => o with { Sep = new Sep(','), HasHeader = false, DisableColCountCheck = true, DisableQuotesParsing = true });
        (int columns, bool header) = FirstRow(path, options);
        int pixels = columns - 1, dataStart = header ? 1 : 0;

        // A row of c columns takes at least 2c - 1 characters and its line ending, so the file's length bounds the rows, and nothing is grown.
        long capacity = Math.Min((length / ((2L * columns) - 1)) + 1, Array.MaxLength / pixels);
        var labels = new byte[capacity];
        var pixelBytes = new byte[capacity * pixels];
        RowResult Parse(SepReader.Row row)
        {
            int index = row.RowIndex, line = index + 1;
            if (index < dataStart)
            {
                return default;
            }

            if (row.ColCount != columns)
            {
                return new($"{path}: line {line}, column {Math.Min(row.ColCount, columns) + 1}: expected {columns} columns (a label and {pixels} pixels) as line 1, got {row.ColCount}");
            }

            long slot = index - dataStart;
            if (slot >= capacity)
            {
                return new($"{path}: line {line}: more than {capacity} rows of {pixels} pixels, more than one array holds");
            }

            int label = Byte(row[0].Span);
            if (label < 0)
            {
                return new(Refusal(path, line, 1, row[0].Span, "a label"));
            }

            labels[slot] = (byte)label;
            Span<byte> image = pixelBytes.AsSpan((int)(slot * pixels), pixels);
            for (int c = 0; c < pixels; c++)
            {
                ReadOnlySpan<char> field = row[c + 1].Span;
                int value = Byte(field);
                if (value < 0)
                {
                    return new(Refusal(path, line, c + 2, field, "a pixel value"));
                }

                image[c] = (byte)value;
            }

            return default;
        }

        int rows = -dataStart;
        using (SepReader reader = options.FromFile(path))
        {
            foreach (RowResult result in reader.ParallelEnumerate(Parse))
            {
                if (result.Error is not null)
                {
                    throw new InvalidDataException(result.Error);
                }

                rows++;
            }
        }

        if (rows <= 0)
        {
            throw new InvalidDataException($"{path}: holds a header line but no image rows; expected {Expected}");
        }

        int maxLabel = -1, maxLabelLine = 0;
        for (int i = 0; i < rows; i++)
        {
            if (labels[i] > maxLabel)
            {
                (maxLabel, maxLabelLine) = (labels[i], i + 1 + dataStart);
            }
        }

        return new CsvTable(pixelBytes.AsMemory(0, rows * pixels), labels.AsMemory(0, rows), pixels, 1 + dataStart, maxLabel, maxLabelLine);
    }

    // The first row's column count, and whether it is a header: its first field (Kaggle's "label") is not an integer.
    private static (int Columns, bool Header) FirstRow(string path, SepReaderOptions options)
    {
        using SepReader reader = options.FromFile(path);
        foreach (SepReader.Row row in reader)
        {
            if (row.ColCount < 2)
            {
                throw new InvalidDataException($"{path}: line 1: expected a label and at least one pixel per row, got {row.ColCount} column");
            }

            return (row.ColCount, !IsInteger(row[0].Span));
        }

        throw new InvalidDataException($"{path}: holds no line; expected {Expected}");
    }

    // A value 0..255 of 1..3 digits, else -1 (the slow path, Refusal, takes leading zeros).
    private static int Byte(ReadOnlySpan<char> field)
    {
        if (field.Length is 0 or > 3)
        {
            return field.Length > 3 ? Slow(field) : -1;
        }

        int value = 0;
        foreach (char c in field)
        {
            int digit = c - '0';
            if ((uint)digit > 9)
            {
                return -1;
            }

            value = (value * 10) + digit;
        }

        return value <= 255 ? value : -1;
    }

    private static int Slow(ReadOnlySpan<char> field)
        => field.IndexOfAnyExceptInRange('0', '9') < 0 && int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value <= 255 ? value : -1;

    /// <summary>What a row's result says: null when the row was read, else the message of the first thing wrong in it.</summary>
    private readonly record struct RowResult(string? Error);

    private static bool IsInteger(ReadOnlySpan<char> field) => long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    // The message for a field that is not a value 0..255.
    private static string Refusal(string path, int line, int column, ReadOnlySpan<char> field, string what)
    {
        bool digits = field.Length > 0 && field.IndexOfAnyExceptInRange('0', '9') < 0;
        string found = field.Length == 0 ? "an empty field" : $"'{ClassNameFile.Cut(field.ToString())}'";
        string kind = field.Length == 0 ? "" : digits || IsInteger(field) ? " (outside 0..255)" : " (not an integer)";
        return $"{path}: line {line}, column {column}: expected {what}, an integer in 0..255, got {found}{kind}";
    }
}

using System.Globalization;
using AnnLab.IO;
using nietras.SeparatedValues;

namespace AnnLab.Data;

/// <summary>One CSV file of labeled images read and checked: <see cref="Count"/> rows of a label and <see cref="Pixels"/> pixels.</summary>
internal sealed class CsvTable
{
    /// <summary>
    /// The most columns a first row may have: Sep 0.18.0 refuses a row of more (measured: 4,194,240
    /// read, 4,194,241 refused, whatever the field widths; a later row's limit moves by a few dozen with
    /// what its buffer held), so a 2000x2000 image (4,000,001 columns) is read and a 2048x2048 one
    /// (4,194,305) is not. Sep has no option that raises it.
    /// </summary>
    public const int MaxRowColumns = 4_194_240;

    /// <summary>
    /// The most characters a row may have with its line ending: Sep 0.18.0's buffer stops at
    /// 16,777,216 (2^24) characters, less what it keeps (measured: 16,777,151 read in a row of two columns).
    /// </summary>
    public const int MaxRowLength = 16_777_151;

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

    /// <summary>Reads and checks every row of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not a regular file, empty, only a header, a row of more than <see cref="MaxRowColumns"/> columns or <see cref="MaxRowLength"/> characters, or a row malformed; the message names the file, line and column.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static CsvTable Read(string path)
    {
        const string Expected = "a CSV file of images (a label and its pixels per row, as Kaggle's fashion-mnist_train.csv)";
        RegularFile.Check(path, Expected);
        if (new FileInfo(path).Length == 0)
        {
            throw new InvalidDataException($"{path}: is empty; expected {Expected}");
        }

        int columns = 0, columnsLine = 0, pixels = 0, rows = 0, firstDataLine = 0, maxLabel = -1, maxLabelLine = 0;
        byte[] pixelBytes = [], labels = [];
        int lastLine = 0;
        try
        {
            using SepReader reader = Sep.Reader(o => o with { Sep = new Sep(','), HasHeader = false, DisableColCountCheck = true, DisableQuotesParsing = true }).FromFile(path);
            foreach (SepReader.Row row in reader)
            {
                // Quotes are not parsed, so each row is one line (Sep 0.18's LineNumberFrom gives 2 for the first row of a reader told of no header).
                int line = row.RowIndex + 1;
                lastLine = line;
                if (columns == 0)
                {
                    (columns, columnsLine) = (row.ColCount, line);
                    if (columns < 2)
                    {
                        throw new InvalidDataException($"{path}: line {line}: expected a label and at least one pixel per row, got {columns} column");
                    }

                    pixels = columns - 1;
                    if (!IsInteger(row[0].Span))
                    {
                        continue; // a header: its first field (Kaggle's "label") is not a number
                    }
                }

                if (firstDataLine == 0)
                {
                    firstDataLine = line;
                    // A row of c columns takes at least 2c - 1 characters and its line ending: the file's length bounds the rows, so a valid file never grows the buffers.
                    int guess = (int)Math.Clamp((new FileInfo(path).Length / ((2L * columns) - 1)) + 1, 16, Array.MaxLength / pixels);
                    labels = new byte[guess];
                    pixelBytes = new byte[(long)guess * pixels];
                }

                if (row.ColCount != columns)
                {
                    int column = Math.Min(row.ColCount, columns) + 1;
                    throw new InvalidDataException($"{path}: line {line}, column {column}: expected {columns} columns (a label and {pixels} pixels) as line {columnsLine}, got {row.ColCount}");
                }

                if (rows == labels.Length)
                {
                    int grown = (int)Math.Min(Array.MaxLength / Math.Max(1, pixels), 2L * rows);
                    if (grown <= rows)
                    {
                        throw new InvalidDataException($"{path}: line {line}: more than {rows} rows of {pixels} pixels, more than one array holds");
                    }

                    Array.Resize(ref labels, grown);
                    Array.Resize(ref pixelBytes, grown * pixels);
                }

                int label = Value(path, line, 1, row[0].Span, "a label");
                labels[rows] = (byte)label;
                if (label > maxLabel)
                {
                    (maxLabel, maxLabelLine) = (label, line);
                }

                // The pixels straight from the row's text, digit by digit (a third of the time of taking each column from Sep);
                // anything but 1..3 digits then a comma goes to the field Sep delimits, to be read there or refused.
                Span<byte> image = pixelBytes.AsSpan(rows * pixels, pixels);
                ReadOnlySpan<char> text = row.Span;
                int at = row[0].Span.Length + 1;
                for (int c = 0; c < pixels; c++)
                {
                    int begin = at, value = 0;
                    for (int digit; at < text.Length && (uint)(digit = text[at] - '0') <= 9 && at - begin < 3; at++)
                    {
                        value = (value * 10) + digit;
                    }

                    if (at == begin || value > 255 || (at < text.Length && text[at] != ','))
                    {
                        ReadOnlySpan<char> field = row[c + 1].Span;
                        value = Value(path, line, c + 2, field, "a pixel value");
                        at = begin + field.Length;
                    }

                    image[c] = (byte)value;
                    at++;
                }

                rows++;
            }
        }
        catch (NotSupportedException)
        {
            // Sep's "Buffer or row has reached maximum supported length": the row after the last one read is too long.
            throw new InvalidDataException($"{path}: line {lastLine + 1}: expected a row of at most {MaxRowColumns} columns and {MaxRowLength} characters (the most Sep reads), got more");
        }

        if (columns == 0)
        {
            throw new InvalidDataException($"{path}: holds no line; expected {Expected}");
        }

        if (rows == 0)
        {
            throw new InvalidDataException($"{path}: holds a header line but no image rows; expected {Expected}");
        }

        return new CsvTable(pixelBytes.AsMemory(0, rows * pixels), labels.AsMemory(0, rows), pixels, firstDataLine, maxLabel, maxLabelLine);
    }

    private static bool IsInteger(ReadOnlySpan<char> field) => long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    // The field's value 0..255 (slow path: any number of digits), or the error naming where it is.
    private static int Value(string path, int line, int column, ReadOnlySpan<char> field, string what)
    {
        bool digits = field.Length > 0 && field.IndexOfAnyExceptInRange('0', '9') < 0;
        if (digits && int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value <= 255)
        {
            return value;
        }

        string found = field.Length == 0 ? "an empty field" : $"'{Cut(field.ToString())}'";
        string kind = field.Length == 0 ? ""
            : field[0] == '+' && IsInteger(field) ? " (a sign is not allowed: expected digits only)"
            : digits || IsInteger(field) ? " (outside 0..255)" : " (not an integer)";
        throw new InvalidDataException($"{path}: line {line}, column {column}: expected {what}, an integer in 0..255, got {found}{kind}");
    }

    // A value cut to at most 40 characters for a message, control characters shown as \uXXXX.
    private static string Cut(string value)
    {
        string shown = value.Length > 40 ? value[..40] + "..." : value;
        var sb = new System.Text.StringBuilder(shown.Length);
        foreach (char c in shown)
        {
            sb.Append(char.IsControl(c) ? $"\\u{(int)c:X4}" : c);
        }

        return sb.ToString();
    }
}

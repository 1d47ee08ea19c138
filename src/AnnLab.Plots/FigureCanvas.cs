using System.Runtime.InteropServices;
using AnnLab.IO;
using SkiaSharp;

namespace AnnLab.Plots;

/// <summary>
/// One figure being drawn: a white RGBA canvas of a fixed size in pixels, with the few drawing
/// operations the figures share (text in the embedded font, pixel images, value grids, colour bars,
/// ScottPlot plots placed in a rectangle), saved as one PNG.
/// </summary>
internal sealed class FigureCanvas : IDisposable
{
    private readonly SKSurface surface;

    public FigureCanvas(int width, int height)
    {
        Width = width;
        Height = height;
        surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"SkiaSharp could not create a {width} x {height} canvas");
        Canvas.Clear(SKColors.White);
    }

    public int Width { get; }

    public int Height { get; }

    public SKCanvas Canvas => surface.Canvas;

    /// <summary>Encodes the canvas as PNG in memory, then writes it to <paramref name="path"/> atomically,
    /// so that a failure leaves no half-written file.</summary>
    public void Save(string path)
    {
        using SKImage image = surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode the {Width} x {Height} figure as PNG");
        AtomicFile.Write(path, png.SaveTo);
    }

    public void Dispose() => surface.Dispose();

    public static SKFont Font(float size, bool bold = false)
        => new(EmbeddedFont.Get(bold), size) { Edging = SKFontEdging.Antialias, Subpixel = true };

    /// <summary>Width in pixels of one line of <paramref name="text"/>.</summary>
    public static float MeasureText(string text, float size, bool bold = false)
    {
        using SKFont font = Font(size, bold);
        return font.MeasureText(text);
    }

    /// <summary>Distance between the baselines of two lines of text of <paramref name="size"/>.</summary>
    public static float LineHeight(float size, bool bold = false)
    {
        using SKFont font = Font(size, bold);
        return font.Spacing;
    }

    /// <summary>
    /// The largest font size from <paramref name="preferred"/> down to <paramref name="minimum"/> at which
    /// every line of <paramref name="text"/> fits in <paramref name="maxWidth"/>; lines that do not fit even
    /// at the minimum are shortened with an ellipsis.
    /// </summary>
    public static (string[] Lines, float Size) Fit(string text, float maxWidth, float preferred, float minimum, bool bold = false)
    {
        string[] lines = text.Split('\n');
        for (float size = preferred; size >= minimum; size -= 0.5f)
        {
            if (lines.All(line => MeasureText(line, size, bold) <= maxWidth))
            {
                return (lines, size);
            }
        }

        return (lines.Select(line => Ellipsize(line, maxWidth, minimum, bold)).ToArray(), minimum);
    }

    /// <summary>
    /// One line of <paramref name="text"/> at <paramref name="size"/> broken at spaces into at most
    /// <paramref name="maxLines"/> lines of at most <paramref name="maxWidth"/> pixels (greedy, as many words on a line as
    /// fit); the last line takes the rest, cut with an ellipsis when it does not fit. Text that fits is one line.
    /// </summary>
    public static string[] Wrap(string text, float maxWidth, float size, int maxLines, bool bold = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        var lines = new List<string>();
        string rest = text;
        while (lines.Count < maxLines - 1 && MeasureText(rest, size, bold) > maxWidth)
        {
            string[] words = rest.Split(' ');
            int take = 0;
            while (take < words.Length - 1 && MeasureText(string.Join(' ', words[..(take + 1)]), size, bold) <= maxWidth)
            {
                take++;
            }

            if (take == 0)
            {
                break; // the first word alone is too long: cut it on the last line
            }

            lines.Add(string.Join(' ', words[..take]));
            rest = string.Join(' ', words[take..]);
        }

        lines.Add(Ellipsize(rest, maxWidth, size, bold));
        return [.. lines];
    }

    private static string Ellipsize(string line, float maxWidth, float size, bool bold)
    {
        if (MeasureText(line, size, bold) <= maxWidth)
        {
            return line;
        }

        for (int keep = line.Length - 1; keep > 0; keep--)
        {
            string shortened = line[..keep].TrimEnd() + "\u2026";
            if (MeasureText(shortened, size, bold) <= maxWidth)
            {
                return shortened;
            }
        }

        return "\u2026";
    }

    /// <summary>Draws one line of text whose top (the font's ascent) is at <paramref name="top"/>;
    /// <paramref name="x"/> is the left end, centre or right end as <paramref name="align"/> says.</summary>
    public void Text(string text, float x, float top, float size, SKTextAlign align = SKTextAlign.Left, bool bold = false, SKColor? color = null)
    {
        using SKFont font = Font(size, bold);
        using var paint = new SKPaint { Color = color ?? SKColors.Black, IsAntialias = true };
        Canvas.DrawText(text, x, top - font.Metrics.Ascent, align, font, paint);
    }

    /// <summary>Draws lines of text one under the other from <paramref name="top"/>, centred on <paramref name="centerX"/>.</summary>
    public void Lines(IReadOnlyList<string> lines, float centerX, float top, float size, bool bold = false, SKColor? color = null)
    {
        float lineHeight = LineHeight(size, bold);
        for (int i = 0; i < lines.Count; i++)
        {
            Text(lines[i], centerX, top + (i * lineHeight), size, SKTextAlign.Center, bold, color);
        }
    }

    /// <summary>Draws one line of text centred in <paramref name="box"/>, both ways.</summary>
    public void TextCentered(string text, SKRect box, float size, bool bold = false, SKColor? color = null)
    {
        using SKFont font = Font(size, bold);
        using var paint = new SKPaint { Color = color ?? SKColors.Black, IsAntialias = true };
        float baseline = box.MidY - ((font.Metrics.Ascent + font.Metrics.Descent) / 2);
        Canvas.DrawText(text, box.MidX, baseline, SKTextAlign.Center, font, paint);
    }

    /// <summary>
    /// Draws one line of text turned <paramref name="degrees"/> clockwise about (<paramref name="x"/>, <paramref name="y"/>),
    /// its middle height on that point and its left end, centre or right end there as <paramref name="align"/> says.
    /// </summary>
    public void TextRotated(string text, float x, float y, float size, float degrees, SKTextAlign align, bool bold = false, SKColor? color = null)
    {
        using SKFont font = Font(size, bold);
        using var paint = new SKPaint { Color = color ?? SKColors.Black, IsAntialias = true };
        Canvas.Save();
        Canvas.Translate(x, y);
        Canvas.RotateDegrees(degrees);
        Canvas.DrawText(text, 0, -(font.Metrics.Ascent + font.Metrics.Descent) / 2, align, font, paint);
        Canvas.Restore();
    }

    /// <summary>Draws text rotated a quarter turn counter-clockwise (reading upwards), centred on (<paramref name="centerX"/>, <paramref name="centerY"/>).</summary>
    public void TextVertical(string text, float centerX, float centerY, float size, bool bold = false)
    {
        Canvas.Save();
        Canvas.Translate(centerX, centerY);
        Canvas.RotateDegrees(-90);
        TextCentered(text, new SKRect(-1000, -size, 1000, size), size, bold);
        Canvas.Restore();
    }

    /// <summary>Draws a <paramref name="rows"/> x <paramref name="columns"/> image whose pixel k (row-major)
    /// has colour <paramref name="colors"/>[k], scaled to <paramref name="destination"/> without smoothing.</summary>
    public void Image(ReadOnlySpan<SKColor> colors, int rows, int columns, SKRect destination)
    {
        // SKColor is 0xAARRGGBB: in memory (little-endian) B, G, R, A, which is Bgra8888.
        var info = new SKImageInfo(columns, rows, SKColorType.Bgra8888, SKAlphaType.Unpremul);
        using SKImage image = SKImage.FromPixelCopy(info, MemoryMarshal.AsBytes(colors[..(rows * columns)]), columns * 4)
            ?? throw new InvalidOperationException($"SkiaSharp could not make a {columns} x {rows} image");
        Canvas.DrawImage(image, destination, new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None));
    }

    public void Fill(SKRect rect, SKColor color)
    {
        using var paint = new SKPaint { Color = color, Style = SKPaintStyle.Fill };
        Canvas.DrawRect(rect, paint);
    }

    /// <summary>Draws a frame of <paramref name="width"/> pixels just outside <paramref name="rect"/>.</summary>
    public void Frame(SKRect rect, SKColor color, float width = 1)
    {
        using var paint = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = width, IsAntialias = false };
        float half = width / 2;
        Canvas.DrawRect(new SKRect(rect.Left - half, rect.Top - half, rect.Right + half, rect.Bottom + half), paint);
    }

    /// <summary>
    /// Draws <paramref name="values"/> as a <paramref name="rows"/> x <paramref name="columns"/> grid of square
    /// cells (value k at row k / columns, column k % columns) from (<paramref name="left"/>, <paramref name="top"/>),
    /// each cell coloured by <paramref name="colorOf"/> and, where <paramref name="labelOf"/> is given, its text
    /// written in black or white, whichever reads. Cells are outlined in <paramref name="gridLine"/> (default white).
    /// Cells past the last value stay empty.
    /// </summary>
    public void ValueGrid(ReadOnlySpan<float> values, int rows, int columns, float left, float top, float cell,
        Func<float, SKColor> colorOf, Func<float, string>? labelOf, float textSize, SKColor? gridLine = null)
    {
        using var border = new SKPaint { Color = gridLine ?? SKColors.White, Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
        for (int k = 0; k < values.Length && k < rows * columns; k++)
        {
            var rect = SKRect.Create(left + (k % columns * cell), top + (k / columns * cell), cell, cell);
            SKColor color = colorOf(values[k]);
            Fill(rect, color);
            Canvas.DrawRect(rect, border);
            if (labelOf is not null)
            {
                TextCentered(labelOf(values[k]), rect, textSize, color: ColorScales.TextOn(color));
            }
        }
    }

    /// <summary>
    /// Draws a vertical colour bar in <paramref name="bar"/> from <paramref name="min"/> (bottom) to
    /// <paramref name="max"/> (top), with tick labels right of it at <paramref name="ticks"/>.
    /// </summary>
    public void ColorBarVertical(SKRect bar, Func<double, SKColor> colorOf, double min, double max, IReadOnlyList<double> ticks, float textSize)
    {
        int steps = Math.Max(2, (int)bar.Height);
        for (int i = 0; i < steps; i++)
        {
            double value = max - ((max - min) * (i + 0.5) / steps);
            float y0 = bar.Top + (bar.Height * i / steps);
            float y1 = bar.Top + (bar.Height * (i + 1) / steps);
            Fill(new SKRect(bar.Left, y0, bar.Right, y1 + 0.5f), colorOf(value));
        }

        Frame(bar, SKColors.Gray);
        using var tickPaint = new SKPaint { Color = SKColors.Black, StrokeWidth = 1 };
        float lineHeight = LineHeight(textSize);
        foreach (double tick in ticks)
        {
            float y = bar.Bottom - (float)((tick - min) / (max - min) * bar.Height);
            Canvas.DrawLine(bar.Right, y, bar.Right + 5, y, tickPaint);
            Text(FormatTick(tick), bar.Right + 8, y - (lineHeight * 0.45f), textSize);
        }
    }

    /// <summary>
    /// Draws a horizontal colour bar in <paramref name="bar"/> from <paramref name="min"/> (left) to
    /// <paramref name="max"/> (right), with tick labels under it at <paramref name="ticks"/>.
    /// </summary>
    public void ColorBarHorizontal(SKRect bar, Func<double, SKColor> colorOf, double min, double max, IReadOnlyList<double> ticks, float textSize)
    {
        int steps = Math.Max(2, (int)bar.Width);
        for (int i = 0; i < steps; i++)
        {
            double value = min + ((max - min) * (i + 0.5) / steps);
            float x0 = bar.Left + (bar.Width * i / steps);
            float x1 = bar.Left + (bar.Width * (i + 1) / steps);
            Fill(new SKRect(x0, bar.Top, x1 + 0.5f, bar.Bottom), colorOf(value));
        }

        Frame(bar, SKColors.Gray);
        using var tickPaint = new SKPaint { Color = SKColors.Black, StrokeWidth = 1 };
        foreach (double tick in ticks)
        {
            float x = bar.Left + (float)((tick - min) / (max - min) * bar.Width);
            Canvas.DrawLine(x, bar.Bottom, x, bar.Bottom + 4, tickPaint);
            Text(FormatTick(tick), x, bar.Bottom + 5, textSize, SKTextAlign.Center);
        }
    }

    /// <summary>Renders a ScottPlot plot into <paramref name="rect"/> of this canvas.</summary>
    public void Plot(ScottPlot.Plot plot, SKRect rect)
    {
        Canvas.Save();
        Canvas.ClipRect(rect);
        plot.Render(Canvas, new ScottPlot.PixelRect(rect.Left, rect.Right, rect.Bottom, rect.Top));
        Canvas.Restore();
    }

    /// <summary>Round tick values from 0 to <paramref name="max"/> (&gt; 0), steps of 1, 2 or 5 times a power of ten, at most 6 ticks.</summary>
    public static IReadOnlyList<double> NiceTicks(double max)
    {
        double step = Math.Pow(10, Math.Floor(Math.Log10(max / 5)));
        foreach (double factor in (double[])[1, 2, 5, 10])
        {
            if (max / (step * factor) < 6)
            {
                step *= factor;
                break;
            }
        }

        var ticks = new List<double>();
        for (int i = 0; i * step <= max * (1 + 1e-9); i++)
        {
            ticks.Add(i * step);
        }

        return ticks;
    }

    /// <summary>A short label for a colour-bar tick: at most 3 significant digits, "0" for zero.</summary>
    public static string FormatTick(double value)
    {
        if (value == 0)
        {
            return "0";
        }

        double magnitude = Math.Abs(value);
        return magnitude >= 100 ? value.ToString("0") : magnitude >= 10 ? value.ToString("0.#") : magnitude >= 1 ? value.ToString("0.##") : value.ToString("0.###");
    }
}

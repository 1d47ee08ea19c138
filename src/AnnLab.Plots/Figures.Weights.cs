using System.Globalization;
using SkiaSharp;

namespace AnnLab.Plots;

public static partial class Figures
{
    /// <summary>Width the hidden-weight grid aims at: images are scaled by the largest whole factor (at most 8) that fits.</summary>
    private const int WeightGridTargetWidth = 720;

    private const int WeightGridGap = 10;
    private const int ColorBarWidth = 22;
    private const int ColorBarLabelWidth = 70;

    /// <summary>
    /// Draws each hidden unit's incoming weights as an <paramref name="imageRows"/> x <paramref name="imageColumns"/>
    /// image (what the unit "looks for" in an input image), the units in a near-square grid
    /// (<see cref="NearSquareGrid"/>: 5 x 5 for 25 units) row by row, each labeled "unit j" (j from 0).
    /// All units share one blue-white-red colour scale symmetric around 0 (limit = the largest |weight|),
    /// shown by a colour bar at the right.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="weights">units x (imageRows x imageColumns) weights, unit j's contiguous: the first layer's
    /// weights in AnnLab's layout (fanOut x fanIn row-major, <c>network.Weights(parameters, 0)</c>).</param>
    /// <param name="units">Number of hidden units.</param>
    /// <param name="imageRows">Input image height in pixels (28).</param>
    /// <param name="imageColumns">Input image width in pixels (28).</param>
    /// <param name="title">Optional figure title, one line (20 px bold, shrunk to fit); default "Incoming weights of each hidden unit".</param>
    /// <remarks>Size in pixels: each image is scaled by s = clamp(floor(720 / (columns x imageColumns)), 1, 8), images
    /// 10 px apart with an 18 px label above each, the colour bar in a 122 px strip at the right, a 64 px title band
    /// and a 16 px margin. Width = 154 + columns x imageColumns x s + 10 (columns - 1); height = 96 + rows x
    /// (imageRows x s + 18) + 10 (rows - 1), for the grid's rows and columns. 25 units of 28 x 28: s = 5 (140 px
    /// images), 894 x 926.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/>, <paramref name="imageRows"/> or
    /// <paramref name="imageColumns"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="weights"/> does not have units x imageRows x imageColumns
    /// values; the message gives the expected and found lengths.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void HiddenWeights(string path, ReadOnlySpan<float> weights, int units, int imageRows, int imageColumns, string? title = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageColumns, 1);
        int imagePixels = imageRows * imageColumns;
        CheckLength(weights.Length, units * imagePixels, $"weights: {units} units x {imageRows} x {imageColumns}", nameof(weights));

        (int gridRows, int gridColumns) = NearSquareGrid(units);
        int scale = Math.Clamp(WeightGridTargetWidth / (gridColumns * imageColumns), 1, 8);
        int imageWidth = imageColumns * scale;
        int imageHeight = imageRows * scale;
        const int LabelHeight = 18;
        int gridWidth = (gridColumns * imageWidth) + (WeightGridGap * (gridColumns - 1));
        int gridHeight = (gridRows * (LabelHeight + imageHeight)) + (WeightGridGap * (gridRows - 1));
        const int TitleBand = 64;
        int width = (2 * Margin) + gridWidth + 30 + ColorBarWidth + ColorBarLabelWidth;
        int height = (2 * Margin) + TitleBand + gridHeight;

        using var figure = new FigureCanvas(width, height);
        (string[] titleLines, float titleSize) = FigureCanvas.Fit((title ?? "Incoming weights of each hidden unit").ReplaceLineEndings(" "), width - (2 * Margin), TitleSize, 14, bold: true);
        figure.Text(titleLines[0], width / 2f, Margin, titleSize, SKTextAlign.Center, bold: true);
        string subtitle = $"one {imageRows} x {imageColumns} image per unit: blue < 0, white = 0, red > 0, one colour scale for all units";
        (string[] subtitleLines, float subtitleSize) = FigureCanvas.Fit(subtitle, width - (2 * Margin), LabelSize, MinimumTextSize);
        figure.Text(subtitleLines[0], width / 2f, Margin + 32, subtitleSize, SKTextAlign.Center, color: SKColors.DimGray);

        double limit = ColorScales.SymmetricLimit(weights);
        var colors = new SKColor[imagePixels];
        int top0 = Margin + TitleBand;
        for (int j = 0; j < units; j++)
        {
            float left = Margin + (j % gridColumns * (imageWidth + WeightGridGap));
            float top = top0 + (j / gridColumns * (LabelHeight + imageHeight + WeightGridGap));
            (string[] label, float labelSize) = FigureCanvas.Fit($"unit {j}", imageWidth + WeightGridGap - 2, 12, MinimumTextSize);
            figure.Text(label[0], left + (imageWidth / 2f), top, labelSize, SKTextAlign.Center);
            ReadOnlySpan<float> unit = weights.Slice(j * imagePixels, imagePixels);
            for (int k = 0; k < imagePixels; k++)
            {
                colors[k] = ColorScales.Diverging(unit[k], limit);
            }

            var rect = SKRect.Create(left, top + LabelHeight, imageWidth, imageHeight);
            figure.Image(colors, imageRows, imageColumns, rect);
            figure.Frame(rect, SKColors.LightGray);
        }

        float barLeft = Margin + gridWidth + 30;
        float barTop = top0 + LabelHeight;
        float barHeight = Math.Min(gridHeight - LabelHeight, 480);
        figure.Text("weight", barLeft + (ColorBarWidth / 2f), top0 - 4, LabelSize, SKTextAlign.Center);
        figure.ColorBarVertical(SKRect.Create(barLeft, barTop, ColorBarWidth, barHeight), v => ColorScales.Diverging(v, limit),
            -limit, limit, [-limit, -limit / 2, 0, limit / 2, limit], 12);
        figure.Save(path);
    }

    private const int ConfusionWidth = 900;
    private const int ConfusionHeight = 860;

    /// <summary>
    /// Draws a confusion matrix as a heat map: the cell in row i, column j holds how many images of true
    /// class i the network classified as class j, written in the cell (bold on the diagonal, the right answers)
    /// and coloured white (0) to dark blue (the largest count), with a colour bar. Rows (true class) go down
    /// in class order, columns (predicted class) go right; class names label both (column names turned 45 degrees).
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="counts">classes x classes counts, [true class, predicted class], none negative.</param>
    /// <param name="classNames">One name per class, in class order.</param>
    /// <param name="title">Optional title, one line (20 px bold, shrunk to fit); default "Confusion matrix: R of N right (P %)".</param>
    /// <remarks>Size in pixels: 900 x 860 for any number of classes; the cells are square, as large as fit
    /// (64 px for 10 classes), their numbers 14 px (smaller for many classes, never under 11 px).</remarks>
    /// <exception cref="ArgumentException"><paramref name="counts"/> is empty or not square, has a negative count,
    /// or <paramref name="classNames"/> does not have one name per row; the message gives the expected and found sizes.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void ConfusionMatrix(string path, int[,] counts, IReadOnlyList<string> classNames, string? title = null)
    {
        int n = counts.GetLength(0);
        if (n == 0 || counts.GetLength(1) != n)
        {
            throw new ArgumentException($"counts: expected a square classes x classes matrix, found {counts.GetLength(0)} x {counts.GetLength(1)}", nameof(counts));
        }

        CheckLength(classNames.Count, n, $"classNames: one per row of the {n} x {n} counts", nameof(classNames));
        long total = 0;
        long right = 0;
        int max = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (counts[i, j] < 0)
                {
                    throw new ArgumentException($"counts[{i}, {j}]: expected a count >= 0, found {counts[i, j]}", nameof(counts));
                }

                total += counts[i, j];
                right += i == j ? counts[i, j] : 0;
                max = Math.Max(max, counts[i, j]);
            }
        }

        using var figure = new FigureCanvas(ConfusionWidth, ConfusionHeight);
        double percent = total == 0 ? 0 : 100.0 * right / total;
        title ??= string.Create(CultureInfo.InvariantCulture, $"Confusion matrix: {right} of {total} right ({percent:0.0} %)");
        (string[] titleLines, float titleSize) = FigureCanvas.Fit(title.ReplaceLineEndings(" "), ConfusionWidth - (2 * Margin), TitleSize, 14, bold: true);
        figure.Text(titleLines[0], ConfusionWidth / 2f, Margin, titleSize, SKTextAlign.Center, bold: true);

        // Class names keep their size (cut with an ellipsis only if longer than 160 px).
        string[] names = classNames.Select(name => FigureCanvas.Fit(name, 160, LabelSize, LabelSize).Lines[0]).ToArray();
        float nameWidth = names.Max(name => FigureCanvas.MeasureText(name, LabelSize));
        float axisTitleSize = LabelSize + 1;
        float axisTitleBand = FigureCanvas.LineHeight(axisTitleSize) + 8;
        float columnNamesHeight = (nameWidth * MathF.Sqrt(0.5f)) + LabelSize + 10;
        float gridLeft = Margin + axisTitleBand + nameWidth + 10;
        float gridTop = Margin + 50;
        const float BarSpace = 24 + ColorBarWidth + 64;
        float freeWidth = ConfusionWidth - Margin - BarSpace - gridLeft;
        float freeHeight = ConfusionHeight - Margin - axisTitleBand - columnNamesHeight - gridTop;
        int cell = (int)(Math.Min(freeWidth, freeHeight) / n);
        float gridSize = cell * n;

        // Centre the block (names, grid, colour bar) in the room that the square grid leaves.
        float shiftX = MathF.Floor((freeWidth - gridSize) / 2);
        gridLeft += shiftX;
        gridTop += MathF.Floor((freeHeight - gridSize) / 2);

        float countSize = Math.Clamp(cell * 0.3f, MinimumTextSize, 14);
        using var separator = new SKPaint { Color = SKColors.White, Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                var rect = SKRect.Create(gridLeft + (j * cell), gridTop + (i * cell), cell, cell);
                SKColor color = ColorScales.Blues(counts[i, j], max);
                figure.Fill(rect, color);
                figure.Canvas.DrawRect(rect, separator);
                figure.TextCentered(counts[i, j].ToString(CultureInfo.InvariantCulture), rect, countSize, bold: i == j, color: ColorScales.TextOn(color));
            }
        }

        var grid = SKRect.Create(gridLeft, gridTop, gridSize, gridSize);
        figure.Frame(grid, SKColors.Gray);
        for (int k = 0; k < n; k++)
        {
            figure.TextRotated(names[k], gridLeft - 8, gridTop + ((k + 0.5f) * cell), LabelSize, 0, SKTextAlign.Right);
            figure.TextRotated(names[k], gridLeft + ((k + 0.5f) * cell) + 4, grid.Bottom + 10, LabelSize, -45, SKTextAlign.Right);
        }

        figure.TextCentered("predicted class", SKRect.Create(gridLeft, grid.Bottom + columnNamesHeight, gridSize, axisTitleBand), axisTitleSize, bold: true);
        figure.TextVertical("true class", Margin + shiftX + (axisTitleBand / 2), grid.MidY, axisTitleSize, bold: true);

        var bar = SKRect.Create(grid.Right + 24, gridTop, ColorBarWidth, gridSize);
        double barMax = Math.Max(1, max);
        figure.Text("images", bar.MidX, gridTop - 22, LabelSize, SKTextAlign.Center);
        figure.ColorBarVertical(bar, v => ColorScales.Blues(v, barMax), 0, barMax, FigureCanvas.NiceTicks(barMax), 12);
        figure.Save(path);
    }
}

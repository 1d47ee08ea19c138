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
    /// image (what the unit "looks for" in an input image), the units row by row in a grid about as high as it is wide
    /// (<see cref="NearSquareGrid(int, int, int)"/>: 5 x 5 for 25 units of square images, 7 x 4 for 12 x 20, 25 x 1 for 1 x 100),
    /// each labeled "unit j" (j from 0, or <paramref name="unitNumbers"/>' j; just "j" over images too narrow for "unit j" at 11 px).
    /// With <see cref="WeightColorScale.Shared"/> all units share one blue-white-red colour scale symmetric around 0
    /// (limit = the largest |weight|), shown by a colour bar at the right; with <see cref="WeightColorScale.PerUnit"/> each unit
    /// has its own (limit = its own largest |weight|) and the bar goes from -1 to 1 times that limit.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="weights">units x (imageRows x imageColumns) weights, unit j's contiguous: the first layer's
    /// weights in AnnLab's layout (fanOut x fanIn row-major, <c>network.Weights(parameters, 0)</c>).</param>
    /// <param name="units">Number of hidden units.</param>
    /// <param name="imageRows">Input image height in pixels (any; 28 for Fashion-MNIST).</param>
    /// <param name="imageColumns">Input image width in pixels (any; 28 for Fashion-MNIST).</param>
    /// <param name="title">Optional figure title, one line (20 px bold, shrunk to fit); default "Incoming weights of each hidden unit".</param>
    /// <param name="unitNumbers">Optional, one per unit drawn: the unit's index in its layer, for its label (e.g. the 100 most important of 512); default 0 .. units - 1.</param>
    /// <param name="colorScale">One colour scale for all units (default) or one per unit.</param>
    /// <param name="note">Optional third line under the title and the colour line (13 px gray), e.g. how the units drawn were chosen; it makes the figure 20 px taller.</param>
    /// <param name="valueName">What the values are, for the colour bar's label and the per-unit scale's line: "weight" (the default),
    /// or e.g. "dJ/dW" when <paramref name="weights"/> holds the gradient of the cost with respect to those weights.</param>
    /// <remarks>Size in pixels: each image is scaled by s = clamp(floor(720 / (columns x imageColumns)), 1, 8), images
    /// 10 px apart with an 18 px label above each, the colour bar in a 122 px strip at the right, a 64 px title band (84 px with a <paramref name="note"/>)
    /// and a 16 px margin. Width = 154 + columns x imageColumns x s + 10 (columns - 1); height = 96 + rows x
    /// (imageRows x s + 18) + 10 (rows - 1), for the grid's rows and columns. 25 units of 28 x 28: s = 5 (140 px
    /// images), 894 x 926.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/>, <paramref name="imageRows"/> or
    /// <paramref name="imageColumns"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="weights"/> does not have units x imageRows x imageColumns
    /// values, or <paramref name="unitNumbers"/> not one per unit (the message gives the expected and found lengths), or <paramref name="valueName"/> is empty.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void HiddenWeights(string path, ReadOnlySpan<float> weights, int units, int imageRows, int imageColumns, string? title = null,
        IReadOnlyList<int>? unitNumbers = null, WeightColorScale colorScale = WeightColorScale.Shared, string? note = null, string valueName = "weight")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(valueName);
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageColumns, 1);
        int imagePixels = imageRows * imageColumns;
        CheckLength(weights.Length, units * imagePixels, $"weights: {units} units x {imageRows} x {imageColumns}", nameof(weights));
        if (unitNumbers is not null)
        {
            CheckLength(unitNumbers.Count, units, "unitNumbers: one per unit", nameof(unitNumbers));
        }

        bool perUnit = colorScale == WeightColorScale.PerUnit;

        (int gridRows, int gridColumns) = NearSquareGrid(units, imageRows, imageColumns);
        int scale = Math.Clamp(WeightGridTargetWidth / (gridColumns * imageColumns), 1, 8);
        int imageWidth = imageColumns * scale;
        int imageHeight = imageRows * scale;
        const int LabelHeight = 18;
        int gridWidth = (gridColumns * imageWidth) + (WeightGridGap * (gridColumns - 1));
        int gridHeight = (gridRows * (LabelHeight + imageHeight)) + (WeightGridGap * (gridRows - 1));
        int titleBand = note is null ? 64 : 84;
        int width = (2 * Margin) + gridWidth + 30 + ColorBarWidth + ColorBarLabelWidth;
        int height = (2 * Margin) + titleBand + gridHeight;

        using var figure = new FigureCanvas(width, height);
        (string[] titleLines, float titleSize) = FigureCanvas.Fit((title ?? "Incoming weights of each hidden unit").ReplaceLineEndings(" "), width - (2 * Margin), TitleSize, 14, bold: true);
        figure.Text(titleLines[0], width / 2f, Margin, titleSize, SKTextAlign.Center, bold: true);
        string subtitle = $"one {imageRows} x {imageColumns} image per unit: blue < 0, white = 0, red > 0, "
            + (perUnit ? $"each unit on its own colour scale (\u00b1 its largest |{valueName}|)" : "one colour scale for all units");
        (string[] subtitleLines, float subtitleSize) = FigureCanvas.Fit(subtitle, width - (2 * Margin), LabelSize, MinimumTextSize);
        figure.Text(subtitleLines[0], width / 2f, Margin + 32, subtitleSize, SKTextAlign.Center, color: SKColors.DimGray);
        if (note is not null)
        {
            (string[] noteLines, float noteSize) = FigureCanvas.Fit(note.ReplaceLineEndings(" "), width - (2 * Margin), LabelSize, MinimumTextSize);
            figure.Text(noteLines[0], width / 2f, Margin + 52, noteSize, SKTextAlign.Center, color: SKColors.DimGray);
        }

        double limit = ColorScales.SymmetricLimit(weights);
        var colors = new SKColor[imagePixels];
        int top0 = Margin + titleBand;
        for (int j = 0; j < units; j++)
        {
            float left = Margin + (j % gridColumns * (imageWidth + WeightGridGap));
            float top = top0 + (j / gridColumns * (LabelHeight + imageHeight + WeightGridGap));
            int number = unitNumbers?[j] ?? j;
            string name = FigureCanvas.MeasureText($"unit {number}", MinimumTextSize) <= imageWidth + WeightGridGap - 2 ? $"unit {number}" : $"{number}";
            (string[] label, float labelSize) = FigureCanvas.Fit(name, imageWidth + WeightGridGap - 2, 12, MinimumTextSize);
            figure.Text(label[0], left + (imageWidth / 2f), top, labelSize, SKTextAlign.Center);
            ReadOnlySpan<float> unit = weights.Slice(j * imagePixels, imagePixels);
            double unitLimit = perUnit ? ColorScales.SymmetricLimit(unit) : limit;
            for (int k = 0; k < imagePixels; k++)
            {
                colors[k] = ColorScales.Diverging(unit[k], unitLimit);
            }

            var rect = SKRect.Create(left, top + LabelHeight, imageWidth, imageHeight);
            figure.Image(colors, imageRows, imageColumns, rect);
            figure.Frame(rect, SKColors.LightGray);
        }

        float barLeft = Margin + gridWidth + 30;
        float barTop = top0 + LabelHeight;
        float barHeight = Math.Min(gridHeight - LabelHeight, 480);
        double barLimit = perUnit ? 1 : limit;
        figure.Text(perUnit ? $"{valueName} / max" : valueName, barLeft + (ColorBarWidth / 2f), top0 - 4, LabelSize, SKTextAlign.Center);
        figure.ColorBarVertical(SKRect.Create(barLeft, barTop, ColorBarWidth, barHeight), v => ColorScales.Diverging(v, barLimit),
            -barLimit, barLimit, [-barLimit, -barLimit / 2, 0, barLimit / 2, barLimit], 12);
        figure.Save(path);
    }

    private const int ConfusionWidth = 900;
    private const int ConfusionHeight = 860;

    /// <summary>The smallest confusion-matrix cell: below it, class names (11 px) would overlap; more classes make the figure larger.</summary>
    internal const int MinimumConfusionCell = 16;

    /// <summary>Up to this many classes zero counts are written as "0"; with more they are left blank, so that the few counts that are not 0 stand out.</summary>
    internal const int MaximumClassesWithZeros = 20;

    /// <summary>The largest grid that cells are grown to so that their counts can be written in them.</summary>
    private const int MaximumConfusionGrid = 1400;

    /// <summary>
    /// Draws a confusion matrix as a heat map: the cell in row i, column j holds how many images of true
    /// class i the network classified as class j, written in the cell (bold on the diagonal, the right answers)
    /// and coloured white (0) to dark blue (the largest count), with a colour bar. Rows (true class) go down
    /// in class order, columns (predicted class) go right; class names label both (column names turned 45 degrees,
    /// or 90 degrees when the cells are too narrow for slanted names).
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="counts">classes x classes counts, [true class, predicted class], none negative.</param>
    /// <param name="classNames">One name per class, in class order; names longer than 160 px are cut with an ellipsis.</param>
    /// <param name="title">Optional title, one line (20 px bold, shrunk to fit); default "Confusion matrix: R of N right (P %)".</param>
    /// <remarks>
    /// <para>Size in pixels: 900 x 860 while the cells that fit there are at least 16 px (up to about 35 classes;
    /// 64 px cells for 10 classes) and hold their counts; otherwise the figure grows so that each cell is at least
    /// 16 px (and, up to a 1400 px grid, wide enough for its count): 47 classes with 3-digit counts give ~28 px cells,
    /// 100 classes 16 px cells and a figure of about 2000 x 1950.</para>
    /// <para>Counts are written 14 px down to 11 px (about 30 % of the cell); where the largest count does not fit
    /// in a cell at 11 px, no cell gets its number (the colours and the colour bar still give the counts) and a
    /// gray line under the title says so. With more than 20 classes, cells that hold 0 stay blank (white) so that
    /// the confusions stand out. Class names are 13 px, down to 11 px for small cells.</para>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="counts"/> is empty or not square, has a negative count,
    /// or <paramref name="classNames"/> does not have one name per row; the message gives the expected and found sizes.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void ConfusionMatrix(string path, int[,] counts, IReadOnlyList<string> classNames, string? title = null)
    {
        ConfusionLayout layout = CheckConfusion(counts, classNames, out long total, out long right, out int max);
        int n = layout.Classes;
        using var figure = new FigureCanvas(layout.Width, layout.Height);
        double percent = total == 0 ? 0 : 100.0 * right / total;
        title ??= string.Create(CultureInfo.InvariantCulture, $"Confusion matrix: {right} of {total} right ({percent:0.0} %)");
        (string[] titleLines, float titleSize) = FigureCanvas.Fit(title.ReplaceLineEndings(" "), layout.Width - (2 * Margin), TitleSize, 14, bold: true);
        figure.Text(titleLines[0], layout.Width / 2f, Margin, titleSize, SKTextAlign.Center, bold: true);
        if (!layout.Numbered)
        {
            figure.Text($"{n} classes: cells too small to write their counts; the colour bar gives them", layout.Width / 2f, Margin + 28, LabelSize,
                SKTextAlign.Center, color: SKColors.DimGray);
        }

        int cell = layout.Cell;
        float gridLeft = layout.GridLeft;
        float gridTop = layout.GridTop;
        float gridSize = cell * n;
        using var separator = new SKPaint { Color = SKColors.White, Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                var rect = SKRect.Create(gridLeft + (j * cell), gridTop + (i * cell), cell, cell);
                SKColor color = ColorScales.Blues(counts[i, j], max);
                figure.Fill(rect, color);
                figure.Canvas.DrawRect(rect, separator);
                if (layout.Numbered && (counts[i, j] != 0 || n <= MaximumClassesWithZeros))
                {
                    figure.TextCentered(counts[i, j].ToString(CultureInfo.InvariantCulture), rect, layout.CountSize, bold: i == j, color: ColorScales.TextOn(color));
                }
            }
        }

        var grid = SKRect.Create(gridLeft, gridTop, gridSize, gridSize);
        figure.Frame(grid, SKColors.Gray);
        for (int k = 0; k < n; k++)
        {
            figure.TextRotated(layout.Names[k], gridLeft - 8, gridTop + ((k + 0.5f) * cell), layout.NameSize, 0, SKTextAlign.Right);
            figure.TextRotated(layout.Names[k], gridLeft + ((k + 0.5f) * cell) + (layout.ColumnAngle == 45 ? 4 : 0), grid.Bottom + 10, layout.NameSize,
                -layout.ColumnAngle, SKTextAlign.Right);
        }

        float axisTitleSize = LabelSize + 1;
        figure.TextCentered("predicted class", SKRect.Create(gridLeft, grid.Bottom + layout.ColumnNamesHeight, gridSize, layout.AxisTitleBand), axisTitleSize, bold: true);
        figure.TextVertical("true class", layout.BlockLeft + (layout.AxisTitleBand / 2), grid.MidY, axisTitleSize, bold: true);

        var bar = SKRect.Create(grid.Right + 24, gridTop, ColorBarWidth, Math.Min(gridSize, 600));
        double barMax = Math.Max(1, max);
        figure.Text("images", bar.MidX, gridTop - 22, LabelSize, SKTextAlign.Center);
        figure.ColorBarVertical(bar, v => ColorScales.Blues(v, barMax), 0, barMax, FigureCanvas.NiceTicks(barMax), 12);
        figure.Save(path);
    }

    /// <summary>Where the parts of a confusion-matrix figure go, and at which sizes (see <see cref="ConfusionMatrix"/>'s remarks).</summary>
    internal sealed record ConfusionLayout(int Classes, int Width, int Height, int Cell, float GridLeft, float GridTop, float BlockLeft,
        string[] Names, float NameSize, int ColumnAngle, float ColumnNamesHeight, float AxisTitleBand, bool Numbered, float CountSize);

    /// <summary>Checks the arguments of <see cref="ConfusionMatrix"/> and lays the figure out.</summary>
    internal static ConfusionLayout CheckConfusion(int[,] counts, IReadOnlyList<string> classNames, out long total, out long right, out int max)
    {
        int n = counts.GetLength(0);
        if (n == 0 || counts.GetLength(1) != n)
        {
            throw new ArgumentException($"counts: expected a square classes x classes matrix, found {counts.GetLength(0)} x {counts.GetLength(1)}", nameof(counts));
        }

        CheckLength(classNames.Count, n, $"classNames: one per row of the {n} x {n} counts", nameof(classNames));
        total = 0;
        right = 0;
        max = 0;
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

        string widest = max.ToString(CultureInfo.InvariantCulture);
        float axisTitleBand = FigureCanvas.LineHeight(LabelSize + 1) + 8;
        const float BarSpace = 24 + ColorBarWidth + 64;
        const float GridTopAt = Margin + 50;

        // First as if at 13 px names and 45 degrees, for the cell that fits into 900 x 860.
        float NameWidth(float size) => classNames.Max(name => FigureCanvas.MeasureText(FigureCanvas.Fit(name, 160, size, size).Lines[0], size));
        float ColumnBand(float nameWidth, float size, int angle) => angle == 45 ? (nameWidth * MathF.Sqrt(0.5f)) + size + 10 : nameWidth + 10;
        float leftOfGrid = Margin + axisTitleBand + NameWidth(LabelSize) + 10;
        float freeWidth = ConfusionWidth - Margin - BarSpace - leftOfGrid;
        float freeHeight = ConfusionHeight - Margin - axisTitleBand - ColumnBand(NameWidth(LabelSize), LabelSize, 45) - GridTopAt;
        int fitCell = (int)(Math.Min(freeWidth, freeHeight) / n);
        int numberCell = (int)MathF.Ceiling(FigureCanvas.MeasureText(widest, MinimumTextSize, bold: true)) + 6;
        int cell = Math.Max(fitCell, MinimumConfusionCell);
        if (cell < numberCell)
        {
            cell = Math.Max(cell, Math.Min(numberCell, MaximumConfusionGrid / n));
        }

        // Names as large as the rows allow; column names slanted when the columns leave room for it.
        float nameSize = LabelSize;
        while (nameSize > MinimumTextSize && FigureCanvas.LineHeight(nameSize) > cell)
        {
            nameSize -= 0.5f;
        }

        int angle = cell * MathF.Sqrt(0.5f) >= FigureCanvas.LineHeight(nameSize) ? 45 : 90;
        string[] names = classNames.Select(name => FigureCanvas.Fit(name, 160, nameSize, nameSize).Lines[0]).ToArray();
        float nameWidth = names.Max(name => FigureCanvas.MeasureText(name, nameSize));
        float columnNamesHeight = ColumnBand(nameWidth, nameSize, angle);
        float countSize = Math.Clamp(cell * 0.3f, MinimumTextSize, 14);
        bool numbered = FigureCanvas.MeasureText(widest, countSize, bold: true) + 4 <= cell;

        float gridSize = cell * n;
        float gridLeft = Margin + axisTitleBand + nameWidth + 10;
        float gridTop = GridTopAt;
        int width = Math.Max(ConfusionWidth, (int)MathF.Ceiling(gridLeft + gridSize + BarSpace + Margin));
        int height = Math.Max(ConfusionHeight, (int)MathF.Ceiling(gridTop + gridSize + columnNamesHeight + axisTitleBand + Margin));

        // Centre the block (names, grid, colour bar) in the room that the square grid leaves.
        float shiftX = MathF.Floor((width - Margin - BarSpace - gridLeft - gridSize) / 2);
        gridLeft += shiftX;
        gridTop += MathF.Floor((height - Margin - axisTitleBand - columnNamesHeight - GridTopAt - gridSize) / 2);
        return new ConfusionLayout(n, width, height, cell, gridLeft, gridTop, Margin + shiftX, names, nameSize, angle, columnNamesHeight, axisTitleBand, numbered, countSize);
    }
}

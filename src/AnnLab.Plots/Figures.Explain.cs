using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace AnnLab.Plots;

public static partial class Figures
{
    private const int ExplainWidth = 1480;
    private const int ExplainSlot = ExplainWidth / 4;
    private const int ExplainHeaderHeight = 76;
    private const int ExplainPanelTitleHeight = 46;
    private const int ExplainGridBox = 260;

    /// <summary>The input image may be wider than high: up to this wide (its slot is 370 px), up to <see cref="ExplainGridBox"/> high.</summary>
    private const int ExplainImageBoxWidth = 340;
    private const int ExplainWeightBox = 444;
    private const int ExplainRow1Height = ExplainPanelTitleHeight + ExplainGridBox + 48;
    private const int ExplainRow2Height = ExplainPanelTitleHeight + ExplainWeightBox + 24;
    private const int ExplainRow3Height = 400;

    /// <summary>The least height of one bar of the output panels (bar and gap), so that 13 px class names never overlap.</summary>
    internal const int MinimumBarPitch = 16;

    /// <summary>Height of an output-bar plot outside its bars: title, x axis and its label.</summary>
    private const int BarPlotFrame = 110;

    /// <summary>Class names in the output panels are cut to this width (with an ellipsis), the class number kept.</summary>
    private const int BarNameWidth = 220;

    /// <summary>A grid cell at least this wide gets its value written in it.</summary>
    private const int MinimumNumberedCell = 40;

    private static readonly ScottPlot.Color BarColor = new(120, 150, 190);

    /// <summary>
    /// Draws one image's path through a network of one or more hidden layers, as the lab's "one image's path through
    /// the network", titled "Image 4003: Dress -> Dress (index: true -> predicted)" (<see cref="ImageCaption"/>) with
    /// "right" (green) or "misclassified" (red) under it. Each weight panel is named by the layers it joins
    /// (<see cref="Explanation.WeightLayerName"/>: "input \u2192 hidden", "hidden \u2192 output" for the lab's network;
    /// "input \u2192 hidden 1", "hidden 1 \u2192 hidden 2", ..., "hidden L \u2192 output" for L hidden layers).
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="explanation">The image and the network's values for it; see <see cref="Explanation"/> for the shapes.</param>
    /// <remarks>
    /// <para>Size in pixels: 1480 x 1360 for one hidden layer of any number of units and up to 18 classes, in three rows under
    /// a 76 px title band; each hidden layer after the first adds a row of 354 px between rows 2 and 3 (784-64-32-10: 1480 x 1714);
    /// with more classes row 3 grows to 16 px per class plus 110 px (47 classes: 1480 x 1822, 100 classes: 1480 x 2670),
    /// so that no two class names overlap.</para>
    /// <para>Row 1, left to right: the input image in its own shape (gray, 0 black, whole-pixel scaled into 340 x 260 px: 252 x 252 for 28 x 28, 340 x 204 for 12 x 20); the (first) hidden layer's z and its a = g(z), each as a
    /// near-square grid of cells (<see cref="NearSquareGrid(int)"/>, 5 x 5 for 25 units; unit j at row j / columns,
    /// column j % columns in every grid of this figure) coloured blue-white-red symmetric around 0 for z and
    /// viridis over [min(0, min a), max(1, max a)] for a, with a colour bar under each; the lab's 0/1 view
    /// (1 where a &gt;= 0.5 for the sigmoid, a &gt; 0 for other activations, <see cref="Explanation.OnRule"/>) in white/black. Cells 40 px wide or more (up to 36 units) also show their value.</para>
    /// <para>Row 2: each hidden unit's incoming weights as an image in the input's shape, only for the units that the
    /// 0/1 view turns on (the others gray), on one blue-white-red scale symmetric around 0 (the largest |weight| of all units),
    /// in row 1's grid, or, for images far from square where that grid would draw them under 1 px per pixel, in a grid
    /// of their own shape (<see cref="NearSquareGrid(int, int, int)"/>: one column of strips for 1 x 100), the panel title then saying so;
    /// for more than 64 units (too many to see at 28 px or less each) only the 25 most active units that are on
    /// (<see cref="MostActiveUnits"/>: the largest a first), each titled "unit j", 56 px each for 28 x 28 inputs;
    /// then the output layer's weights from each unit of the last hidden layer into output <see cref="Explanation.ComparedClass"/> (0, or another class when 0 is the predicted one) and into the predicted class's output,
    /// as grids like row 1's (of the last hidden layer's units), both on one blue-white-red scale.</para>
    /// <para>One row per hidden layer l after the first (<see cref="Explanation.DeeperLayers"/>): the weight matrix
    /// hidden l - 1 \u2192 hidden l (row j: unit j of layer l, column i: unit i of layer l - 1; blue-white-red symmetric
    /// around 0, scaled into 340 x 256 px), then that layer's z, a and 0/1 view as in row 1, the 0/1 title counting the units on.</para>
    /// <para>Row 3: the output scores z and probabilities h (one bar per class) as horizontal bars, class 0 at the
    /// top, labeled "name (class)" (names cut at 220 px with an ellipsis), the predicted class's bar orange and the
    /// true class marked "(true)".</para>
    /// </remarks>
    /// <exception cref="ArgumentException">A length in <paramref name="explanation"/> does not fit the others, or a
    /// class index is outside 0 .. classes - 1; the message names the field, the expected and the found value.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Explain(string path, Explanation explanation)
    {
        Explanation e = explanation;
        Check(e);
        int units = e.HiddenPreActivations.Length;
        int classes = e.ClassNames.Count;
        (int gridRows, int gridColumns) = NearSquareGrid(units);

        int row3Height = BarPanelHeight(classes, ExplainRow3Height);
        int height = ExplainHeaderHeight + ExplainRow1Height + ExplainRow2Height + (e.DeeperLayers.Count * ExplainRow1Height) + row3Height + Margin;
        using var figure = new FigureCanvas(ExplainWidth, height);
        string title = $"Image {ImageCaption(e.Index, e.ClassNames[e.TrueClass], e.ClassNames[e.PredictedClass])} ({CaptionConvention})";
        (string[] titleLines, float titleSize) = FigureCanvas.Fit(title, ExplainWidth - (2 * Margin), TitleSize + 2, 14, bold: true);
        figure.Text(titleLines[0], ExplainWidth / 2f, Margin, titleSize, SKTextAlign.Center, bold: true);
        bool right = e.TrueClass == e.PredictedClass;
        figure.Text(right ? "right" : "misclassified", ExplainWidth / 2f, Margin + 32, PanelTitleSize, SKTextAlign.Center, bold: true,
            color: right ? new SKColor(0, 130, 40) : ColorScales.Marked);

        // Row 1: image, z, a, 0/1 view.
        float top = ExplainHeaderHeight;
        float gridTop = top + ExplainPanelTitleHeight;
        SKRect slot = SKRect.Create(0, top, ExplainSlot, ExplainRow1Height);
        PanelTitle(figure, slot, $"input image ({e.ImageRows} x {e.ImageColumns})");
        float imageScale = WholeScaleIfAtLeastOne(Math.Min(ExplainImageBoxWidth / (float)e.ImageColumns, ExplainGridBox / (float)e.ImageRows));
        var imageRect = SKRect.Create(slot.MidX - (e.ImageColumns * imageScale / 2f), gridTop, e.ImageColumns * imageScale, e.ImageRows * imageScale);
        figure.Image(e.Image.Select(ColorScales.Gray).ToArray(), e.ImageRows, e.ImageColumns, imageRect);
        figure.Frame(imageRect, SKColors.Gray);

        float[] onOff = HiddenLayerPanels(figure, e, 0, top, e.HiddenPreActivations, e.HiddenActivations);

        // Row 2: the weights of the units that are on, then the weights into the compared output and into the predicted output.
        top += ExplainRow1Height;
        gridTop = top + ExplainPanelTitleHeight;
        slot = SKRect.Create(0, top, 2 * ExplainSlot, ExplainRow2Height);
        int on = onOff.Count(v => v > 0);
        string unitsName = e.HiddenLayerCount == 1 ? "hidden units" : $"units of {e.HiddenLayerName(0)}";
        string unitName = e.HiddenLayerCount == 1 ? "hidden unit" : $"unit of {e.HiddenLayerName(0)}";
        if (units > MaximumMaskedUnits)
        {
            int[] chosen = MostActiveUnits(e);
            PanelTitle(figure, slot, $"weights {e.WeightLayerName(0)}: the {chosen.Length} most active of the {on} {unitsName} that are on ({e.OnRule})\nmost active first, each titled with its unit's index; one colour scale for all units");
            ActiveWeights(figure, slot, gridTop, e, chosen);
        }
        else
        {
            (int weightRows, int weightColumns, float _) = MaskedWeightsGrid(e, units, gridRows, gridColumns);
            bool ownGrid = (weightRows, weightColumns) != (gridRows, gridColumns);
            PanelTitle(figure, slot, $"weights {e.WeightLayerName(0)}: {UnitsOn(on, unitName, unitsName)} ({e.OnRule})\ngray: unit off; one colour scale for all units"
                + (ownGrid ? $"; unit j at row j / {weightColumns}, column j % {weightColumns}" : ""));
            MaskedWeights(figure, slot, gridTop, e, onOff, weightRows, weightColumns);
        }

        double outLimit = Math.Max(ColorScales.SymmetricLimit(e.OutputWeightsCompared), ColorScales.SymmetricLimit(e.OutputWeightsPredicted));
        string predictedName = e.ClassNames[e.PredictedClass];
        string outputLayer = e.WeightLayerName(e.HiddenLayerCount);
        (int Class, float[] Weights, string Title)[] outputs =
        [
            (e.ComparedClass, e.OutputWeightsCompared, $"weights {outputLayer} {e.ComparedClass}\n({e.ClassNames[e.ComparedClass]}{(e.ComparedClass == e.TrueClass ? ", true" : "")})"),
            (e.PredictedClass, e.OutputWeightsPredicted, $"weights {outputLayer} {e.PredictedClass}\n({predictedName}, predicted)"),
        ];
        (int lastRows, int lastColumns) = NearSquareGrid(e.LastHiddenUnits);
        int lastCell = ExplainGridBox / Math.Max(lastRows, lastColumns);
        for (int o = 0; o < outputs.Length; o++)
        {
            slot = SKRect.Create((2 + o) * ExplainSlot, top, ExplainSlot, ExplainRow2Height);
            PanelTitle(figure, slot, outputs[o].Title);
            SKRect grid = ValueGridPanel(figure, slot, gridTop, outputs[o].Weights, lastRows, lastColumns, lastCell,
                v => ColorScales.Diverging(v, outLimit), lastCell >= MinimumNumberedCell);
            figure.ColorBarHorizontal(SKRect.Create(grid.Left, grid.Bottom + 10, grid.Width, 12), v => ColorScales.Diverging(v, outLimit),
                -outLimit, outLimit, [-outLimit, 0, outLimit], 12);
        }

        // One row per later hidden layer: its incoming weights, z, a and 0/1 view.
        top += ExplainRow2Height;
        for (int l = 1; l < e.HiddenLayerCount; l++)
        {
            HiddenLayerValues layer = e.DeeperLayers[l - 1];
            HiddenLayerPanels(figure, e, l, top, layer.PreActivations, layer.Activations);
            top += ExplainRow1Height;
        }

        // Row 3: output scores and probabilities.
        string[] labels = BarLabels(e.ClassNames, c => c == e.TrueClass ? $"({c}, true)" : $"({c})");
        Plot scores = OutputBars(e.OutputScores, labels, e.PredictedClass, "output scores z", "z", probabilities: false);
        figure.Plot(scores, SKRect.Create(0, top, ExplainWidth / 2f, row3Height));
        Plot probabilities = OutputBars(e.OutputProbabilities, labels, e.PredictedClass, e.OutputTitle, "h", probabilities: true);
        figure.Plot(probabilities, SKRect.Create(ExplainWidth / 2f, top, ExplainWidth / 2f, row3Height));
        figure.Save(path);
    }

    /// <summary>
    /// A hidden layer's row: in the first slot the input image (layer 0) or the matrix of the layer's incoming weights
    /// (a later layer), then its z, a and 0/1 view as grids. Returns the 0/1 view.
    /// </summary>
    private static float[] HiddenLayerPanels(FigureCanvas figure, Explanation e, int layer, float top, float[] z, float[] a)
    {
        float gridTop = top + ExplainPanelTitleHeight;
        SKRect slot = SKRect.Create(0, top, ExplainSlot, ExplainRow1Height);
        if (layer > 0)
        {
            float[] weights = e.DeeperLayers[layer - 1].IncomingWeights;
            int fanIn = weights.Length / z.Length;
            PanelTitle(figure, slot, $"weights {e.WeightLayerName(layer)}\nrow j: {e.HiddenLayerName(layer)} unit j ({z.Length} x {fanIn})");
            float scale = WholeScaleIfAtLeastOne(Math.Min((ExplainImageBoxWidth - 40) / (float)fanIn, (ExplainGridBox - 4) / (float)z.Length));
            var rect = SKRect.Create(slot.MidX - (fanIn * scale / 2f), gridTop, fanIn * scale, z.Length * scale);
            double wLimit = ColorScales.SymmetricLimit(weights);
            figure.Image(weights.Select(w => ColorScales.Diverging(w, wLimit)).ToArray(), z.Length, fanIn, rect);
            figure.Frame(rect, SKColors.Gray);
            figure.ColorBarHorizontal(SKRect.Create(rect.Left, rect.Bottom + 10, rect.Width, 12), v => ColorScales.Diverging(v, wLimit),
                -wLimit, wLimit, [-wLimit, 0, wLimit], 12);
        }

        string name = e.HiddenLayerCount == 1 ? "hidden layer" : $"hidden layer {layer + 1}";
        (int gridRows, int gridColumns) = NearSquareGrid(z.Length);
        int cell = ExplainGridBox / Math.Max(gridRows, gridColumns);
        bool numbered = cell >= MinimumNumberedCell;
        double zLimit = ColorScales.SymmetricLimit(z);
        slot = SKRect.Create(ExplainSlot, top, ExplainSlot, ExplainRow1Height);
        PanelTitle(figure, slot, $"{name} z\n(pre-activation)");
        SKRect grid = ValueGridPanel(figure, slot, gridTop, z, gridRows, gridColumns, cell,
            v => ColorScales.Diverging(v, zLimit), numbered);
        figure.ColorBarHorizontal(SKRect.Create(grid.Left, grid.Bottom + 10, grid.Width, 12), v => ColorScales.Diverging(v, zLimit),
            -zLimit, zLimit, [-zLimit, 0, zLimit], 12);

        double aMin = Math.Min(0, a.Where(float.IsFinite).DefaultIfEmpty(0).Min());
        double aMax = Math.Max(1, a.Where(float.IsFinite).DefaultIfEmpty(1).Max());
        slot = SKRect.Create(2 * ExplainSlot, top, ExplainSlot, ExplainRow1Height);
        PanelTitle(figure, slot, $"{name} a = g(z)\n(activation)");
        grid = ValueGridPanel(figure, slot, gridTop, a, gridRows, gridColumns, cell,
            v => ColorScales.Sequential(v, aMin, aMax), numbered);
        figure.ColorBarHorizontal(SKRect.Create(grid.Left, grid.Bottom + 10, grid.Width, 12), v => ColorScales.Sequential(v, aMin, aMax),
            aMin, aMax, [aMin, (aMin + aMax) / 2, aMax], 12);

        float[] onOff = a.Select(v => e.IsOn(v) ? 1f : 0f).ToArray();
        slot = SKRect.Create(3 * ExplainSlot, top, ExplainSlot, ExplainRow1Height);
        PanelTitle(figure, slot, $"0/1 view: 1 where {e.OnRule}\n(unit on" + (e.HiddenLayerCount == 1 ? ")" : $": {onOff.Count(v => v > 0)} of {onOff.Length})"));
        ValueGridPanel(figure, slot, gridTop, onOff, gridRows, gridColumns, cell,
            v => v > 0 ? SKColors.White : SKColors.Black, numbered, v => v > 0 ? "1" : "0", SKColors.Gray);
        if (!numbered)
        {
            figure.Text("white: 1, black: 0", slot.MidX, grid.Bottom + 10, 12, SKTextAlign.Center);
        }

        return onOff;
    }

    private static void Check(Explanation explanation)
    {
        Explanation e = explanation;
        const string Param = nameof(explanation);
        ArgumentOutOfRangeException.ThrowIfLessThan(e.ImageRows, 1, Param);
        ArgumentOutOfRangeException.ThrowIfLessThan(e.ImageColumns, 1, Param);
        int pixels = e.ImageRows * e.ImageColumns;
        CheckLength(e.Image.Length, pixels, $"Image: {e.ImageRows} x {e.ImageColumns} pixels", Param);
        int classes = e.ClassNames.Count;
        if (classes == 0)
        {
            throw new ArgumentException("ClassNames: expected at least 1, found 0", Param);
        }

        CheckLength(e.OutputScores.Length, classes, "OutputScores: one per class name", Param);
        CheckLength(e.OutputProbabilities.Length, classes, "OutputProbabilities: one per class name", Param);
        if (e.TrueClass < 0 || e.TrueClass >= classes)
        {
            throw new ArgumentException($"TrueClass: expected 0..{classes - 1}, found {e.TrueClass}", Param);
        }

        if (e.PredictedClass < 0 || e.PredictedClass >= classes)
        {
            throw new ArgumentException($"PredictedClass: expected 0..{classes - 1}, found {e.PredictedClass}", Param);
        }

        int units = e.HiddenPreActivations.Length;
        if (units == 0)
        {
            throw new ArgumentException("HiddenPreActivations: expected at least 1 unit, found 0", Param);
        }

        CheckLength(e.HiddenActivations.Length, units, "HiddenActivations: one per hidden unit (HiddenPreActivations.Length)", Param);
        if (e.ComparedClass < 0 || e.ComparedClass >= classes)
        {
            throw new ArgumentException($"ComparedClass: expected 0..{classes - 1}, found {e.ComparedClass}", Param);
        }

        int fanIn = units;
        for (int l = 0; l < e.DeeperLayers.Count; l++)
        {
            HiddenLayerValues layer = e.DeeperLayers[l];
            int layerUnits = layer.PreActivations.Length;
            if (layerUnits == 0)
            {
                throw new ArgumentException($"DeeperLayers[{l}].PreActivations: expected at least 1 unit, found 0", Param);
            }

            CheckLength(layer.Activations.Length, layerUnits, $"DeeperLayers[{l}].Activations: one per unit (PreActivations.Length)", Param);
            CheckLength(layer.IncomingWeights.Length, layerUnits * fanIn, $"DeeperLayers[{l}].IncomingWeights: {layerUnits} units x {fanIn} units of the layer before", Param);
            fanIn = layerUnits;
        }

        CheckLength(e.OutputWeightsCompared.Length, fanIn, "OutputWeightsCompared: one per unit of the last hidden layer", Param);
        CheckLength(e.OutputWeightsPredicted.Length, fanIn, "OutputWeightsPredicted: one per unit of the last hidden layer", Param);
        CheckLength(e.HiddenWeights.Length, units * pixels, $"HiddenWeights: {units} units x {pixels} pixels", Param);
    }

    /// <summary>Writes a panel's title (15 px bold, one or two lines) centred at the top of <paramref name="slot"/>.</summary>
    private static void PanelTitle(FigureCanvas figure, SKRect slot, string title)
    {
        (string[] lines, float size) = FigureCanvas.Fit(title, slot.Width - 16, PanelTitleSize, MinimumTextSize, bold: true);
        figure.Lines(lines, slot.MidX, slot.Top + 4, size, bold: true);
    }

    /// <summary>Draws a value grid centred horizontally in <paramref name="slot"/> from <paramref name="top"/>; returns its rectangle.</summary>
    private static SKRect ValueGridPanel(FigureCanvas figure, SKRect slot, float top, float[] values, int rows, int columns, int cell,
        Func<float, SKColor> colorOf, bool numbered, Func<float, string>? labelOf = null, SKColor? gridLine = null)
    {
        float left = slot.MidX - (columns * cell / 2f);
        figure.ValueGrid(values, rows, columns, left, top, cell, colorOf, numbered ? labelOf ?? FormatValue : null, 12, gridLine);
        return SKRect.Create(left, top, columns * cell, rows * cell);
    }

    /// <summary>Scales of 1 or more become whole (crisp pixels); smaller ones, for images too big for their box, stay as they are.</summary>
    private static float WholeScaleIfAtLeastOne(float scale) => scale >= 1 ? MathF.Floor(scale) : scale;

    /// <summary>A value in at most 5 characters for a grid cell: -3.21, 12.3, 150.</summary>
    private static string FormatValue(float value)
    {
        float magnitude = Math.Abs(value);
        string format = magnitude >= 99.95f ? "0" : magnitude >= 9.995f ? "0.0" : "0.00";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    private const int MaskedWeightsGap = 6;

    /// <summary>Up to this many units of the first hidden layer, row 2 draws every unit's weights (gray where off); with more, <see cref="MostActiveShown"/> of them.</summary>
    internal const int MaximumMaskedUnits = 64;

    /// <summary>How many units' weights row 2 draws for a first hidden layer of more than <see cref="MaximumMaskedUnits"/> units.</summary>
    internal const int MostActiveShown = 25;

    /// <summary>"the 1 hidden unit that is on", "the 7 hidden units that are on": the count with its noun and verb agreeing.</summary>
    internal static string UnitsOn(int on, string unitName, string unitsName) =>
        on == 1 ? $"the 1 {unitName} that is on" : $"the {on} {unitsName} that are on";

    /// <summary>The units of the first hidden layer that are on, the largest a first (ties by index), at most <see cref="MostActiveShown"/>.</summary>
    internal static int[] MostActiveUnits(Explanation e)
        => Enumerable.Range(0, e.HiddenActivations.Length).Where(j => e.IsOn(e.HiddenActivations[j]))
            .OrderByDescending(j => e.HiddenActivations[j]).ThenBy(j => j).Take(MostActiveShown).ToArray();

    /// <summary>The incoming weights of <paramref name="chosen"/> units in a grid of the images' shape, each titled with its index, on one scale for all units.</summary>
    private static void ActiveWeights(FigureCanvas figure, SKRect slot, float top, Explanation e, int[] chosen)
    {
        const int Gap = MaskedWeightsGap;
        const int LabelHeight = 14;
        double limit = ColorScales.SymmetricLimit(e.HiddenWeights);
        if (chosen.Length == 0)
        {
            figure.Text("no unit is on", slot.MidX, top + 20, LabelSize, SKTextAlign.Center, color: SKColors.DimGray);
            return;
        }

        int pixels = e.ImageRows * e.ImageColumns;
        (int rows, int columns) = NearSquareGrid(chosen.Length, e.ImageRows, e.ImageColumns);
        float scale = WholeScaleIfAtLeastOne(Math.Min(
            (ExplainWeightBox - (Gap * (columns - 1))) / (float)(columns * e.ImageColumns),
            (ExplainWeightBox - ((Gap + LabelHeight) * rows)) / (float)(rows * e.ImageRows)));
        float imageWidth = e.ImageColumns * scale;
        float imageHeight = e.ImageRows * scale;
        float gridWidth = (columns * imageWidth) + (Gap * (columns - 1));
        float left = slot.MidX - (gridWidth / 2f) - 40;
        var colors = new SKColor[pixels];
        for (int s = 0; s < chosen.Length; s++)
        {
            float x = left + (s % columns * (imageWidth + Gap));
            float y = top + (s / columns * (imageHeight + LabelHeight + Gap));
            (string[] label, float labelSize) = FigureCanvas.Fit($"unit {chosen[s]}", imageWidth + Gap - 2, MinimumTextSize, 8);
            figure.Text(label[0], x + (imageWidth / 2f), y, labelSize, SKTextAlign.Center);
            ReadOnlySpan<float> unit = e.HiddenWeights.AsSpan(chosen[s] * pixels, pixels);
            for (int k = 0; k < pixels; k++)
            {
                colors[k] = ColorScales.Diverging(unit[k], limit);
            }

            var rect = SKRect.Create(x, y + LabelHeight, imageWidth, imageHeight);
            figure.Image(colors, e.ImageRows, e.ImageColumns, rect);
            figure.Frame(rect, SKColors.LightGray);
        }

        float gridHeight = rows * (imageHeight + LabelHeight + Gap);
        var bar = SKRect.Create(left + gridWidth + 24, top + 20, ColorBarWidth, Math.Min(gridHeight - 20, 360));
        figure.Text("weight", bar.MidX, top, 12, SKTextAlign.Center);
        figure.ColorBarVertical(bar, v => ColorScales.Diverging(v, limit), -limit, limit, [-limit, -limit / 2, 0, limit / 2, limit], 12);
    }

    /// <summary>Row 1's unit grid, or the grid of the images' own shape when that one draws them larger (and row 1's would draw them under 1 px per pixel).</summary>
    internal static (int Rows, int Columns, float Scale) MaskedWeightsGrid(Explanation e, int units, int gridRows, int gridColumns)
    {
        float Scale(int rows, int columns) => WholeScaleIfAtLeastOne(Math.Min(
            (ExplainWeightBox - (MaskedWeightsGap * (columns - 1))) / (float)(columns * e.ImageColumns),
            (ExplainWeightBox - (MaskedWeightsGap * (rows - 1))) / (float)(rows * e.ImageRows)));
        float square = Scale(gridRows, gridColumns);
        (int rows, int columns) = NearSquareGrid(units, e.ImageRows, e.ImageColumns);
        float shaped = Scale(rows, columns);
        return square >= 1 || shaped <= square ? (gridRows, gridColumns, square) : (rows, columns, shaped);
    }

    private static void MaskedWeights(FigureCanvas figure, SKRect slot, float top, Explanation e, float[] onOff, int gridRows, int gridColumns)
    {
        const int Gap = MaskedWeightsGap;
        int pixels = e.ImageRows * e.ImageColumns;
        float scale = WholeScaleIfAtLeastOne(Math.Min(
            (ExplainWeightBox - (Gap * (gridColumns - 1))) / (float)(gridColumns * e.ImageColumns),
            (ExplainWeightBox - (Gap * (gridRows - 1))) / (float)(gridRows * e.ImageRows)));
        float imageWidth = e.ImageColumns * scale;
        float imageHeight = e.ImageRows * scale;
        float gridWidth = (gridColumns * imageWidth) + (Gap * (gridColumns - 1));
        float left = slot.MidX - (gridWidth / 2f) - 40;
        double limit = ColorScales.SymmetricLimit(e.HiddenWeights);
        var colors = new SKColor[pixels];
        for (int j = 0; j < onOff.Length; j++)
        {
            var rect = SKRect.Create(left + (j % gridColumns * (imageWidth + Gap)), top + (j / gridColumns * (imageHeight + Gap)), imageWidth, imageHeight);
            if (onOff[j] > 0)
            {
                ReadOnlySpan<float> unit = e.HiddenWeights.AsSpan(j * pixels, pixels);
                for (int k = 0; k < pixels; k++)
                {
                    colors[k] = ColorScales.Diverging(unit[k], limit);
                }

                figure.Image(colors, e.ImageRows, e.ImageColumns, rect);
            }
            else
            {
                figure.Fill(rect, ColorScales.Inactive);
            }
        }

        float gridHeight = (gridRows * imageHeight) + (Gap * (gridRows - 1));
        var bar = SKRect.Create(left + gridWidth + 24, top + 20, ColorBarWidth, Math.Min(gridHeight - 20, 360));
        figure.Text("weight", bar.MidX, top, 12, SKTextAlign.Center);
        figure.ColorBarVertical(bar, v => ColorScales.Diverging(v, limit), -limit, limit, [-limit, -limit / 2, 0, limit / 2, limit], 12);
    }

    /// <summary>The height of a panel of one bar per class: <paramref name="preferred"/>, or more so that each bar gets
    /// <see cref="MinimumBarPitch"/> px.</summary>
    internal static int BarPanelHeight(int classes, int preferred) => Math.Max(preferred, (classes * MinimumBarPitch) + BarPlotFrame);

    /// <summary>"name (c)" for each class, the name cut with an ellipsis so that the whole label fits in <see cref="BarNameWidth"/> px at 13 px.</summary>
    internal static string[] BarLabels(IReadOnlyList<string> classNames, Func<int, string> suffix)
        => classNames.Select((name, c) =>
        {
            string end = " " + suffix(c);
            float room = Math.Max(40, BarNameWidth - FigureCanvas.MeasureText(end, LabelSize));
            return FigureCanvas.Fit(name.ReplaceLineEndings(" "), room, LabelSize, LabelSize).Lines[0] + end;
        }).ToArray();

    /// <summary>Horizontal bars, class 0 at the top, the predicted class's bar orange, each bar's value written at its end.</summary>
    private static Plot OutputBars(float[] values, string[] labels, int predicted, string title, string xLabel, bool probabilities)
    {
        Plot plot = NewPlot();
        int n = values.Length;
        var bars = new List<Bar>(n);
        for (int c = 0; c < n; c++)
        {
            double value = float.IsFinite(values[c]) ? values[c] : 0;
            bars.Add(new Bar
            {
                Position = n - 1 - c,
                Value = value,
                FillColor = c == predicted ? Orange : BarColor,
                LineWidth = 0,
                Label = values[c].ToString(probabilities ? "0.000" : "0.00", CultureInfo.InvariantCulture),
            });
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        barPlot.ValueLabelStyle.FontName = EmbeddedFont.FamilyName;
        barPlot.ValueLabelStyle.FontSize = 12;
        plot.Axes.Left.SetTicks(Enumerable.Range(0, n).Select(c => (double)(n - 1 - c)).ToArray(), labels);
        plot.Axes.Left.TickLabelStyle.FontName = EmbeddedFont.FamilyName;
        plot.Axes.Left.TickLabelStyle.FontSize = LabelSize;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        plot.Add.VerticalLine(0, 1, ReferenceLine);
        double min = Math.Min(0, bars.Min(b => b.Value));
        double max = Math.Max(probabilities ? 1 : 0, bars.Max(b => b.Value));
        double pad = Math.Max(0.1, max - min) * 0.14;
        plot.Axes.SetLimits(min < 0 ? min - pad : 0, max + pad, -0.6, n - 0.4);
        if (probabilities && max <= 1)
        {
            // The room right of 1 is for the value labels; ticks past 1 would suggest a probability above 1.
            double[] ticks = Enumerable.Range(0, 11).Select(k => k / 10.0).ToArray();
            plot.Axes.Bottom.SetTicks(ticks, ticks.Select(t => t.ToString("0.#", CultureInfo.InvariantCulture)).ToArray());
            plot.Axes.Bottom.TickLabelStyle.FontName = EmbeddedFont.FamilyName;
            plot.Axes.Bottom.TickLabelStyle.FontSize = LabelSize;
        }

        plot.Title(title);
        plot.XLabel(xLabel);
        return plot;
    }
}

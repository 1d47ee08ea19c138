using ScottPlot;
using SkiaSharp;

namespace AnnLab.Plots;

/// <summary>One prediction for <see cref="Figures.Prediction"/>: the image as the network saw it and its outputs.</summary>
/// <param name="Title">The figure's title, e.g. "boot.png: predicted Ankle boot", or for an image of the data set "Image 17: Dress -> Dress (index: true -> predicted)" (<see cref="Figures.ImageCaption"/>).</param>
/// <param name="Image">Rows x Columns bytes, row-major, 0 black .. 255 white: the network's input.</param>
/// <param name="Rows">Image height in pixels.</param>
/// <param name="Columns">Image width in pixels.</param>
/// <param name="ClassNames">One name per output.</param>
/// <param name="Values">One value per class, 0..1: the probabilities (or the normalized scores).</param>
/// <param name="ValuesTitle">What <paramref name="Values"/> are, the bar chart's title.</param>
/// <param name="PredictedClass">The largest value's class, 0 .. classes - 1, drawn orange.</param>
/// <param name="Note">A line under the image, e.g. "100 x 100 RGB, light background: inverted".</param>
public sealed record PredictionFigure(string Title, byte[] Image, int Rows, int Columns, IReadOnlyList<string> ClassNames, float[] Values, string ValuesTitle, int PredictedClass, string Note);

public static partial class Figures
{
    private const int PredictWidth = 1100;
    private const int PredictHeight = 470;
    private const int PredictImageBox = 336;

    /// <summary>
    /// Draws an image as the network saw it (left, gray, 0 black, whole-pixel scaled into a 336 px box)
    /// beside the bar chart of its class values (right, class 0 at the top, the predicted class orange, names cut
    /// at 220 px with an ellipsis); 1100 x 470 pixels up to 18 classes, taller with more (16 px per class plus 170 px:
    /// 1100 x 922 for 47 classes), so that no two class names overlap.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="prediction">The image and its values.</param>
    /// <exception cref="ArgumentException">The image does not hold Rows x Columns bytes, the values are not one per class, or the predicted class is outside 0 .. classes - 1.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Prediction(string path, PredictionFigure prediction)
    {
        PredictionFigure p = prediction;
        ArgumentNullException.ThrowIfNull(p);
        ArgumentOutOfRangeException.ThrowIfLessThan(p.Rows, 1, nameof(prediction));
        ArgumentOutOfRangeException.ThrowIfLessThan(p.Columns, 1, nameof(prediction));
        CheckLength(p.Image.Length, p.Rows * p.Columns, $"Image: {p.Rows} x {p.Columns} pixels", nameof(prediction));
        CheckLength(p.Values.Length, p.ClassNames.Count, "Values: one per class name", nameof(prediction));
        if (p.PredictedClass < 0 || p.PredictedClass >= p.ClassNames.Count)
        {
            throw new ArgumentException($"PredictedClass: expected 0..{p.ClassNames.Count - 1}, found {p.PredictedClass}", nameof(prediction));
        }

        const float top = 60;
        int barsHeight = BarPanelHeight(p.ClassNames.Count, PredictHeight - (int)top);
        int height = (int)top + barsHeight;
        using var figure = new FigureCanvas(PredictWidth, height);
        (string[] titleLines, float titleSize) = FigureCanvas.Fit(p.Title, PredictWidth - (2 * Margin), TitleSize, 12, bold: true);
        figure.Text(titleLines[0], PredictWidth / 2f, Margin, titleSize, SKTextAlign.Center, bold: true);

        var slot = SKRect.Create(0, top, PredictImageBox + (2 * Margin), height - top);
        PanelTitle(figure, slot, $"as the network sees it ({p.Rows} x {p.Columns})");
        float scale = WholeScaleIfAtLeastOne((PredictImageBox - 16) / (float)Math.Max(p.Rows, p.Columns));
        var imageRect = SKRect.Create(slot.MidX - (p.Columns * scale / 2f), top + 30, p.Columns * scale, p.Rows * scale);
        figure.Image(p.Image.Select(ColorScales.Gray).ToArray(), p.Rows, p.Columns, imageRect);
        figure.Frame(imageRect, SKColors.Gray);
        (string[] noteLines, float noteSize) = FigureCanvas.Fit(p.Note, slot.Width - 8, LabelSize, MinimumTextSize);
        figure.Lines(noteLines, slot.MidX, imageRect.Bottom + 8, noteSize);

        string[] labels = BarLabels(p.ClassNames, c => $"({c})");
        Plot bars = OutputBars(p.Values, labels, p.PredictedClass, p.ValuesTitle, "", probabilities: true);
        figure.Plot(bars, SKRect.Create(slot.Right, top - 10, PredictWidth - slot.Right - Margin, barsHeight));
        figure.Save(path);
    }
}

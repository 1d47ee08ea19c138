using System.Globalization;
using ScottPlot;

namespace AnnLab.Plots;

/// <summary>
/// The lab's figures, each written as one PNG file: sample images, activation functions, learning
/// curves, hidden-unit weights, the confusion matrix and one image's path through the network.
/// </summary>
/// <remarks>
/// <para>Plots are drawn with ScottPlot 5 on SkiaSharp; grids of small images and values are drawn
/// with SkiaSharp directly. All text uses DejaVu Sans embedded in this assembly, so figures look
/// the same on a machine with no fonts installed; nothing needs registering by the caller.</para>
/// <para>Every file is encoded in memory first and then written through
/// <see cref="AnnLab.IO.AtomicFile.Write"/>: an exception leaves no file, or the earlier file
/// untouched. Folders on the path are created. Nothing is written to the console.</para>
/// <para>The methods may be called from several threads at once.</para>
/// </remarks>
public static partial class Figures
{
    /// <summary>Figure titles.</summary>
    private const float TitleSize = 20;

    /// <summary>Panel titles.</summary>
    private const float PanelTitleSize = 15;

    /// <summary>Labels, legends and numbers.</summary>
    private const float LabelSize = 13;

    /// <summary>The smallest text any figure uses.</summary>
    private const float MinimumTextSize = 11;

    /// <summary>Space around a figure's content.</summary>
    private const int Margin = 16;

    /// <summary>How every figure and console line names a classified image: <see cref="ImageCaption"/>'s "index: true -> predicted".</summary>
    public const string CaptionConvention = "index: true -> predicted";

    /// <summary>
    /// One classified image's caption in the one format of every figure, console line and report caption
    /// (<see cref="CaptionConvention"/>): <c>4012: Shirt -> T-shirt/top</c>, the image's index in the data set, its true
    /// class's name, then the predicted class's name.
    /// </summary>
    /// <param name="index">The image's index in the data set (what <c>explain</c> takes).</param>
    /// <param name="trueName">The true class's name.</param>
    /// <param name="predictedName">The predicted class's name.</param>
    public static string ImageCaption(int index, string trueName, string predictedName)
        => string.Create(CultureInfo.InvariantCulture, $"{index}: {trueName} -> {predictedName}");

    /// <summary>
    /// The title of a grid of misclassified images: which part, how many of them are drawn, their share of the part, and
    /// <see cref="CaptionConvention"/>, e.g.
    /// <c>Misclassified validation images: the first 25 of 147 (14.7% of 1000), index: true -> predicted</c>,
    /// <c>Misclassified validation images: all 6 (0.6% of 1000), index: true -> predicted</c> when all are drawn, and
    /// <c>Misclassified validation images: none of 1000</c> (percentage with one decimal, invariant culture).
    /// </summary>
    /// <param name="misclassified">Images predicted wrong.</param>
    /// <param name="total">Images measured.</param>
    /// <param name="part">Which images: validation, test or training.</param>
    /// <param name="shown">How many of the misclassified images the figure draws (the first ones); at most <paramref name="misclassified"/> counts.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="total"/> is less than 1,
    /// <paramref name="misclassified"/> is outside 0..<paramref name="total"/>, or <paramref name="shown"/> is negative.</exception>
    public static string MisclassifiedTitle(int misclassified, int total, string part = "validation", int shown = 25)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(total, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(misclassified);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(misclassified, total);
        ArgumentOutOfRangeException.ThrowIfNegative(shown);
        if (misclassified == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Misclassified {part} images: none of {total}");
        }

        double percent = 100.0 * misclassified / total;
        string which = shown >= misclassified ? $"all {misclassified}" : $"the first {shown} of {misclassified}";
        return string.Create(CultureInfo.InvariantCulture, $"Misclassified {part} images: {which} ({percent:0.0}% of {total}), {CaptionConvention}");
    }

    /// <summary>
    /// The grid in which <paramref name="count"/> panels are laid out, as square as possible:
    /// Columns = ceil(sqrt(count)), Rows = ceil(count / Columns), so Rows x Columns &gt;= count and
    /// Rows &lt;= Columns. 25 gives (5, 5), 128 gives (11, 12), 10 gives (3, 4).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public static (int Rows, int Columns) NearSquareGrid(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        int columns = 1;
        while ((long)columns * columns < count)
        {
            columns++;
        }

        int rows = (count + columns - 1) / columns;
        return (rows, columns);
    }

    /// <summary>
    /// The grid in which <paramref name="count"/> images of <paramref name="imageRows"/> x <paramref name="imageColumns"/>
    /// pixels are laid out so that the whole grid is about as high as it is wide:
    /// Columns = clamp(ceil(sqrt(count x imageRows / imageColumns)), 1, count), Rows = ceil(count / Columns).
    /// Square images give <see cref="NearSquareGrid(int)"/>'s grid (25 give 5 x 5); 25 images of 12 x 20 give 7 rows of 4,
    /// 25 of 1 x 100 one column of 25.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/>, <paramref name="imageRows"/> or
    /// <paramref name="imageColumns"/> is less than 1.</exception>
    public static (int Rows, int Columns) NearSquareGrid(int count, int imageRows, int imageColumns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageColumns, 1);
        if (imageRows == imageColumns)
        {
            return NearSquareGrid(count);
        }

        int columns = Math.Clamp((int)Math.Ceiling(Math.Sqrt((double)count * imageRows / imageColumns) - 1e-9), 1, count);
        return ((count + columns - 1) / columns, columns);
    }

    /// <summary>
    /// How many images of <paramref name="imageRows"/> x <paramref name="imageColumns"/> pixels an image grid puts in a
    /// row, for a layout that has <paramref name="preferred"/> columns for square images: round(preferred x
    /// sqrt(imageRows / imageColumns)), at least 1 and at most 2 x preferred, so that wide images get fewer, longer
    /// columns (10 for 28 x 28, 8 for 12 x 20, 1 for 1 x 100) and the grid keeps about the same shape.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is less than 1.</exception>
    public static int ImageGridColumns(int preferred, int imageRows, int imageColumns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(preferred, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageColumns, 1);
        return Math.Clamp((int)Math.Round(preferred * Math.Sqrt((double)imageRows / imageColumns)), 1, 2 * preferred);
    }

    /// <summary>A ScottPlot plot whose text all uses the embedded font, at the figures' sizes.</summary>
    private static Plot NewPlot()
    {
        var plot = new Plot();
        EmbeddedFont.Apply(plot);
        plot.Axes.Title.Label.FontSize = PanelTitleSize + 1;
        plot.Axes.Bottom.Label.FontSize = LabelSize + 1;
        plot.Axes.Left.Label.FontSize = LabelSize + 1;
        plot.Axes.Bottom.TickLabelStyle.FontSize = LabelSize;
        plot.Axes.Left.TickLabelStyle.FontSize = LabelSize;
        plot.Legend.FontSize = LabelSize;
        return plot;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the expected and the found length.</summary>
    private static void CheckLength(int found, int expected, string what, string paramName)
    {
        if (found != expected)
        {
            throw new ArgumentException($"{what}: expected {expected}, found {found}", paramName);
        }
    }
}

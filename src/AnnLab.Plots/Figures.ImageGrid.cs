using SkiaSharp;

namespace AnnLab.Plots;

public static partial class Figures
{
    /// <summary>Width the image grid aims at: images are scaled by the largest whole factor that keeps the figure within it.</summary>
    private const int ImageGridTargetWidth = 1000;

    /// <summary>Space between two panels of the image grid.</summary>
    private const int ImageGridGap = 10;

    /// <summary>Height of one line of an image's title (13 px text).</summary>
    private const int CaptionLineHeight = 16;

    /// <summary>Height of one line of a figure title (20 px bold text).</summary>
    private const int TitleLineHeight = 26;

    /// <summary>The longest side an image of the grid is drawn at (when it is 1 pixel or more per image pixel).</summary>
    private const int ImageGridMaxSide = 968;

    /// <summary>The least width of a titled panel: narrower images are centred in it, so that their titles stay readable.</summary>
    internal const int MinimumCaptionWidth = 80;

    /// <summary>
    /// Draws <paramref name="count"/> grayscale images in a grid <paramref name="gridColumns"/> wide and
    /// ceil(count / gridColumns) high, image after image along rows, as the lab's <c>imshow(..., cmap='gray')</c>:
    /// byte 0 black, 255 white.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="pixels">At least count x (imageRows x imageColumns) bytes, row-major, image after image
    /// (an <c>ImageSet</c>'s pixels); bytes after the count-th image are ignored.</param>
    /// <param name="imageRows">Height of one image in pixels (any; 28 for Fashion-MNIST).</param>
    /// <param name="imageColumns">Width of one image in pixels (any; 28 for Fashion-MNIST).</param>
    /// <param name="count">Number of images to show; 0 with a <paramref name="title"/> draws the title alone (e.g. no image misclassified).</param>
    /// <param name="gridColumns">Images per row of the grid.</param>
    /// <param name="titles">Optional, exactly one per image, drawn above it (13 px, all titles shrunk alike to no less than
    /// 11 px to fit the panel's width; a line still too long is wrapped at spaces onto two lines, the rest cut with an
    /// ellipsis); a title may have several lines separated by
    /// <c>'\n'</c>, e.g. <c>"Shirt\n→ T-shirt/top"</c>.</param>
    /// <param name="marked">Optional, exactly one per image: true draws that image's title and a 2 px frame
    /// around it in red (e.g. the misclassified ones).</param>
    /// <param name="title">Optional figure title at the top (20 px bold), e.g. <see cref="MisclassifiedTitle"/>.</param>
    /// <remarks>
    /// <para>Size in pixels: each image is drawn at a whole scale s = max(1, floor((968 - 10 (gridColumns - 1))
    /// / (gridColumns x imageColumns))) pixels per image pixel (3 for 10 columns of 28 x 28 images, so 84 px; 6 for 5 columns),
    /// but no more than keeps the image's longer side within 968 px (max(1, floor(968 / longer side))), panels 10 px apart,
    /// a 16 px margin all round. With <paramref name="titles"/> a panel is at least 80 px wide (P = max(imageColumns x s, 80),
    /// the image centred in it), else P = imageColumns x s. Width = 32 + gridColumns x P + 10 (gridColumns - 1).
    /// Height = 32 + T + rows x (imageRows x s + C) + 10 (rows - 1), where T = 14 + 26 x (lines of <paramref name="title"/>)
    /// or 0 without one, and C = 4 + 16 x (most lines of any title in <paramref name="titles"/>, wrapped lines counted) or 0 without titles.
    /// 100 images in 10 columns: 962 x 962 bare, 962 x 1,202 with a figure title and one-line titles, 962 x 1,362 with two-line titles.</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="imageRows"/>, <paramref name="imageColumns"/>,
    /// <paramref name="count"/> (0 allowed with a title) or <paramref name="gridColumns"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> is too short, or <paramref name="titles"/> or
    /// <paramref name="marked"/> does not have <paramref name="count"/> entries; the message gives the expected and found sizes.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void ImageGrid(string path, ReadOnlySpan<byte> pixels, int imageRows, int imageColumns, int count, int gridColumns,
        IReadOnlyList<string>? titles = null, IReadOnlyList<bool>? marked = null, string? title = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageColumns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, title is null ? 1 : 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(gridColumns, 1);
        int imagePixels = imageRows * imageColumns;
        long needed = (long)count * imagePixels;
        if (pixels.Length < needed)
        {
            throw new ArgumentException($"pixels: {count} images of {imageRows} x {imageColumns} need {needed} bytes, found {pixels.Length}", nameof(pixels));
        }

        if (titles is not null)
        {
            CheckLength(titles.Count, count, "titles: one per image", nameof(titles));
        }

        if (marked is not null)
        {
            CheckLength(marked.Count, count, "marked: one per image", nameof(marked));
        }

        int gridRows = (count + gridColumns - 1) / gridColumns;
        int scale = Math.Max(1, (ImageGridTargetWidth - (2 * Margin) - (ImageGridGap * (gridColumns - 1))) / (gridColumns * imageColumns));
        scale = Math.Min(scale, Math.Max(1, ImageGridMaxSide / Math.Max(imageRows, imageColumns)));
        int imageWidth = imageColumns * scale;
        int imageHeight = imageRows * scale;
        int panelWidth = titles is null ? imageWidth : Math.Max(imageWidth, MinimumCaptionWidth);
        int width = (2 * Margin) + (gridColumns * panelWidth) + (ImageGridGap * (gridColumns - 1));

        // One size for all image titles: the largest at which every line fits; lines too long even at the least size
        // are wrapped at spaces onto a second line, and what is still too long is cut with an ellipsis.
        string[][] captions = [];
        float captionSize = LabelSize;
        if (titles is { Count: > 0 })
        {
            float room = panelWidth + ImageGridGap - 2;
            captionSize = FigureCanvas.Fit(string.Join('\n', titles), room, LabelSize, MinimumTextSize).Size;
            captions = titles.Select(t => t.Split('\n').SelectMany(line => FigureCanvas.Wrap(line, room, captionSize, 2)).ToArray()).ToArray();
        }

        int captionLines = captions.Length == 0 ? 0 : captions.Max(c => c.Length);
        int captionHeight = captionLines == 0 ? 0 : (CaptionLineHeight * captionLines) + 4;
        int panelHeight = captionHeight + imageHeight;

        string[] titleLines = [];
        float titleSize = TitleSize;
        int titleHeight = 0;
        if (title is not null)
        {
            (titleLines, titleSize) = FigureCanvas.Fit(title, width - (2 * Margin), TitleSize, MinimumTextSize + 3, bold: true);
            titleHeight = 14 + (TitleLineHeight * titleLines.Length);
        }

        int height = (2 * Margin) + titleHeight + (gridRows * panelHeight) + (ImageGridGap * Math.Max(0, gridRows - 1));
        using var figure = new FigureCanvas(width, height);
        if (title is not null)
        {
            figure.Lines(titleLines, width / 2f, Margin, titleSize, bold: true);
        }

        var colors = new SKColor[imagePixels];
        for (int i = 0; i < count; i++)
        {
            float panelLeft = Margin + (i % gridColumns * (panelWidth + ImageGridGap));
            float left = panelLeft + ((panelWidth - imageWidth) / 2);
            float top = Margin + titleHeight + (i / gridColumns * (panelHeight + ImageGridGap));
            bool isMarked = marked is not null && marked[i];
            SKColor ink = isMarked ? ColorScales.Marked : SKColors.Black;
            if (titles is not null)
            {
                // Bottom-aligned, so that one-line and two-line titles sit right above their images.
                string[] lines = captions[i];
                float linesTop = top + captionHeight - 4 - (lines.Length * FigureCanvas.LineHeight(captionSize));
                figure.Lines(lines, panelLeft + (panelWidth / 2f), linesTop, captionSize, color: ink);
            }

            ReadOnlySpan<byte> image = pixels.Slice(i * imagePixels, imagePixels);
            for (int k = 0; k < imagePixels; k++)
            {
                colors[k] = ColorScales.Gray(image[k]);
            }

            var rect = SKRect.Create(left, top + captionHeight, imageWidth, imageHeight);
            figure.Image(colors, imageRows, imageColumns, rect);
            if (isMarked)
            {
                figure.Frame(rect, ink, 2);
            }
        }

        figure.Save(path);
    }
}

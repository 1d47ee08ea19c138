namespace AnnLab.Data;

/// <summary>When <see cref="ImagePreparation"/> turns an image's grays around (255 - v).</summary>
public enum Inversion
{
    /// <summary>When the image's background is light: the mean luminance of its border pixels (the outermost row and column on each side) is above 127.5.</summary>
    Auto,

    /// <summary>Always: the image is a dark object on a light background.</summary>
    Always,

    /// <summary>Never: the image is already a light object on black, as the data sets' images are.</summary>
    Never,
}

/// <summary>An image as a network sees it, and what was done to it.</summary>
/// <param name="Pixels">Rows x Columns bytes, row-major, 0 black (background) .. 255 white (object).</param>
/// <param name="Rows">The canvas height: the model's first input dimension.</param>
/// <param name="Columns">The canvas width: the model's second input dimension.</param>
/// <param name="SourceWidth">The image's width in pixels before fitting.</param>
/// <param name="SourceHeight">The image's height in pixels before fitting.</param>
/// <param name="FittedWidth">The width it was scaled to on the canvas (at most Columns).</param>
/// <param name="FittedHeight">The height it was scaled to on the canvas (at most Rows).</param>
/// <param name="BorderLuminance">The mean luminance 0..255 of the image's border pixels (what <see cref="Inversion.Auto"/> judges).</param>
/// <param name="Inverted">Whether the grays were turned around.</param>
public sealed record PreparedImage(byte[] Pixels, int Rows, int Columns, int SourceWidth, int SourceHeight, int FittedWidth, int FittedHeight, double BorderLuminance, bool Inverted);

/// <summary>
/// Turns a colour image of any size into a model's input, as MNIST-style data sets were made:
/// grayscale, inverted when its background is light, scaled to fit the model's canvas keeping its
/// aspect ratio, and centred on a black canvas.
/// </summary>
/// <remarks>
/// <para>Grayscale is the luma of ITU-R BT.601, Y = 0.299 R + 0.587 G + 0.114 B (what Pillow's
/// <c>convert("L")</c> and OpenCV's <c>COLOR_RGB2GRAY</c> compute). A pixel with alpha a &lt; 255 is
/// composited over white first, Y' = (a Y + (255 - a) 255) / 255: a transparent background becomes
/// the white background of the product photos Fashion-MNIST was made from, and an image with an
/// opaque alpha channel gives exactly the input of the same image without one.</para>
/// <para>Scaling: by s = min(Columns / width, Rows / height), to round(width s) x round(height s)
/// pixels, each output pixel the mean of the source area it covers (the box filter of OpenCV's
/// <c>INTER_AREA</c>), so a large photo is averaged rather than aliased; an image already of the
/// canvas size is not resampled at all. The scaled image is placed at
/// ((Columns - w) / 2, (Rows - h) / 2), rounded down, on a canvas of 0 (black); values are rounded to bytes.</para>
/// </remarks>
public static class ImagePreparation
{
    /// <summary>The smallest width and height accepted: a smaller image holds too little to scale up to a model's canvas (a 28 x 28 canvas would magnify it more than 3.5 times).</summary>
    public const int MinimumSide = 8;

    /// <summary>Prepares an image given as RGBA.</summary>
    /// <param name="rgba">width x height x 4 bytes, row-major, red, green, blue, alpha (not premultiplied).</param>
    /// <param name="width">The image's width in pixels, at least <see cref="MinimumSide"/>.</param>
    /// <param name="height">The image's height in pixels, at least <see cref="MinimumSide"/>.</param>
    /// <param name="inputShape">The model's input shape: [rows, columns].</param>
    /// <param name="inversion">When to invert.</param>
    /// <exception cref="ArgumentException">The shape is not two dimensions, a side is below <see cref="MinimumSide"/>, or <paramref name="rgba"/> does not hold width x height x 4 bytes.</exception>
    public static PreparedImage FromRgba(ReadOnlySpan<byte> rgba, int width, int height, IReadOnlyList<int> inputShape, Inversion inversion)
    {
        (int rows, int columns) = Canvas(inputShape);
        CheckSize(width, height);
        if (rgba.Length != (long)width * height * 4)
        {
            throw new ArgumentException($"expected {width} x {height} x 4 = {(long)width * height * 4} RGBA bytes, got {rgba.Length}", nameof(rgba));
        }

        var gray = new double[width * height]; // height x width, 0..255
        for (int p = 0; p < gray.Length; p++)
        {
            int r = rgba[4 * p], g = rgba[(4 * p) + 1], b = rgba[(4 * p) + 2], a = rgba[(4 * p) + 3];
            double y = (0.299 * r) + (0.587 * g) + (0.114 * b);
            gray[p] = a == 255 ? y : ((a * y) + ((255 - a) * 255.0)) / 255.0;
        }

        return Fit(gray, width, height, rows, columns, inversion);
    }

    /// <summary>Prepares a grayscale image (0 black .. 255 white).</summary>
    /// <param name="gray">width x height bytes, row-major.</param>
    /// <param name="width">The image's width in pixels, at least <see cref="MinimumSide"/>.</param>
    /// <param name="height">The image's height in pixels, at least <see cref="MinimumSide"/>.</param>
    /// <param name="inputShape">The model's input shape: [rows, columns].</param>
    /// <param name="inversion">When to invert.</param>
    /// <exception cref="ArgumentException">The shape is not two dimensions, a side is below <see cref="MinimumSide"/>, or <paramref name="gray"/> does not hold width x height bytes.</exception>
    public static PreparedImage FromGray(ReadOnlySpan<byte> gray, int width, int height, IReadOnlyList<int> inputShape, Inversion inversion)
    {
        (int rows, int columns) = Canvas(inputShape);
        CheckSize(width, height);
        if (gray.Length != (long)width * height)
        {
            throw new ArgumentException($"expected {width} x {height} = {(long)width * height} gray bytes, got {gray.Length}", nameof(gray));
        }

        var values = new double[gray.Length];
        for (int p = 0; p < gray.Length; p++)
        {
            values[p] = gray[p];
        }

        return Fit(values, width, height, rows, columns, inversion);
    }

    /// <summary>True when <paramref name="inputShape"/> is an image's: two dimensions, rows and columns.</summary>
    public static bool IsImageShape(IReadOnlyList<int> inputShape) => inputShape is { Count: 2 };

    private static (int Rows, int Columns) Canvas(IReadOnlyList<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        return IsImageShape(inputShape) && inputShape[0] >= 1 && inputShape[1] >= 1
            ? (inputShape[0], inputShape[1])
            : throw new ArgumentException($"expected an image input shape [rows, columns], got [{string.Join(", ", inputShape)}]", nameof(inputShape));
    }

    private static void CheckSize(int width, int height)
    {
        if (width < MinimumSide || height < MinimumSide)
        {
            throw new ArgumentException($"expected an image of at least {MinimumSide} x {MinimumSide} pixels, got {width} x {height}");
        }
    }

    private static PreparedImage Fit(double[] gray, int width, int height, int rows, int columns, Inversion inversion)
    {
        double border = BorderMean(gray, width, height);
        bool invert = inversion == Inversion.Always || (inversion == Inversion.Auto && border > 127.5);
        if (invert)
        {
            for (int p = 0; p < gray.Length; p++)
            {
                gray[p] = 255 - gray[p];
            }
        }

        double scale = Math.Min((double)columns / width, (double)rows / height);
        int fittedWidth = Math.Clamp((int)Math.Round(width * scale), 1, columns);
        int fittedHeight = Math.Clamp((int)Math.Round(height * scale), 1, rows);
        double[] fitted = fittedWidth == width && fittedHeight == height ? gray : Resample(gray, width, height, fittedWidth, fittedHeight);

        var pixels = new byte[rows * columns];
        int left = (columns - fittedWidth) / 2, top = (rows - fittedHeight) / 2;
        for (int y = 0; y < fittedHeight; y++)
        {
            for (int x = 0; x < fittedWidth; x++)
            {
                pixels[((top + y) * columns) + left + x] = (byte)Math.Clamp(Math.Round(fitted[(y * fittedWidth) + x]), 0, 255);
            }
        }

        return new PreparedImage(pixels, rows, columns, width, height, fittedWidth, fittedHeight, border, invert);
    }

    // The mean over the outermost row and column on each side, each pixel once.
    private static double BorderMean(double[] gray, int width, int height)
    {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (y == 0 || y == height - 1 || x == 0 || x == width - 1)
                {
                    sum += gray[(y * width) + x];
                    n++;
                }
            }
        }

        return sum / n;
    }

    // Area resampling, separable: columns first, then rows.
    private static double[] Resample(double[] source, int width, int height, int newWidth, int newHeight)
    {
        var across = new double[height * newWidth];
        for (int y = 0; y < height; y++)
        {
            AreaLine(source.AsSpan(y * width, width), 1, across.AsSpan(y * newWidth, newWidth), 1, width, newWidth);
        }

        var result = new double[newHeight * newWidth];
        for (int x = 0; x < newWidth; x++)
        {
            AreaLine(across.AsSpan(x), newWidth, result.AsSpan(x), newWidth, height, newHeight);
        }

        return result;
    }

    // One line of n values (stride apart) to m values: output i is the mean of source interval [i n / m, (i + 1) n / m).
    private static void AreaLine(ReadOnlySpan<double> source, int sourceStride, Span<double> destination, int destinationStride, int n, int m)
    {
        double step = (double)n / m;
        for (int i = 0; i < m; i++)
        {
            double start = i * step, end = Math.Min(n, (i + 1) * step);
            double sum = 0;
            for (int k = (int)Math.Floor(start); k < end && k < n; k++)
            {
                double overlap = Math.Min(end, k + 1) - Math.Max(start, k);
                if (overlap > 0)
                {
                    sum += overlap * source[k * sourceStride];
                }
            }

            destination[i * destinationStride] = sum / (end - start);
        }
    }
}

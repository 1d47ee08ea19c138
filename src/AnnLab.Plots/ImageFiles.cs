using AnnLab.Data;
using AnnLab.Network;
using SkiaSharp;

namespace AnnLab.Plots;

/// <summary>
/// Image files (PNG, JPEG, BMP; GIF and WebP too, their first frame) decoded with SkiaSharp and
/// turned into a model's input by <see cref="ImagePreparation"/>: grayscale, inverted when the
/// background is light, scaled to fit and centred on the model's canvas. A JPEG's EXIF orientation
/// is applied first, as photo viewers show it.
/// </summary>
public static class ImageFiles
{
    /// <summary>The most pixels a file may declare (a decompression bomb is refused before decoding).</summary>
    public const long MaximumPixels = 100_000_000;

    /// <summary>The largest file read (it is read whole before decoding).</summary>
    public const long MaximumFileBytes = 256L << 20;

    /// <summary>Reads <paramref name="path"/> and prepares it for a model of <paramref name="inputShape"/>.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="inputShape">The model's input shape, [rows, columns].</param>
    /// <param name="inversion">When to invert the grays.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">A folder, FIFO or device; a file that is not an image SkiaSharp decodes, an incomplete one, or one smaller than <see cref="ImagePreparation.MinimumSide"/> or larger than <see cref="MaximumPixels"/>; the message names the file, what was expected and what was found.</exception>
    /// <exception cref="ArgumentException">The shape is not an image's (two dimensions).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static PreparedImage Read(string path, IReadOnlyList<int> inputShape, Inversion inversion = Inversion.Auto)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (!ImagePreparation.IsImageShape(inputShape))
        {
            throw new ArgumentException($"expected an image input shape [rows, columns], got [{string.Join(", ", inputShape)}]", nameof(inputShape));
        }

        (byte[] rgba, int width, int height) = Decode(path);
        return ImagePreparation.FromRgba(rgba, width, height, inputShape, inversion);
    }

    /// <summary>The output layer's h for an image file, prepared for the model (see <see cref="Read"/>): classes values.</summary>
    /// <inheritdoc cref="Read"/>
    public static float[] PredictProbabilities(this Model model, string path, Inversion inversion = Inversion.Auto)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.PredictProbabilities(Read(path, model.Network.InputShape, inversion).Pixels);
    }

    /// <summary>The predicted class of an image file, prepared for the model (see <see cref="Read"/>).</summary>
    /// <inheritdoc cref="Read"/>
    public static int Predict(this Model model, string path, Inversion inversion = Inversion.Auto)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Predict(Read(path, model.Network.InputShape, inversion).Pixels);
    }

    /// <summary>
    /// The reader <see cref="ImageFolderSource"/> needs, which the core library cannot hold (it does
    /// not depend on SkiaSharp): sizes from <see cref="ReadSize"/>, pixels from <see cref="Read"/>, the
    /// one conversion <c>annlab predict</c> uses too.
    /// </summary>
    public static ImageFileReader FolderReader { get; } = new(ReadSize, (path, shape) => Read(path, shape.Dimensions).Pixels);

    /// <summary>Makes <see cref="FolderReader"/> the <see cref="ImageFolderSource.DefaultReader"/>, so that the <c>image-folder</c> data set opens: call once at start-up (the annlab program does).</summary>
    public static void UseForImageFolders() => ImageFolderSource.DefaultReader = FolderReader;

    /// <summary>An image file's width and height as shown (EXIF orientation applied), from its header: its pixels are not decoded.</summary>
    /// <param name="path">The image file.</param>
    /// <returns>Width and height in pixels.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a regular file, empty, not an image SkiaSharp decodes, or smaller than <see cref="ImagePreparation.MinimumSide"/> or larger than <see cref="MaximumPixels"/>; the message names the file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static (int Width, int Height) ReadSize(string path)
    {
        AnnLab.IO.RegularFile.Check(path, "an image file (PNG, JPEG or BMP)");
        long length = new FileInfo(path).Length;
        if (length == 0)
        {
            throw new InvalidDataException($"{path}: expected an image file (PNG, JPEG or BMP), got an empty file");
        }

        // The codec owns (and disposes) the stream; it reads the header only.
        using SKCodec? codec = SKCodec.Create(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12));
        if (codec is null)
        {
            using FileStream again = File.OpenRead(path);
            var first = new byte[Math.Min(8, length)];
            again.ReadExactly(first);
            throw new InvalidDataException($"{path}: expected an image file (PNG, JPEG or BMP), got {length} bytes that are none (first bytes {Convert.ToHexString(first)} in hex)");
        }

        CheckDeclared(path, codec.Info);
        bool swap = codec.EncodedOrigin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        return swap ? (codec.Info.Height, codec.Info.Width) : (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Decodes an image file to RGBA bytes (not premultiplied), EXIF orientation applied.</summary>
    /// <returns>width x height x 4 bytes, row-major, and the size.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a decodable image, incomplete, or too small or too large.</exception>
    internal static (byte[] Rgba, int Width, int Height) Decode(string path)
    {
        AnnLab.IO.RegularFile.Check(path, "an image file (PNG, JPEG or BMP)");
        if (new FileInfo(path).Length is long length and > MaximumFileBytes)
        {
            throw new InvalidDataException($"{path}: expected an image file of at most {MaximumFileBytes:N0} bytes, got {length:N0}");
        }

        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0)
        {
            throw new InvalidDataException($"{path}: expected an image file (PNG, JPEG or BMP), got an empty file");
        }

        using var data = SKData.CreateCopy(bytes);
        using SKCodec? codec = SKCodec.Create(data);
        if (codec is null)
        {
            throw new InvalidDataException($"{path}: expected an image file (PNG, JPEG or BMP), got {bytes.Length} bytes that are none (first bytes {Convert.ToHexString(bytes, 0, Math.Min(8, bytes.Length))} in hex)");
        }

        SKImageInfo declared = codec.Info;
        CheckDeclared(path, declared);

        var info = new SKImageInfo(declared.Width, declared.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        SKCodecResult result;
        unsafe
        {
            fixed (byte* p = rgba)
            {
                result = codec.GetPixels(info, (IntPtr)p);
            }
        }

        if (result != SKCodecResult.Success)
        {
            throw new InvalidDataException($"{path}: expected a complete {codec.EncodedFormat.ToString().ToUpperInvariant()} image of {declared.Width} x {declared.Height} pixels, got {DescribeFailure(result)}");
        }

        return Orient(rgba, declared.Width, declared.Height, codec.EncodedOrigin);
    }

    private static void CheckDeclared(string path, SKImageInfo declared)
    {
        if (declared.Width < ImagePreparation.MinimumSide || declared.Height < ImagePreparation.MinimumSide)
        {
            throw new InvalidDataException($"{path}: expected an image of at least {ImagePreparation.MinimumSide} x {ImagePreparation.MinimumSide} pixels, got {declared.Width} x {declared.Height}");
        }

        if ((long)declared.Width * declared.Height > MaximumPixels)
        {
            throw new InvalidDataException($"{path}: expected an image of at most {MaximumPixels:N0} pixels, got {declared.Width} x {declared.Height}");
        }
    }

    private static string DescribeFailure(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "a file that ends early",
        SKCodecResult.ErrorInInput => "corrupt image data",
        _ => $"a decoding failure ({result})",
    };

    // EXIF orientation (tag 0x0112): where the stored pixels' first row and column belong.
    private static (byte[] Rgba, int Width, int Height) Orient(byte[] rgba, int width, int height, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
        {
            return (rgba, width, height);
        }

        bool swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int newWidth = swap ? height : width, newHeight = swap ? width : height;
        var oriented = new byte[rgba.Length];
        for (int y = 0; y < newHeight; y++)
        {
            for (int x = 0; x < newWidth; x++)
            {
                // The stored pixel (sx, sy) shown at (x, y).
                (int sx, int sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (width - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (width - 1 - x, height - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, height - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, height - 1 - x),
                    SKEncodedOrigin.RightBottom => (width - 1 - y, height - 1 - x),
                    SKEncodedOrigin.LeftBottom => (width - 1 - y, x),
                    _ => (x, y),
                };
                Buffer.BlockCopy(rgba, ((sy * width) + sx) * 4, oriented, ((y * newWidth) + x) * 4, 4);
            }
        }

        return (oriented, newWidth, newHeight);
    }
}

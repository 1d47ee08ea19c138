using System.Runtime.InteropServices;
using SkiaSharp;

namespace AnnLab.Tests.Plots;

/// <summary>Writes image files of known pixels with SkiaSharp, as a user's camera or editor would.</summary>
internal static class TestImages
{
    /// <summary>An 8-bit grayscale PNG of exactly <paramref name="gray"/> (height x width bytes).</summary>
    public static void GrayPng(string path, ReadOnlySpan<byte> gray, int width, int height)
        => Save(path, gray, new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque), SKEncodedImageFormat.Png, 100);

    /// <summary>An RGB PNG (no alpha channel) of <paramref name="rgb"/>: height x width x 3 bytes.</summary>
    public static void RgbPng(string path, ReadOnlySpan<byte> rgb, int width, int height)
    {
        var rgbx = new byte[width * height * 4];
        for (int p = 0; p < width * height; p++)
        {
            rgbx[4 * p] = rgb[3 * p];
            rgbx[(4 * p) + 1] = rgb[(3 * p) + 1];
            rgbx[(4 * p) + 2] = rgb[(3 * p) + 2];
            rgbx[(4 * p) + 3] = 255;
        }

        Save(path, rgbx, new SKImageInfo(width, height, SKColorType.Rgb888x, SKAlphaType.Opaque), SKEncodedImageFormat.Png, 100);
    }

    /// <summary>An RGBA PNG of <paramref name="rgba"/>: height x width x 4 bytes, not premultiplied.</summary>
    public static void RgbaPng(string path, ReadOnlySpan<byte> rgba, int width, int height)
        => Save(path, rgba, new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), SKEncodedImageFormat.Png, 100);

    /// <summary>A gray image scaled to <paramref name="newWidth"/> x <paramref name="newHeight"/> (bicubic) and saved as an RGB JPEG of quality 95.</summary>
    public static void UpscaledRgbJpeg(string path, ReadOnlySpan<byte> gray, int width, int height, int newWidth, int newHeight)
    {
        using var small = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = new byte[width * height * 4];
        for (int p = 0; p < width * height; p++)
        {
            rgba[4 * p] = rgba[(4 * p) + 1] = rgba[(4 * p) + 2] = gray[p];
            rgba[(4 * p) + 3] = 255;
        }

        Marshal.Copy(rgba, 0, small.GetPixels(), rgba.Length);
        using SKBitmap large = small.Resize(new SKImageInfo(newWidth, newHeight, SKColorType.Rgba8888, SKAlphaType.Opaque), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using SKData jpeg = large.Encode(SKEncodedImageFormat.Jpeg, 95);
        File.WriteAllBytes(path, jpeg.ToArray());
    }

    private static void Save(string path, ReadOnlySpan<byte> pixels, SKImageInfo info, SKEncodedImageFormat format, int quality)
    {
        using var bitmap = new SKBitmap(info);
        Assert.Equal(info.BytesSize, pixels.Length);
        Marshal.Copy(pixels.ToArray(), 0, bitmap.GetPixels(), pixels.Length);
        using SKData data = bitmap.Encode(format, quality);
        File.WriteAllBytes(path, data.ToArray());
    }
}

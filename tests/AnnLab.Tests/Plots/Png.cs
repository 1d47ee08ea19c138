using SkiaSharp;

namespace AnnLab.Tests.Plots;

/// <summary>Reads back the figures' PNG files and looks at their pixels.</summary>
internal static class Png
{
    public static SKBitmap Load(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        SKBitmap? bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        return bitmap;
    }

    public static void AssertSize(SKBitmap bitmap, int width, int height)
    {
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
    }

    public static int DistinctColors(SKBitmap bitmap) => bitmap.Pixels.Distinct().Count();

    /// <summary>Pixels in [left, right) x [top, bottom) for which <paramref name="predicate"/> holds.</summary>
    public static int Count(SKBitmap bitmap, int left, int top, int right, int bottom, Func<SKColor, bool> predicate)
    {
        int count = 0;
        for (int y = Math.Max(0, top); y < Math.Min(bottom, bitmap.Height); y++)
        {
            for (int x = Math.Max(0, left); x < Math.Min(right, bitmap.Width); x++)
            {
                if (predicate(bitmap.GetPixel(x, y)))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Clearly red: the figures' "marked" colour, or anti-aliased text in it.</summary>
    public static bool IsRed(SKColor c) => c.Red > 150 && c.Green < 100 && c.Blue < 100;

    /// <summary>Dark enough to be black text on white.</summary>
    public static bool IsDark(SKColor c) => (0.299 * c.Red) + (0.587 * c.Green) + (0.114 * c.Blue) < 100;

    /// <summary>Population variance of the pixels' gray levels: 0 for a blank image.</summary>
    public static double GrayVariance(SKBitmap bitmap)
    {
        double[] gray = bitmap.Pixels.Select(c => (0.299 * c.Red) + (0.587 * c.Green) + (0.114 * c.Blue)).ToArray();
        double mean = gray.Average();
        return gray.Select(g => (g - mean) * (g - mean)).Average();
    }
}

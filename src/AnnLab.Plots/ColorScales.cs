using SkiaSharp;

namespace AnnLab.Plots;

/// <summary>The colour scales the figures share, so that one colour means the same in every figure.</summary>
internal static class ColorScales
{
    // ColorBrewer's RdBu, 11 classes, reversed: negative blue, zero near white, positive red.
    private static readonly SKColor[] DivergingStops =
    [
        new(0x05, 0x30, 0x61), new(0x21, 0x66, 0xac), new(0x43, 0x93, 0xc3), new(0x92, 0xc5, 0xde),
        new(0xd1, 0xe5, 0xf0), new(0xf7, 0xf7, 0xf7), new(0xfd, 0xdb, 0xc7), new(0xf4, 0xa5, 0x82),
        new(0xd6, 0x60, 0x4d), new(0xb2, 0x18, 0x2b), new(0x67, 0x00, 0x1f),
    ];

    // ColorBrewer's Blues, 9 classes: 0 almost white, the largest value dark blue.
    private static readonly SKColor[] BlueStops =
    [
        new(0xf7, 0xfb, 0xff), new(0xde, 0xeb, 0xf7), new(0xc6, 0xdb, 0xef), new(0x9e, 0xca, 0xe1), new(0x6b, 0xae, 0xd6),
        new(0x42, 0x92, 0xc6), new(0x21, 0x71, 0xb5), new(0x08, 0x51, 0x9c), new(0x08, 0x30, 0x6b),
    ];

    private static readonly ScottPlot.Colormaps.Viridis ViridisMap = new();

    /// <summary>The figures' accent for "marked" things (misclassified titles, frames).</summary>
    public static readonly SKColor Marked = new(0xd0, 0x10, 0x10);

    /// <summary>Colour of a hidden unit that the 0/1 view switches off.</summary>
    public static readonly SKColor Inactive = new(0xc8, 0xc8, 0xc8);

    /// <summary>Grayscale: 0 black, 255 white (the lab's <c>imshow(..., cmap='gray')</c>).</summary>
    public static SKColor Gray(byte value) => new(value, value, value);

    /// <summary>Blue-white-red for <paramref name="value"/> on [-<paramref name="limit"/>, <paramref name="limit"/>],
    /// symmetric around 0 (white); values outside are clamped.</summary>
    public static SKColor Diverging(double value, double limit)
    {
        double t = limit > 0 ? (value / limit + 1) / 2 : 0.5;
        return Interpolate(DivergingStops, t);
    }

    /// <summary>White to dark blue for <paramref name="value"/> on [0, <paramref name="max"/>] (counts).</summary>
    public static SKColor Blues(double value, double max) => Interpolate(BlueStops, max > 0 ? value / max : 0);

    /// <summary>Viridis (dark purple to yellow) for <paramref name="value"/> on [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static SKColor Sequential(double value, double min, double max)
    {
        double t = max > min ? (value - min) / (max - min) : 0.5;
        ScottPlot.Color c = ViridisMap.GetColor(Math.Clamp(double.IsFinite(t) ? t : 0.5, 0, 1));
        return new SKColor(c.R, c.G, c.B, c.A);
    }

    /// <summary>Black or white, whichever reads better on <paramref name="background"/>.</summary>
    public static SKColor TextOn(SKColor background)
    {
        double luminance = (0.299 * background.Red) + (0.587 * background.Green) + (0.114 * background.Blue);
        return luminance > 140 ? SKColors.Black : SKColors.White;
    }

    /// <summary>The largest |v| of <paramref name="values"/>, or 1 if all are 0 (so a scale never has zero width).</summary>
    public static double SymmetricLimit(ReadOnlySpan<float> values)
    {
        double limit = 0;
        foreach (float v in values)
        {
            if (float.IsFinite(v))
            {
                limit = Math.Max(limit, Math.Abs(v));
            }
        }

        return limit > 0 ? limit : 1;
    }

    private static SKColor Interpolate(SKColor[] stops, double t)
    {
        t = Math.Clamp(double.IsFinite(t) ? t : 0.5, 0, 1) * (stops.Length - 1);
        int i = Math.Min((int)t, stops.Length - 2);
        double f = t - i;
        SKColor a = stops[i];
        SKColor b = stops[i + 1];
        return new SKColor(Lerp(a.Red, b.Red, f), Lerp(a.Green, b.Green, f), Lerp(a.Blue, b.Blue, f));
    }

    private static byte Lerp(byte a, byte b, double f) => (byte)Math.Round(a + ((b - a) * f));
}

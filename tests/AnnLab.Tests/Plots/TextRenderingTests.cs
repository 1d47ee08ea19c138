using AnnLab.Plots;
using SkiaSharp;

namespace AnnLab.Tests.Plots;

/// <summary>
/// Text must draw on a machine with no fonts installed (CI's): the figures use DejaVu Sans embedded in
/// AnnLab.Plots, never a system font. These tests pass or fail the same with and without system fonts
/// (checked by hand with /usr/share/fonts hidden: the PNGs come out byte for byte the same).
/// </summary>
public class TextRenderingTests
{
    private readonly string folder = TestPaths.NewTempDirectory();

    [Fact]
    public void The_embedded_font_is_DejaVu_Sans_with_its_glyphs()
    {
        Assert.Equal("DejaVu Sans", EmbeddedFont.Regular.FamilyName);
        Assert.True(EmbeddedFont.Regular.GlyphCount > 3000, $"{EmbeddedFont.Regular.GlyphCount} glyphs");
        Assert.True(EmbeddedFont.Bold.FontWeight >= (int)SKFontStyleWeight.Bold);
        // The glyphs the figures need, the arrow and >= included.
        Assert.True(EmbeddedFont.Regular.ContainsGlyphs("Misclassified: T-shirt/top 0.5 % \u2192 \u2265 \u2026"));
    }

    [Fact]
    public void The_font_licence_travels_with_the_font()
    {
        using Stream? licence = typeof(Figures).Assembly.GetManifestResourceStream("AnnLab.Plots.Fonts.LICENSE");
        Assert.NotNull(licence);
        using var reader = new StreamReader(licence);
        Assert.Contains("Bitstream Vera", reader.ReadToEnd());
    }

    [Fact]
    public void ScottPlot_resolves_the_embedded_font_by_its_name()
    {
        _ = EmbeddedFont.Regular; // registers the resolver
        SKTypeface regular = ScottPlot.Fonts.GetTypeface(EmbeddedFont.FamilyName, bold: false, italic: false);
        SKTypeface bold = ScottPlot.Fonts.GetTypeface(EmbeddedFont.FamilyName, bold: true, italic: false);
        Assert.Equal("DejaVu Sans", regular.FamilyName);
        Assert.True(regular.GlyphCount > 3000);
        Assert.True(bold.FontWeight >= (int)SKFontStyleWeight.Bold);
    }

    [Fact]
    public void A_figure_title_draws_glyphs()
    {
        string path = Path.Combine(folder, "title.png");
        Figures.ImageGrid(path, new byte[4 * 784], 28, 28, 4, 4, title: "Misclassified: 147 of 1000");
        using SKBitmap png = Png.Load(path);

        // The title band (y 16..56) is white but for the title's letters, centred.
        int dark = Png.Count(png, 0, 16, png.Width, 56, Png.IsDark);
        Assert.True(dark > 400, $"only {dark} dark pixels in the title band: no glyphs drew");
        int leftQuarter = Png.Count(png, 0, 16, png.Width / 4 - 60, 56, Png.IsDark);
        Assert.Equal(0, leftQuarter); // centred, not a solid bar
    }

    [Fact]
    public void Text_in_a_ScottPlot_figure_draws_glyphs()
    {
        // Two learning curves that differ only in the x-axis label. Without glyphs both labels would draw
        // as nothing, in the same layout (an empty font measures every text the same), and the PNGs would
        // be equal; with glyphs the longer label darkens many more pixels at the bottom of the figure.
        int[] steps = [1, 2, 3, 4];
        var curve = new LearningCurve("epoch", steps, [4, 3, 2, 1], [4, 3, 2.5, 2], [0.2, 0.4, 0.6, 0.8], [0.2, 0.3, 0.5, 0.7]);
        string shortPath = Path.Combine(folder, "short.png");
        string longPath = Path.Combine(folder, "long.png");
        Figures.LearningCurves(shortPath, curve);
        Figures.LearningCurves(longPath, curve with { StepName = "epoch: one pass over all the training images" });
        using SKBitmap shortLabel = Png.Load(shortPath);
        using SKBitmap longLabel = Png.Load(longPath);

        int shortDark = Png.Count(shortLabel, 0, shortLabel.Height - 30, shortLabel.Width, shortLabel.Height, Png.IsDark);
        int longDark = Png.Count(longLabel, 0, longLabel.Height - 30, longLabel.Width, longLabel.Height, Png.IsDark);
        Assert.True(longDark > shortDark + 300, $"x-axis labels: {longDark} dark pixels for the long one, {shortDark} for the short one");
    }
}

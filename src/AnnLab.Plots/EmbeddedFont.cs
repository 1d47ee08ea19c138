using ScottPlot;
using SkiaSharp;

namespace AnnLab.Plots;

/// <summary>
/// DejaVu Sans, regular and bold, loaded from this assembly's resources (see <c>Fonts/README.md</c>),
/// so that text draws on a machine without any installed font. SkiaSharp's NoDependencies Linux
/// build has no fontconfig: there, a font looked up by family name is an empty typeface and text
/// silently draws nothing.
/// </summary>
/// <remarks>
/// ScottPlot finds fonts by name through <see cref="ScottPlot.Fonts.FontResolvers"/>. The first use of
/// this class puts a resolver for <see cref="FamilyName"/> at the front of that list (once per
/// process); every plot then asks for that name (<see cref="Apply"/>), so no system font is used.
/// </remarks>
internal static class EmbeddedFont
{
    /// <summary>The family name under which ScottPlot finds the embedded font. Deliberately not
    /// "DejaVu Sans", so that a system copy of that font can never stand in for it.</summary>
    public const string FamilyName = "AnnLab Embedded DejaVu Sans";

    private static readonly SKData RegularData = LoadResource("DejaVuSans.ttf");
    private static readonly SKData BoldData = LoadResource("DejaVuSans-Bold.ttf");

    static EmbeddedFont()
    {
        Regular = CreateTypeface(RegularData);
        Bold = CreateTypeface(BoldData);
        lock (ScottPlot.Fonts.FontResolvers)
        {
            ScottPlot.Fonts.FontResolvers.Insert(0, new Resolver());
        }
    }

    /// <summary>DejaVu Sans Book.</summary>
    public static SKTypeface Regular { get; }

    /// <summary>DejaVu Sans Bold.</summary>
    public static SKTypeface Bold { get; }

    /// <summary>Returns the regular or bold typeface.</summary>
    public static SKTypeface Get(bool bold) => bold ? Bold : Regular;

    /// <summary>Makes every text element of <paramref name="plot"/> that exists now (title, axis labels,
    /// tick labels, legend) use the embedded font.</summary>
    public static void Apply(Plot plot)
    {
        plot.Font.Set(FamilyName);
        plot.Legend.FontName = FamilyName;
    }

    private static SKData LoadResource(string fileName)
    {
        string name = $"AnnLab.Plots.Fonts.{fileName}";
        using Stream stream = typeof(EmbeddedFont).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the font resource {name} is missing from {typeof(EmbeddedFont).Assembly.GetName().Name}");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return SKData.CreateCopy(bytes);
    }

    private static SKTypeface CreateTypeface(SKData data)
        => SKTypeface.FromData(data) ?? throw new InvalidOperationException("SkiaSharp could not read the embedded DejaVu Sans font");

    /// <summary>Gives ScottPlot a new typeface over the shared font bytes for <see cref="FamilyName"/>
    /// (ScottPlot caches it), and null for any other name so the next resolver is asked.</summary>
    private sealed class Resolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing)
            => IsOurs(fontName) ? EmbeddedFont.CreateTypeface(weight >= FontWeight.SemiBold ? BoldData : RegularData) : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic)
            => IsOurs(fontName) ? EmbeddedFont.CreateTypeface(bold ? BoldData : RegularData) : null;

        private static bool IsOurs(string fontName) => string.Equals(fontName, FamilyName, StringComparison.OrdinalIgnoreCase);
    }
}

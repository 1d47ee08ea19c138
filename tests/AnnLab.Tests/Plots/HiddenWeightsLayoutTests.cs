using AnnLab.Network;
using AnnLab.Plots;
using SkiaSharp;

namespace AnnLab.Tests.Plots;

/// <summary>
/// hidden-weights.png for many hidden units (issue 13): the most important units, or all of them in pages, on one shared
/// or a per-unit colour scale; and the one "index: true -> predicted" caption of every figure that shows classified images.
/// </summary>
public class HiddenWeightsLayoutTests
{
    private readonly string folder = TestPaths.NewTempDirectory();

    /// <summary>
    /// 4-3-2 with 2 x 2 inputs. Incoming weights (layer 0, one row per unit): unit 0 (3, 4, 0, 0), norm 5; unit 1 (1, 0, 0, 0),
    /// norm 1; unit 2 (0, 0, 0, 2), norm 2. Outgoing weights (layer 1, 2 x 3 row-major: rows (1, 2, 0) and (0, 2, 3)): unit j's are
    /// column j, norms 1, sqrt(8) = 2.828 and 3. Importance: 5 x 1 = 5, 1 x 2.828 = 2.828, 2 x 3 = 6.
    /// </summary>
    private static (NeuralNetwork Network, float[] Parameters) HandSet()
    {
        var network = new NeuralNetwork([4, 3, 2], Activations.Get("sigmoid"), null, [2, 2]);
        var parameters = new float[network.ParameterCount];
        float[] incoming = [3, 4, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2];
        float[] outgoing = [1, 2, 0, 0, 2, 3];
        incoming.CopyTo(network.Weights<float>(parameters.AsSpan(), 0));
        outgoing.CopyTo(network.Weights<float>(parameters.AsSpan(), 1));
        network.Biases<float>(parameters.AsSpan(), 0).Fill(9); // biases are left out of the importance
        return (network, parameters);
    }

    [Fact]
    public void UnitImportance_is_the_product_of_the_incoming_and_outgoing_L2_norms()
    {
        (NeuralNetwork network, float[] parameters) = HandSet();
        float[] importance = LabFigures.UnitImportance(network, parameters);
        Assert.Equal(3, importance.Length);
        Assert.Equal(5f, importance[0], 1e-5f);
        Assert.Equal(MathF.Sqrt(8), importance[1], 1e-5f);
        Assert.Equal(6f, importance[2], 1e-5f);
    }

    // Layout of these 2 x 2 images: scale clamp(720 / (2 x 2), 1, 8) = 8, so 16 px images, 10 px apart, from x = 16; the grid
    // starts at y = 16 + 64 (84 with a note) + 18 px of label.
    private static SKColor PixelOf(SKBitmap png, int slot, int row, int column, bool note)
        => png.GetPixel(16 + (slot * 26) + (column * 8) + 4, 16 + (note ? 84 : 64) + 18 + (row * 8) + 4);

    [Fact]
    public void More_units_than_a_figure_holds_draws_the_most_important_first()
    {
        (NeuralNetwork network, float[] parameters) = HandSet();
        IReadOnlyList<string> paths = LabFigures.HiddenWeights(folder, network, parameters, 2, 2, new HiddenWeightsLayout(UnitsPerFigure: 2));
        Assert.Equal([Path.Combine(folder, "hidden-weights.png")], paths);
        using SKBitmap png = Png.Load(paths[0]);
        Png.AssertSize(png, 32 + 42 + 122, 32 + 84 + 18 + 16);

        // Slot 0 is unit 2 (importance 6): its weight 2 at pixel (1, 1) on the shared limit 4 (the largest |weight| drawn, unit 0's).
        Assert.Equal(ColorScales.Diverging(2, 4), PixelOf(png, 0, 1, 1, note: true));
        Assert.Equal(ColorScales.Diverging(0, 4), PixelOf(png, 0, 0, 0, note: true));

        // Slot 1 is unit 0 (importance 5): 3 and 4 in its first row; unit 1 (importance 2.83) is left out.
        Assert.Equal(ColorScales.Diverging(3, 4), PixelOf(png, 1, 0, 0, note: true));
        Assert.Equal(ColorScales.Diverging(4, 4), PixelOf(png, 1, 0, 1, note: true));
    }

    [Fact]
    public void All_in_pages_draws_every_unit_in_index_order()
    {
        (NeuralNetwork network, float[] parameters) = HandSet();
        IReadOnlyList<string> paths = LabFigures.HiddenWeights(folder, network, parameters, 2, 2, new HiddenWeightsLayout(HiddenUnitSelection.AllInPages, UnitsPerFigure: 2));
        Assert.Equal([Path.Combine(folder, "hidden-weights-1.png"), Path.Combine(folder, "hidden-weights-2.png")], paths);
        Assert.False(File.Exists(Path.Combine(folder, "hidden-weights.png")));
        using SKBitmap first = Png.Load(paths[0]);
        using SKBitmap second = Png.Load(paths[1]);

        // Page 1: units 0 and 1, on their shared limit 4; page 2: unit 2 alone, limit 2.
        Assert.Equal(ColorScales.Diverging(4, 4), PixelOf(first, 0, 0, 1, note: false));
        Assert.Equal(ColorScales.Diverging(1, 4), PixelOf(first, 1, 0, 0, note: false));
        Assert.Equal(ColorScales.Diverging(2, 2), PixelOf(second, 0, 1, 1, note: false));
        Png.AssertSize(second, 32 + 16 + 122, 32 + 64 + 18 + 16);
    }

    [Fact]
    public void A_per_unit_scale_gives_each_unit_its_own_limit()
    {
        (NeuralNetwork network, float[] parameters) = HandSet();
        IReadOnlyList<string> paths = LabFigures.HiddenWeights(folder, network, parameters, 2, 2,
            new HiddenWeightsLayout(HiddenUnitSelection.AllInPages, WeightColorScale.PerUnit, UnitsPerFigure: 2));
        using SKBitmap first = Png.Load(paths[0]);

        // Unit 1's one weight 1 is its own largest: full red, where the shared scale gives it a quarter of the way.
        Assert.Equal(ColorScales.Diverging(1, 1), PixelOf(first, 1, 0, 0, note: false));
        Assert.NotEqual(ColorScales.Diverging(1, 4), PixelOf(first, 1, 0, 0, note: false));
        Assert.Equal(ColorScales.Diverging(3, 4), PixelOf(first, 0, 0, 0, note: false));
    }

    [Fact]
    public void The_lab_25_units_keep_one_5_by_5_figure()
    {
        var network = new NeuralNetwork([784, 25, 10], Activations.Get("sigmoid"), null, [28, 28]);
        var random = new Random(2);
        float[] parameters = Enumerable.Range(0, network.ParameterCount).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        IReadOnlyList<string> paths = LabFigures.HiddenWeights(folder, network, parameters, 28, 28);
        Assert.Equal([Path.Combine(folder, "hidden-weights.png")], paths);
        using SKBitmap png = Png.Load(paths[0]);
        Png.AssertSize(png, 894, 926);
    }

    [Fact]
    public void HiddenWeights_names_unit_numbers_that_are_not_one_per_unit()
    {
        var e = Assert.Throws<ArgumentException>(() => Figures.HiddenWeights(Path.Combine(folder, "w.png"), new float[8], 2, 2, 2, unitNumbers: [5]));
        Assert.Contains("unitNumbers: one per unit: expected 2, found 1", e.Message);
        Assert.False(File.Exists(Path.Combine(folder, "w.png")));
    }

    // ---- one caption for every classified image ----

    [Fact]
    public void ImageCaption_is_index_true_then_predicted()
    {
        Assert.Equal("index: true -> predicted", Figures.CaptionConvention);
        Assert.Equal("4012: Shirt -> T-shirt/top", Figures.ImageCaption(4012, "Shirt", "T-shirt/top"));
    }

    [Theory]
    [InlineData(25, 1000, 4, "validation", "Validation images: the first 25 of 1000, index: true -> predicted; 4 wrong, in red")]
    [InlineData(25, 10000, 0, "test", "Test images: the first 25 of 10000, index: true -> predicted; 0 wrong, in red")]
    [InlineData(12, 12, 3, "training", "Training images: all 12, index: true -> predicted; 3 wrong, in red")]
    public void PredictionsTitle_says_which_images(int shown, int total, int wrong, string part, string expected)
        => Assert.Equal(expected, LabFigures.PredictionsTitle(shown, total, wrong, part));

    [Fact]
    public void MisclassifiedTitle_counts_the_images_drawn()
    {
        Assert.Equal("Misclassified test images: the first 10 of 142 (1.4% of 10000), index: true -> predicted", Figures.MisclassifiedTitle(142, 10000, "test", 10));
        Assert.Equal("Misclassified training images: none of 240", Figures.MisclassifiedTitle(0, 240, "training", 0));
    }
}

using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Plots;
using SkiaSharp;

namespace AnnLab.Tests.Plots;

public class FiguresTests
{
    private readonly string folder = TestPaths.NewTempDirectory();

    /// <summary>count images of rows x columns: diagonal stripes, a different phase per image, so every byte value 0..255 occurs.</summary>
    private static byte[] SyntheticImages(int count, int rows = 28, int columns = 28)
    {
        var pixels = new byte[count * rows * columns];
        for (int i = 0; i < count; i++)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    pixels[(i * rows * columns) + (r * columns) + c] = (byte)(((r * 9) + (c * 5) + (i * 37)) % 256);
                }
            }
        }

        return pixels;
    }

    private static float[] RandomValues(int count, double scale, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
    }

    private static Explanation SyntheticExplanation(int units = 25, int classes = 10, int rows = 28, int columns = 28, int predicted = 6, int trueClass = 0)
    {
        float[] z = RandomValues(units, 4, 1);
        float[] a = z.Select(v => (float)(1 / (1 + Math.Exp(-v)))).ToArray();
        float[] scores = RandomValues(classes, 5, 2);
        scores[predicted] = 6;
        string[] names = classes == 10 ? [.. FashionMnist.ClassNames] : Enumerable.Range(0, classes).Select(c => $"class {c}").ToArray();
        return new Explanation(
            Index: 17, Image: SyntheticImages(1, rows, columns), ImageRows: rows, ImageColumns: columns,
            TrueClass: trueClass, PredictedClass: predicted, ClassNames: names,
            HiddenPreActivations: z, HiddenActivations: a, HiddenWeights: RandomValues(units * rows * columns, 0.3, 3),
            OutputWeightsCompared: RandomValues(units, 2, 4), OutputWeightsPredicted: RandomValues(units, 2, 5),
            OutputScores: scores, OutputProbabilities: scores.Select(v => (float)(1 / (1 + Math.Exp(-v)))).ToArray());
    }

    private static LearningCurve SyntheticCurve(int steps, string stepName = "epoch")
    {
        int[] x = Enumerable.Range(1, steps).ToArray();
        return new LearningCurve(stepName, x,
            x.Select(s => 1 + (3.0 / s)).ToArray(), x.Select(s => 1.1 + (3.0 / s)).ToArray(),
            x.Select(s => 0.85 - (0.5 / s)).ToArray(), x.Select(s => 0.83 - (0.5 / s)).ToArray());
    }

    // ---- helpers whose text and layout the figures use ----

    [Theory]
    [InlineData(147, 1000, "Misclassified validation images: the first 25 of 147 (14.7% of 1000), index: true -> predicted")]
    [InlineData(0, 5, "Misclassified validation images: none of 5")]
    [InlineData(1, 3, "Misclassified validation images: all 1 (33.3% of 3), index: true -> predicted")]
    [InlineData(25, 1000, "Misclassified validation images: all 25 (2.5% of 1000), index: true -> predicted")]
    [InlineData(1000, 1000, "Misclassified validation images: the first 25 of 1000 (100.0% of 1000), index: true -> predicted")]
    public void MisclassifiedTitle_gives_count_total_and_percentage(int misclassified, int total, string expected)
        => Assert.Equal(expected, Figures.MisclassifiedTitle(misclassified, total));

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(11, 10)]
    [InlineData(0, 0)]
    public void MisclassifiedTitle_refuses_impossible_counts(int misclassified, int total)
        => Assert.Throws<ArgumentOutOfRangeException>(() => Figures.MisclassifiedTitle(misclassified, total));

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 1, 2)]
    [InlineData(3, 2, 2)]
    [InlineData(10, 3, 4)]
    [InlineData(25, 5, 5)]
    [InlineData(26, 5, 6)]
    [InlineData(128, 11, 12)]
    [InlineData(256, 16, 16)]
    public void NearSquareGrid_is_as_square_as_possible(int count, int rows, int columns)
        => Assert.Equal((rows, columns), Figures.NearSquareGrid(count));

    [Fact]
    public void NearSquareGrid_holds_every_panel_without_a_spare_row()
    {
        for (int count = 1; count <= 2000; count++)
        {
            (int rows, int columns) = Figures.NearSquareGrid(count);
            Assert.True(rows * columns >= count, $"{count}: {rows} x {columns} too small");
            Assert.True((rows - 1) * columns < count, $"{count}: {rows} x {columns} has an empty row");
            Assert.InRange(columns - rows, 0, 1);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Figures.NearSquareGrid(0));
    }

    // ---- ImageGrid ----

    [Fact]
    public void ImageGrid_draws_each_image_in_gray_at_the_documented_size()
    {
        string path = Path.Combine(folder, "grid.png");
        byte[] pixels = SyntheticImages(12);
        Figures.ImageGrid(path, pixels, 28, 28, 12, 4);

        using SKBitmap png = Png.Load(path);
        // s = floor((968 - 10 * 3) / (4 * 28)) = 8, so 224 px images;
        // width 32 + 4 * 224 + 3 * 10 = 958, height 32 + 3 * 224 + 2 * 10 = 724.
        Png.AssertSize(png, 958, 724);
        Assert.True(Png.DistinctColors(png) > 200);
        Assert.True(Png.GrayVariance(png) > 1000);

        // Image 5 (row 1, column 1), its pixel (r 3, c 20): 0 black .. 255 white, exactly.
        int left = 16 + 234;
        int top = 16 + 234;
        for (int r = 0; r < 28; r += 3)
        {
            for (int c = 0; c < 28; c += 5)
            {
                byte expected = pixels[(5 * 784) + (r * 28) + c];
                SKColor found = png.GetPixel(left + (c * 8) + 4, top + (r * 8) + 4);
                Assert.Equal(new SKColor(expected, expected, expected), found);
            }
        }
    }

    [Fact]
    public void ImageGrid_with_titles_and_a_figure_title_grows_by_the_documented_bands()
    {
        string path = Path.Combine(folder, "titled.png");
        string[] titles = Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? "Shirt" : "Shirt\n\u2192 T-shirt/top").ToArray();
        Figures.ImageGrid(path, SyntheticImages(12), 28, 28, 12, 4, titles, title: Figures.MisclassifiedTitle(6, 12));

        using SKBitmap png = Png.Load(path);
        // Title band 14 + 26 = 40; captions 4 + 16 * 2 = 36 per row: 724 + 40 + 3 * 36 = 872.
        Png.AssertSize(png, 958, 872);
    }

    [Fact]
    public void ImageGrid_draws_marked_titles_and_frames_in_red_and_others_not()
    {
        string path = Path.Combine(folder, "marked.png");
        Figures.ImageGrid(path, SyntheticImages(2), 28, 28, 2, 2, ["Shirt", "Shirt"], [true, false]);

        using SKBitmap png = Png.Load(path);
        // s = floor((968 - 10) / 56) = 17: 476 px images; captions 20 px high from y = 16.
        Png.AssertSize(png, 32 + 952 + 10, 32 + 20 + 476);
        int markedTitleRed = Png.Count(png, 16, 16, 16 + 476, 36, Png.IsRed);
        int plainTitleRed = Png.Count(png, 502, 16, 502 + 476, 36, Png.IsRed);
        int plainTitleDark = Png.Count(png, 502, 16, 502 + 476, 36, Png.IsDark);
        Assert.True(markedTitleRed > 30, $"only {markedTitleRed} red pixels in the marked title");
        Assert.Equal(0, plainTitleRed);
        Assert.True(plainTitleDark > 30, $"only {plainTitleDark} dark pixels in the unmarked title");

        // The 2 px frame hugs the marked image (top edge at y = 34, 35) and nothing frames the other.
        Assert.True(Png.Count(png, 16, 34, 16 + 476, 36, Png.IsRed) > 900);
        Assert.Equal(0, Png.Count(png, 500, 0, png.Width, png.Height, Png.IsRed));
    }

    [Fact]
    public void ImageGrid_accepts_a_longer_pixel_buffer_and_ignores_the_rest()
    {
        string path = Path.Combine(folder, "first3.png");
        Figures.ImageGrid(path, SyntheticImages(10), 28, 28, 3, 3);
        // One row of three: s = floor((968 - 20) / 84) = 11, so 308 px images.
        Png.AssertSize(Png.Load(path), 32 + (3 * 308) + 20, 32 + 308);
    }

    [Fact]
    public void ImageGrid_of_no_images_draws_its_title_alone()
    {
        // No image misclassified: width 32 + 5 x 168 + 4 x 10 = 912; height 32 + (14 + 26) = 72.
        string path = Path.Combine(folder, "none.png");
        Figures.ImageGrid(path, [], 28, 28, 0, 5, [], title: Figures.MisclassifiedTitle(0, 240, "training"));
        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal((912, 72), (bitmap.Width, bitmap.Height));
        Assert.Throws<ArgumentOutOfRangeException>(() => Figures.ImageGrid(path, [], 28, 28, 0, 5));
    }

    [Fact]
    public void ImageGrid_checks_its_arguments_before_writing_anything()
    {
        string path = Path.Combine(folder, "bad.png");
        var shortBuffer = Assert.Throws<ArgumentException>(() => Figures.ImageGrid(path, new byte[784], 28, 28, 2, 2));
        Assert.Contains("1568", shortBuffer.Message);
        Assert.Contains("784", shortBuffer.Message);
        var titles = Assert.Throws<ArgumentException>(() => Figures.ImageGrid(path, SyntheticImages(2), 28, 28, 2, 2, ["only one"]));
        Assert.Equal("titles", titles.ParamName);
        Assert.Contains("expected 2, found 1", titles.Message);
        var marked = Assert.Throws<ArgumentException>(() => Figures.ImageGrid(path, SyntheticImages(2), 28, 28, 2, 2, marked: [true, false, true]));
        Assert.Contains("expected 2, found 3", marked.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Figures.ImageGrid(path, SyntheticImages(2), 28, 28, 2, 0));
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    // ---- Activations and learning curves (ScottPlot) ----

    [Fact]
    public void Activations_draws_one_panel_per_activation()
    {
        string path = Path.Combine(folder, "activations.png");
        Figures.Activations(path, AnnLab.Network.Activations.Available);
        using SKBitmap png = Png.Load(path);
        int panels = AnnLab.Network.Activations.Available.Count; // 3 columns, as many rows as needed
        Png.AssertSize(png, 3 * 440, 44 + ((panels + 2) / 3 * 340));
        Assert.True(Png.DistinctColors(png) > 50);

        string one = Path.Combine(folder, "sigmoid.png");
        Figures.Activations(one, [new Sigmoid()], -8, 8);
        using SKBitmap onePng = Png.Load(one);
        Png.AssertSize(onePng, 440, 44 + 340);
    }

    [Fact]
    public void Activations_checks_its_arguments()
    {
        string path = Path.Combine(folder, "a.png");
        Assert.Throws<ArgumentException>(() => Figures.Activations(path, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => Figures.Activations(path, [new Tanh()], 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Figures.Activations(path, [new Tanh()], double.NaN, 1));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void LearningCurves_draws_cost_and_accuracy_side_by_side()
    {
        string path = Path.Combine(folder, "curves.png");
        Figures.LearningCurves(path, SyntheticCurve(200));
        using SKBitmap png = Png.Load(path);
        Png.AssertSize(png, 1200, 460);
        Assert.True(Png.DistinctColors(png) > 50);

        // Blue (training) and orange (validation) lines in both panels.
        static bool IsOrange(SKColor c) => c.Red > 200 && c.Green is > 80 and < 140 && c.Blue < 60;
        static bool IsBlue(SKColor c) => c.Blue > 150 && c.Red < 80;
        Assert.True(Png.Count(png, 0, 0, 600, 460, IsOrange) > 100);
        Assert.True(Png.Count(png, 600, 0, 1200, 460, IsOrange) > 100);
        Assert.True(Png.Count(png, 0, 0, 600, 460, IsBlue) > 100);
        Assert.True(Png.Count(png, 600, 0, 1200, 460, IsBlue) > 100);
    }

    [Fact]
    public void LearningCurves_leaves_out_non_finite_values_and_draws_a_single_step()
    {
        LearningCurve curve = SyntheticCurve(6, "iteration") with { ValidationCost = [4, 3, double.NaN, 2, double.PositiveInfinity, 1.5] };
        string path = Path.Combine(folder, "nan.png");
        Figures.LearningCurves(path, curve);
        Png.AssertSize(Png.Load(path), 1200, 460);

        string single = Path.Combine(folder, "single.png");
        Figures.LearningCurves(single, SyntheticCurve(1));
        Png.AssertSize(Png.Load(single), 1200, 460);
    }

    [Fact]
    public void LearningCurves_names_a_list_of_the_wrong_length()
    {
        LearningCurve curve = SyntheticCurve(5) with { ValidationCost = [1, 2, 3, 4] };
        var e = Assert.Throws<ArgumentException>(() => Figures.LearningCurves(Path.Combine(folder, "c.png"), curve));
        Assert.Contains("ValidationCost", e.Message);
        Assert.Contains("expected 5, found 4", e.Message);
        Assert.Throws<ArgumentException>(() => Figures.LearningCurves(Path.Combine(folder, "c.png"), SyntheticCurve(0)));
    }

    // ---- HiddenWeights ----

    [Fact]
    public void HiddenWeights_draws_25_units_in_a_5_by_5_grid_at_the_documented_size()
    {
        string path = Path.Combine(folder, "weights.png");
        Figures.HiddenWeights(path, RandomValues(25 * 784, 0.12, 7), 25, 28, 28);
        using SKBitmap png = Png.Load(path);
        // s = floor(720 / 140) = 5: width 154 + 5 * 140 + 4 * 10 = 894, height 96 + 5 * (140 + 18) + 4 * 10 = 926.
        Png.AssertSize(png, 894, 926);
        Assert.True(Png.DistinctColors(png) > 500);
    }

    [Fact]
    public void HiddenWeights_uses_one_scale_symmetric_around_zero_for_all_units()
    {
        // Unit 0 all +2, unit 1 all -2, unit 2 all 0, unit 3 all +1: limit 2 for everyone.
        float[] weights = [.. Enumerable.Repeat(2f, 16), .. Enumerable.Repeat(-2f, 16), .. Enumerable.Repeat(0f, 16), .. Enumerable.Repeat(1f, 16)];
        string path = Path.Combine(folder, "scale.png");
        Figures.HiddenWeights(path, weights, 4, 4, 4, "scale");
        using SKBitmap png = Png.Load(path);
        // 2 x 2 grid, s = 8 (32 px images): 154 + 64 + 10 = 228 wide, 96 + 2 * 50 + 10 = 206 high.
        Png.AssertSize(png, 228, 206);
        // Image centres: columns at x = 16 + 16 and 16 + 42 + 16, rows at y = 98 + 16 and 98 + 60 + 16.
        Assert.Equal(new SKColor(0x67, 0x00, 0x1f), png.GetPixel(32, 114)); // +limit: darkest red
        Assert.Equal(new SKColor(0x05, 0x30, 0x61), png.GetPixel(74, 114)); // -limit: darkest blue
        Assert.Equal(new SKColor(0xf7, 0xf7, 0xf7), png.GetPixel(32, 174)); // 0: white
        SKColor half = png.GetPixel(74, 174);                                // +limit/2: a lighter red
        Assert.True(half.Red > half.Blue + 80 && half.Green > 60, $"half weight drawn as {half}");
    }

    [Fact]
    public void HiddenWeights_names_the_expected_and_found_lengths()
    {
        var e = Assert.Throws<ArgumentException>(() => Figures.HiddenWeights(Path.Combine(folder, "w.png"), new float[783], 1, 28, 28));
        Assert.Contains("expected 784, found 783", e.Message);
        Assert.Equal("weights", e.ParamName);
    }

    // ---- ConfusionMatrix ----

    [Fact]
    public void ConfusionMatrix_draws_a_900_by_860_heat_map()
    {
        var counts = new int[10, 10];
        var random = new Random(3);
        for (int i = 0; i < 10; i++)
        {
            for (int j = 0; j < 10; j++)
            {
                counts[i, j] = i == j ? 80 + random.Next(30) : random.Next(12);
            }
        }

        string path = Path.Combine(folder, "confusion.png");
        Figures.ConfusionMatrix(path, counts, FashionMnist.ClassNames, "Validation set");
        using SKBitmap png = Png.Load(path);
        Png.AssertSize(png, 900, 860);
        Assert.True(Png.DistinctColors(png) > 50);
        Assert.True(Png.GrayVariance(png) > 500);
    }

    [Fact]
    public void ConfusionMatrix_refuses_a_matrix_that_is_not_square()
    {
        var e = Assert.Throws<ArgumentException>(() => Figures.ConfusionMatrix(Path.Combine(folder, "m.png"), new int[3, 4], ["a", "b", "c"]));
        Assert.Equal("counts", e.ParamName);
        Assert.Contains("3 x 4", e.Message);
    }

    [Fact]
    public void ConfusionMatrix_refuses_the_wrong_number_of_class_names()
    {
        var e = Assert.Throws<ArgumentException>(() => Figures.ConfusionMatrix(Path.Combine(folder, "m.png"), new int[3, 3], ["a", "b"]));
        Assert.Equal("classNames", e.ParamName);
        Assert.Contains("expected 3, found 2", e.Message);
    }

    [Fact]
    public void ConfusionMatrix_refuses_a_negative_count()
    {
        var counts = new int[2, 2];
        counts[1, 0] = -1;
        var e = Assert.Throws<ArgumentException>(() => Figures.ConfusionMatrix(Path.Combine(folder, "m.png"), counts, ["a", "b"]));
        Assert.Contains("counts[1, 0]", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    // ---- Explain ----

    [Fact]
    public void Explain_draws_the_lab_network_at_1480_by_1360()
    {
        string path = Path.Combine(folder, "explain.png");
        Figures.Explain(path, SyntheticExplanation());
        using SKBitmap png = Png.Load(path);
        Png.AssertSize(png, 1480, 1360);
        Assert.True(Png.DistinctColors(png) > 500);
        // A wrong prediction: "misclassified" in red under the title.
        Assert.True(Png.Count(png, 600, 44, 880, 70, Png.IsRed) > 30);
    }

    [Fact]
    public void Explain_draws_other_shapes_at_the_same_size()
    {
        string small = Path.Combine(folder, "small.png");
        Figures.Explain(small, SyntheticExplanation(units: 3, classes: 3, rows: 6, columns: 5, predicted: 1, trueClass: 1));
        Png.AssertSize(Png.Load(small), 1480, 1360);

        string wide = Path.Combine(folder, "wide.png");
        Figures.Explain(wide, SyntheticExplanation(units: 128));
        Png.AssertSize(Png.Load(wide), 1480, 1360);
    }

    [Fact]
    public void Explain_names_the_field_whose_length_does_not_fit()
    {
        Explanation good = SyntheticExplanation();
        string path = Path.Combine(folder, "e.png");
        var e = Assert.Throws<ArgumentException>(() => Figures.Explain(path, good with { HiddenActivations = new float[24] }));
        Assert.Contains("HiddenActivations", e.Message);
        Assert.Contains("expected 25, found 24", e.Message);
        e = Assert.Throws<ArgumentException>(() => Figures.Explain(path, good with { HiddenWeights = new float[25 * 783] }));
        Assert.Contains("HiddenWeights", e.Message);
        e = Assert.Throws<ArgumentException>(() => Figures.Explain(path, good with { OutputProbabilities = new float[9] }));
        Assert.Contains("expected 10, found 9", e.Message);
        e = Assert.Throws<ArgumentException>(() => Figures.Explain(path, good with { PredictedClass = 10 }));
        Assert.Contains("PredictedClass", e.Message);
        e = Assert.Throws<ArgumentException>(() => Figures.Explain(path, good with { Image = new byte[10] }));
        Assert.Contains("expected 784, found 10", e.Message);
        Assert.False(File.Exists(path));
    }

    // ---- files ----

    [Fact]
    public void A_figure_creates_missing_folders()
    {
        string path = Path.Combine(folder, "a", "b", "grid.png");
        Figures.ImageGrid(path, SyntheticImages(1), 28, 28, 1, 1);
        Png.AssertSize(Png.Load(path), 32 + 28 * 34, 32 + 28 * 34); // s = floor(968 / 28) = 34
    }

    [Fact]
    public void A_failed_write_leaves_no_file_behind()
    {
        string path = Path.Combine(folder, "taken.png");
        Directory.CreateDirectory(path); // a folder where the PNG should go: the final rename fails
        Assert.ThrowsAny<IOException>(() => Figures.ImageGrid(path, SyntheticImages(1), 28, 28, 1, 1));
        Assert.Equal([path], Directory.GetFileSystemEntries(folder));
        Assert.Empty(Directory.GetFileSystemEntries(path));
    }
}

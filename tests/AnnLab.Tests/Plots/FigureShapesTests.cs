using AnnLab.Data;
using AnnLab.Metrics;
using AnnLab.Network;
using AnnLab.Plots;
using SkiaSharp;

namespace AnnLab.Tests.Plots;

/// <summary>
/// The figures for data sets other than Fashion-MNIST: images of any shape (12 x 20, 64 x 64, 1 x 100)
/// and 2 to 100 classes, drawn from synthetic image sets built here.
/// </summary>
public class FigureShapesTests
{
    private readonly string folder = TestPaths.NewTempDirectory();

    /// <summary>Image i, pixel (r, c): (r x 9 + c x 5 + i x 37) mod 256, so every position has its own gray.</summary>
    private static byte Pixel(int i, int r, int c) => (byte)(((r * 9) + (c * 5) + (i * 37)) % 256);

    /// <summary>count images of rows x columns (see <see cref="Pixel"/>), image i of class i mod classes.</summary>
    private static ImageSet Images(int count, int rows, int columns, int classes)
    {
        var pixels = new byte[count * rows * columns];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % classes);
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    pixels[(i * rows * columns) + (r * columns) + c] = Pixel(i, r, c);
                }
            }
        }

        return new ImageSet(pixels, labels, rows * columns, rows, columns);
    }

    private static string[] Names(int classes) => Enumerable.Range(0, classes).Select(c => c % 5 == 0 ? $"class number {c} with a long name" : $"c{c}").ToArray();

    /// <summary>classes x classes counts: diagonal <paramref name="right"/> - (class mod 10), class c confused with c + 1 (c mod 7 + 1) times.</summary>
    private static int[,] Counts(int classes, int right)
    {
        var counts = new int[classes, classes];
        for (int c = 0; c < classes; c++)
        {
            counts[c, c] = right - (c % 10);
            counts[c, (c + 1) % classes] = (c % 7) + 1;
        }

        return counts;
    }

    private static (NeuralNetwork Network, float[] Parameters) Network(int rows, int columns, int classes, int hidden = 25)
    {
        var network = new NeuralNetwork([rows * columns, hidden, classes], Activations.Get("sigmoid"), null, [rows, columns]);
        var random = new Random(5);
        return (network, Enumerable.Range(0, network.ParameterCount).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray());
    }

    // ---- grids laid out by the images' shape ----

    [Theory]
    [InlineData(10, 28, 28, 10)]
    [InlineData(5, 28, 28, 5)]
    [InlineData(10, 12, 20, 8)] // 10 x sqrt(0.6) = 7.75
    [InlineData(5, 12, 20, 4)]  // 5 x sqrt(0.6) = 3.87
    [InlineData(10, 1, 100, 1)]
    [InlineData(10, 20, 12, 13)] // 10 x sqrt(1.67) = 12.9
    [InlineData(10, 100, 1, 20)] // at most twice the preferred
    public void ImageGridColumns_gives_wide_images_fewer_columns(int preferred, int rows, int columns, int expected)
        => Assert.Equal(expected, Figures.ImageGridColumns(preferred, rows, columns));

    [Theory]
    [InlineData(25, 28, 28, 5, 5)]
    [InlineData(10, 64, 64, 3, 4)]
    [InlineData(25, 12, 20, 7, 4)]  // ceil(sqrt(25 x 0.6)) = 4 columns
    [InlineData(25, 1, 100, 25, 1)]
    [InlineData(25, 100, 1, 1, 25)] // at most count columns
    public void NearSquareGrid_of_images_is_about_as_high_as_it_is_wide(int count, int rows, int columns, int gridRows, int gridColumns)
        => Assert.Equal((gridRows, gridColumns), Figures.NearSquareGrid(count, rows, columns));

    [Fact]
    public void ImageGrid_draws_12_by_20_images_in_their_own_shape()
    {
        string path = Path.Combine(folder, "wide.png");
        ImageSet images = Images(3, 12, 20, 3);
        Figures.ImageGrid(path, images.Pixels.Span, 12, 20, 3, 3);

        using SKBitmap png = Png.Load(path);
        // s = floor((968 - 20) / 60) = 15: 300 x 180 px images; width 32 + 900 + 20 = 952, height 32 + 180 = 212.
        Png.AssertSize(png, 952, 212);
        int left = 16 + 310; // image 1
        for (int r = 0; r < 12; r += 1)
        {
            for (int c = 0; c < 20; c += 3)
            {
                byte expected = Pixel(1, r, c);
                Assert.Equal(new SKColor(expected, expected, expected), png.GetPixel(left + (c * 15) + 7, 16 + (r * 15) + 7));
            }
        }
    }

    [Fact]
    public void Samples_of_1_by_100_images_are_strips_9_px_high_one_per_row()
    {
        ImageSet images = Images(4, 1, 100, 2);
        LabFigures.Samples(folder, images, ["left", "right"]);

        using SKBitmap png = Png.Load(Path.Combine(folder, "samples.png"));
        // One column (ImageGridColumns(10, 1, 100) = 1), s = min(floor(968 / 100), floor(968 / 100)) = 9: 900 x 9 px strips.
        // Width 32 + 900; height 32 + title 40 + 4 x 9 + 3 x 10 = 138.
        Png.AssertSize(png, 932, 138);
        for (int i = 0; i < 4; i++)
        {
            int top = 16 + 40 + (i * 19);
            for (int c = 0; c < 100; c += 11)
            {
                byte expected = Pixel(i, 0, c);
                Assert.Equal(new SKColor(expected, expected, expected), png.GetPixel(16 + (c * 9) + 4, top + 4));
            }
        }
    }

    [Fact]
    public void Titled_images_narrower_than_80_px_are_centred_in_80_px_panels()
    {
        string path = Path.Combine(folder, "narrow.png");
        ImageSet images = Images(3, 40, 2, 3);
        Figures.ImageGrid(path, images.Pixels.Span, 40, 2, 3, 3, ["Sneaker", "Ankle boot", "Bag"]);

        using SKBitmap png = Png.Load(path);
        // s = min(floor(948 / 6), floor(968 / 40)) = 24: 48 x 960 px images in 80 px panels, captions 20 px.
        Png.AssertSize(png, 32 + (3 * 80) + 20, 32 + 20 + 960);
        // Panel 1 starts at x = 16 + 90; its image at 16 + 90 + 16, white on either side.
        Assert.Equal(Pixel(1, 20, 0), png.GetPixel(16 + 90 + 16 + 5, 16 + 20 + (20 * 24) + 5).Red);
        Assert.Equal(SKColors.White, png.GetPixel(16 + 90 + 8, 16 + 20 + 500));
        Assert.Equal(SKColors.White, png.GetPixel(16 + 90 + 72, 16 + 20 + 500));
        // "Ankle boot" (about 70 px at 13 px) fits the 88 px: written whole, wider than the 48 px image.
        Assert.True(Png.Count(png, 16 + 90, 16, 16 + 90 + 16, 36, Png.IsDark) > 0);
    }

    [Fact]
    public void HiddenWeights_of_12_by_20_images_lays_25_units_out_in_7_rows_of_4()
    {
        string path = Path.Combine(folder, "weights.png");
        var weights = new float[25 * 240];
        weights.AsSpan(5 * 240, 240).Fill(1); // unit 5 (row 1, column 1) all +limit: darkest red
        weights[0] = -1;
        Figures.HiddenWeights(path, weights, 25, 12, 20);

        using SKBitmap png = Png.Load(path);
        // s = clamp(floor(720 / 80), 1, 8) = 8: 160 x 96 px images; width 154 + 640 + 30 = 824, height 96 + 7 x 114 + 60 = 954.
        Png.AssertSize(png, 824, 954);
        int left = 16 + 170;
        int top = 16 + 64 + 124 + 18;
        Assert.Equal(new SKColor(0x67, 0x00, 0x1f), png.GetPixel(left + 2, top + 2));
        Assert.Equal(new SKColor(0x67, 0x00, 0x1f), png.GetPixel(left + 157, top + 93));
        Assert.Equal(new SKColor(0xf7, 0xf7, 0xf7), png.GetPixel(left + 170 + 80, top + 48)); // unit 6: 0
    }

    [Fact]
    public void HiddenWeights_of_1_by_100_images_draws_one_column_of_strips()
    {
        string path = Path.Combine(folder, "strips.png");
        Figures.HiddenWeights(path, new float[25 * 100], 25, 1, 100);
        // 25 x 1 grid, s = 7: 700 x 7 px; width 154 + 700, height 96 + 25 x 25 + 24 x 10 = 961.
        Png.AssertSize(Png.Load(path), 854, 961);
    }

    [Fact]
    public void HiddenWeights_names_its_values_on_the_colour_bar_and_leaves_the_grid_alone()
    {
        var gradient = new float[25 * 784];
        for (int i = 0; i < gradient.Length; i++)
        {
            gradient[i] = ((i * 7) % 13 - 6) / 600f; // -0.01 .. 0.01, as 03-network.cs's dJ/dW at the random start
        }

        string asWeights = Path.Combine(folder, "as-weights.png"), asGradient = Path.Combine(folder, "as-gradient.png");
        Figures.HiddenWeights(asWeights, gradient, 25, 28, 28);
        Figures.HiddenWeights(asGradient, gradient, 25, 28, 28, valueName: "dJ/dW");

        using SKBitmap weights = Png.Load(asWeights), gradients = Png.Load(asGradient);
        Png.AssertSize(gradients, 894, 926);
        // The grid of 5 x 140 px images and 4 gaps of 10 px ends at x = 16 + 740; the bar's label sits above the bar at x 786..808.
        int changed = 0, changedInGrid = 0;
        for (int y = 0; y < weights.Height; y++)
        {
            for (int x = 0; x < weights.Width; x++)
            {
                if (weights.GetPixel(x, y) != gradients.GetPixel(x, y))
                {
                    changed++;
                    changedInGrid += x < 16 + 740 && y > 16 + 64 ? 1 : 0;
                }
            }
        }

        Assert.True(changed > 20, $"the colour bar's label did not change: {changed} pixels differ");
        Assert.Equal(0, changedInGrid);
        Assert.Throws<ArgumentException>(() => Figures.HiddenWeights(asGradient, gradient, 25, 28, 28, valueName: " "));
    }

    // ---- the confusion matrix for 2 to 100 classes ----

    [Theory]
    [InlineData(2, 500)]
    [InlineData(3, 500)]
    [InlineData(10, 500)]
    [InlineData(26, 90)]
    [InlineData(26, 900)]
    [InlineData(47, 400)]
    [InlineData(100, 60)]
    [InlineData(100, 400)]
    [InlineData(256, 9)]
    public void ConfusionMatrix_layout_keeps_names_and_counts_apart_for_any_class_count(int classes, int right)
    {
        int[,] counts = Counts(classes, right);
        Figures.ConfusionLayout l = Figures.CheckConfusion(counts, Names(classes), out _, out _, out int max);
        Assert.True(l.Cell >= Figures.MinimumConfusionCell, $"cell {l.Cell}");
        Assert.True(FigureCanvas.LineHeight(l.NameSize) <= l.Cell, $"row names of {l.NameSize} px in {l.Cell} px rows");
        float columnPitch = l.ColumnAngle == 45 ? l.Cell * MathF.Sqrt(0.5f) : l.Cell;
        Assert.True(FigureCanvas.LineHeight(l.NameSize) <= columnPitch, $"column names of {l.NameSize} px, {l.ColumnAngle} degrees, {l.Cell} px apart");
        Assert.InRange(l.NameSize, 11, 13);
        Assert.All(l.Names, name => Assert.True(FigureCanvas.MeasureText(name, l.NameSize) <= 160));
        if (l.Numbered)
        {
            Assert.InRange(l.CountSize, 11, 14);
            Assert.True(FigureCanvas.MeasureText(max.ToString(), l.CountSize, bold: true) + 4 <= l.Cell);
        }

        // Everything inside the canvas: the grid, the colour bar right of it, the column names and axis title under it.
        Assert.True(l.GridLeft + (l.Cell * classes) + 24 + 22 + 64 <= l.Width + 1);
        Assert.True(l.GridTop + (l.Cell * classes) + l.ColumnNamesHeight + l.AxisTitleBand <= l.Height - 16 + 1);
        Assert.True(l.Width >= 900 && l.Height >= 860);
    }

    [Theory]
    [InlineData(2, 500, true, 900, 860)]
    [InlineData(3, 500, true, 900, 860)]
    [InlineData(10, 500, true, 900, 860)]
    [InlineData(47, 400, true, 0, 0)]  // cells grown to hold 3 digits
    [InlineData(100, 400, false, 0, 0)] // 16 px cells cannot hold "400": colours only
    public void ConfusionMatrix_grows_beyond_900_by_860_only_for_many_classes(int classes, int right, bool numbered, int width, int height)
    {
        Figures.ConfusionLayout l = Figures.CheckConfusion(Counts(classes, right), Names(classes), out _, out _, out _);
        Assert.Equal(numbered, l.Numbered);
        if (width > 0)
        {
            Assert.Equal((width, height), (l.Width, l.Height));
        }
        else
        {
            Assert.True(l.Width > 900 && l.Height > 860, $"{l.Width} x {l.Height}");
        }

        if (classes == 47)
        {
            Assert.InRange(l.Cell, 26, 29);
        }

        if (classes == 100)
        {
            Assert.Equal(16, l.Cell);
            Assert.Equal(90, l.ColumnAngle);
        }
    }

    [Fact]
    public void ConfusionMatrix_of_100_classes_draws_colours_without_numbers_and_says_so()
    {
        int[,] counts = Counts(100, 400);
        string path = Path.Combine(folder, "c100.png");
        Figures.ConfusionMatrix(path, counts, Names(100), "test");
        Figures.ConfusionLayout l = Figures.CheckConfusion(counts, Names(100), out _, out _, out int max);

        using SKBitmap png = Png.Load(path);
        Png.AssertSize(png, l.Width, l.Height);
        // Diagonal cell 3 (count 397, dark blue): one colour inside its white border, no number on it.
        Assert.Equal(Inside(l), Png.Count(png, CellLeft(l, 3) + 2, CellTop(l, 3) + 2, CellLeft(l, 3) + l.Cell - 2, CellTop(l, 3) + l.Cell - 2, c => c == ColorScales.Blues(397, max)));
        // The note under the title, in gray.
        Assert.True(NotePixels(png) > 50);
    }

    [Fact]
    public void ConfusionMatrix_of_47_classes_writes_counts_and_leaves_zeros_blank()
    {
        int[,] counts = Counts(47, 400);
        string path = Path.Combine(folder, "c47.png");
        Figures.ConfusionMatrix(path, counts, Names(47), "test");
        Figures.ConfusionLayout l = Figures.CheckConfusion(counts, Names(47), out _, out _, out int max);

        using SKBitmap png = Png.Load(path);
        Png.AssertSize(png, l.Width, l.Height);
        // The diagonal's 3-digit counts are written white on dark blue.
        Assert.True(Png.Count(png, CellLeft(l, 3) + 2, CellTop(l, 3) + 2, CellLeft(l, 3) + l.Cell - 2, CellTop(l, 3) + l.Cell - 2, c => c.Red > 200 && c.Blue > 200) > 15);
        // A zero cell is blank: its fill colour only.
        Assert.Equal(Inside(l), Png.Count(png, CellLeft(l, 20) + 2, CellTop(l, 3) + 2, CellLeft(l, 20) + l.Cell - 2, CellTop(l, 3) + l.Cell - 2, c => c == ColorScales.Blues(0, max)));
        Assert.Equal(0, NotePixels(png));
    }

    [Fact]
    public void ConfusionMatrix_of_10_classes_still_writes_its_zeros()
    {
        int[,] counts = Counts(10, 100);
        string path = Path.Combine(folder, "c10.png");
        Figures.ConfusionMatrix(path, counts, FashionMnist.ClassNames, "test");
        Figures.ConfusionLayout l = Figures.CheckConfusion(counts, FashionMnist.ClassNames, out _, out _, out _);
        using SKBitmap png = Png.Load(path);
        int x = (int)l.GridLeft + (5 * l.Cell);
        int y = (int)l.GridTop + (2 * l.Cell);
        Assert.True(l.Cell >= 60, $"cell {l.Cell}");
        Assert.True(Png.Count(png, x + 1, y + 1, x + l.Cell - 1, y + l.Cell - 1, Png.IsDark) > 10); // "0"
    }

    private static int CellLeft(Figures.ConfusionLayout l, int column) => (int)l.GridLeft + (column * l.Cell);

    private static int CellTop(Figures.ConfusionLayout l, int row) => (int)l.GridTop + (row * l.Cell);

    /// <summary>Pixels of a cell 2 px in from its edges (its border and a rounding pixel off).</summary>
    private static int Inside(Figures.ConfusionLayout l) => (l.Cell - 4) * (l.Cell - 4);

    /// <summary>Gray pixels in the middle 400 px of the band under the title, where the no-numbers note goes.</summary>
    private static int NotePixels(SKBitmap png)
        => Png.Count(png, (png.Width / 2) - 200, 46, (png.Width / 2) + 200, 60, c => c.Red is > 80 and < 140 && c.Red == c.Green && c.Red == c.Blue);

    // ---- explain and predict for 2 to 100 classes and any image shape ----

    [Theory]
    [InlineData(2, 1360)]
    [InlineData(3, 1360)]
    [InlineData(10, 1360)]
    [InlineData(18, 1360)]
    [InlineData(19, 1374)]  // 19 x 16 + 110 = 414, 14 more than 400
    [InlineData(47, 1822)]
    [InlineData(100, 2670)]
    public void Explain_grows_its_output_panels_by_16_px_per_class_beyond_18(int classes, int height)
    {
        (NeuralNetwork network, float[] parameters) = Network(28, 28, classes);
        ImageSet images = Images(5, 28, 28, classes);
        Explanation e = LabFigures.Explain(network, parameters, images, 4, Names(classes));
        string path = Path.Combine(folder, $"explain-{classes}.png");
        Figures.Explain(path, e);

        using SKBitmap png = Png.Load(path);
        Png.AssertSize(png, 1480, height);
        // The predicted class's bar (orange) in the probabilities panel is at least 11 px thick: one bar per 16 px or more.
        int orangeRows = 0;
        for (int y = 1360 - 400; y < height; y++)
        {
            if (Png.Count(png, 740, y, 1480, y + 1, c => c.Red > 200 && c.Green is > 80 and < 140 && c.Blue < 40) > 20)
            {
                orangeRows++;
            }
        }

        Assert.True(orangeRows >= 11, $"the predicted bar is {orangeRows} px thick");
    }

    [Fact]
    public void Explain_draws_a_12_by_20_input_image_340_by_204()
    {
        (NeuralNetwork network, float[] parameters) = Network(12, 20, 3);
        ImageSet images = Images(5, 12, 20, 3);
        string path = Path.Combine(folder, "explain.png");
        Figures.Explain(path, LabFigures.Explain(network, parameters, images, 2, ["Ankle boot with a very long name indeed", "cat", "dog"]));

        using SKBitmap png = Png.Load(path);
        Png.AssertSize(png, 1480, 1360);
        // s = min(floor(340 / 20), floor(260 / 12)) = 17; the image centred in the first 370 px slot, under the 76 + 46 px bands.
        int left = 185 - 170;
        int top = 76 + 46;
        for (int r = 0; r < 12; r += 2)
        {
            for (int c = 0; c < 20; c += 3)
            {
                Assert.Equal(Pixel(2, r, c), png.GetPixel(left + (c * 17) + 8, top + (r * 17) + 8).Red);
            }
        }
    }

    [Fact]
    public void Explain_of_1_by_100_images_draws_the_unit_weights_as_a_column_of_strips()
    {
        (NeuralNetwork network, float[] parameters) = Network(1, 100, 26);
        Explanation e = LabFigures.Explain(network, parameters, Images(5, 1, 100, 26), 1, Names(26));
        // Row 1's 5 x 5 grid would draw 100 px wide images at 0.84 px per pixel; 25 x 1 draws them 400 x 4.
        Assert.Equal((25, 1, 4f), Figures.MaskedWeightsGrid(e, 25, 5, 5));
        (NeuralNetwork square, float[] squareParameters) = Network(28, 28, 2);
        Explanation lab = LabFigures.Explain(square, squareParameters, Images(2, 28, 28, 2), 0, ["a", "b"]);
        Assert.Equal((5, 5, 3f), Figures.MaskedWeightsGrid(lab, 25, 5, 5)); // floor(420 / 140) = 3, as before
        string path = Path.Combine(folder, "explain.png");
        Figures.Explain(path, e);
        Png.AssertSize(Png.Load(path), 1480, 1360 - 400 + (26 * 16) + 110);
    }

    [Theory]
    [InlineData(3, 1, 10, 0)] // predicted 3: compared with class 0
    [InlineData(0, 4, 10, 4)] // predicted 0, wrongly: compared with the true class
    [InlineData(0, 0, 10, 1)] // predicted 0, rightly: class 1
    [InlineData(0, 0, 2, 1)]
    [InlineData(1, 1, 2, 0)]
    [InlineData(0, 0, 1, 0)]  // one output: nothing else to compare with
    public void CompareWith_picks_a_class_other_than_the_predicted_one(int predicted, int trueClass, int classes, int expected)
        => Assert.Equal(expected, Explanation.CompareWith(predicted, trueClass, classes));

    [Fact]
    public void Explain_of_2_classes_predicting_class_0_compares_it_with_class_1()
    {
        (NeuralNetwork network, float[] parameters) = Network(8, 8, 2, hidden: 4);
        network.Biases<float>(parameters.AsSpan(), 1)[0] = 50; // output 0 always wins
        ImageSet images = Images(2, 8, 8, 2);
        Explanation e = LabFigures.Explain(network, parameters, images, 0, ["left", "right"]);
        Assert.Equal((0, 0, 1), (e.PredictedClass, e.TrueClass, e.ComparedClass));
        ReadOnlySpan<float> w2 = network.Weights<float>(parameters, 1);
        Assert.Equal(w2.Slice(4, 4).ToArray(), e.OutputWeightsCompared);
        Assert.Equal(w2[..4].ToArray(), e.OutputWeightsPredicted);

        string path = Path.Combine(folder, "e.png");
        var wrong = Assert.Throws<ArgumentException>(() => Figures.Explain(path, e with { ComparedClass = 2 }));
        Assert.Contains("ComparedClass: expected 0..1, found 2", wrong.Message);
        Figures.Explain(path, e);
        Png.AssertSize(Png.Load(path), 1480, 1360);
    }

    [Fact]
    public void Bar_labels_cut_long_names_and_keep_the_class_number()
    {
        string[] labels = Figures.BarLabels(["short", new string('W', 80)], c => c == 1 ? $"({c}, true)" : $"({c})");
        Assert.Equal("short (0)", labels[0]);
        Assert.EndsWith("\u2026 (1, true)", labels[1]);
        Assert.True(FigureCanvas.MeasureText(labels[1], 13) <= 220);
    }

    [Theory]
    [InlineData(2, 470)]
    [InlineData(10, 470)]
    [InlineData(47, 922)]
    [InlineData(100, 1770)]
    public void Prediction_grows_its_bars_by_16_px_per_class_beyond_18(int classes, int height)
    {
        var values = new float[classes];
        values[classes - 1] = 1;
        string path = Path.Combine(folder, $"predict-{classes}.png");
        Figures.Prediction(path, new PredictionFigure("p", Images(1, 12, 20, 1).Pixels.ToArray(), 12, 20, Names(classes), values, "probabilities", classes - 1, "note"));
        using SKBitmap png = Png.Load(path);
        Png.AssertSize(png, 1100, height);
        // The 12 x 20 image at s = floor(320 / 20) = 16, 320 x 192, centred in the 368 px slot from y = 90.
        Assert.Equal(Pixel(0, 11, 19), png.GetPixel(24 + (19 * 16) + 8, 90 + (11 * 16) + 8).Red);
    }

    // ---- text ----

    [Fact]
    public void Wrap_breaks_a_long_name_at_spaces_onto_two_lines_and_cuts_the_rest()
    {
        Assert.Equal(["Shirt"], FigureCanvas.Wrap("Shirt", 80, 11, 2));
        string[] two = FigureCanvas.Wrap("class number 15 long name", 90, 11, 2);
        Assert.Equal(2, two.Length);
        Assert.All(two, line => Assert.True(FigureCanvas.MeasureText(line, 11) <= 90, line));
        Assert.StartsWith(two[0] + " ", "class number 15 long name");
        Assert.True(two[0].Length > 5);
        string[] cut = FigureCanvas.Wrap("class number 15 with a name much too long for two lines of ninety pixels", 90, 11, 2);
        Assert.Equal(2, cut.Length);
        Assert.EndsWith("\u2026", cut[1]);
        string[] word = FigureCanvas.Wrap(new string('W', 40), 90, 11, 2);
        Assert.Single(word);
        Assert.EndsWith("\u2026", word[0]);
    }

    [Fact]
    public void ImageGrid_wraps_long_titles_onto_a_second_line_and_grows_by_it()
    {
        ImageSet images = Images(10, 28, 28, 10);
        string one = Path.Combine(folder, "one.png");
        string two = Path.Combine(folder, "two.png");
        Figures.ImageGrid(one, images.Pixels.Span, 28, 28, 10, 10, Enumerable.Repeat("c1", 10).ToArray());
        Figures.ImageGrid(two, images.Pixels.Span, 28, 28, 10, 10, ["class number 0 with a long name", .. Enumerable.Repeat("c1", 9)]);
        // 84 px images: captions of one line are 20 px, of two 36 px.
        Png.AssertSize(Png.Load(one), 32 + 840 + 90, 32 + 20 + 84);
        Png.AssertSize(Png.Load(two), 32 + 840 + 90, 32 + 36 + 84);
    }

    [Fact]
    public void Describe_aligns_the_class_lines_for_names_of_any_length()
    {
        (NeuralNetwork network, float[] parameters) = Network(8, 8, 12, hidden: 3);
        string[] names = Names(12);
        Explanation e = LabFigures.Explain(network, parameters, Images(2, 8, 8, 12), 1, names);
        string[] classLines = LabFigures.Describe(e).SkipWhile(line => !line.StartsWith("class:", StringComparison.Ordinal)).Skip(1).ToArray();
        Assert.Equal(12, classLines.Length);
        int column = classLines[0].IndexOf(" z ", StringComparison.Ordinal);
        Assert.True(column > names.Max(n => n.Length));
        Assert.All(classLines, line => Assert.Equal(column, line.IndexOf(" z ", StringComparison.Ordinal)));
        Assert.StartsWith("   0 class number 0 with a long name", classLines[0]);
        Assert.StartsWith("  11 c11 ", classLines[11]);
    }

    [Theory]
    [InlineData("sigmoid", "a >= 0.5", 0.5f)]
    [InlineData("relu", "a > 0", 0f)]
    [InlineData("tanh", "a > 0", 0f)]
    public void A_hidden_unit_is_on_by_its_activations_rule_and_sigmoid_outputs_are_not_called_probabilities(string activation, string rule, float threshold)
    {
        var network = new NeuralNetwork([64, 6, 3], Activations.Get(activation), null, [8, 8]);
        var random = new Random(7);
        float[] parameters = [.. Enumerable.Range(0, network.ParameterCount).Select(_ => (float)(random.NextDouble() - 0.5))];
        Explanation e = LabFigures.Explain(network, parameters, Images(2, 8, 8, 3), 1, ["a", "b", "c"]);
        string[] lines = [.. LabFigures.Describe(e)];
        Assert.Equal($"hidden unit: z, a, on ({rule})", lines[1]);
        for (int j = 0; j < 6; j++)
        {
            bool on = activation == "sigmoid" ? e.HiddenActivations[j] >= threshold : e.HiddenActivations[j] > threshold;
            Assert.EndsWith(on ? " on" : "off", lines[2 + j]);
        }

        Assert.Equal("class: score z, output h = sigmoid(z) (each in 0..1; they need not sum to 1)", lines[8]);
    }

    [Fact]
    public void SweepHeatmap_reads_its_colour_scale_in_a_line_under_the_cells()
    {
        string path = Path.Combine(folder, "sweep-heatmap.png");
        double[,] scores = { { 78.3, 84.0, 85.7 }, { 76.3, 81.5, 84.0 }, { 65.8, 77.1, 79.2 } };
        Figures.SweepHeatmap(path, "Validation accuracy (%)", ["sgd"], [scores], "lambda", ["0.1", "1", "3"], "hidden units", ["10", "25", "50"], "0.0");
        using SKBitmap bitmap = Png.Load(path);

        // 500 wide (the least), 110 + 3 x 48 for the cells, 54 under them for the legend line.
        Png.AssertSize(bitmap, 500, 308);
        bool Dark(SKColor c) => c.Red < 100 && c.Green < 100 && c.Blue < 100;
        Assert.True(Png.Count(bitmap, 0, 256, 500, 300, Dark) > 100, "the legend line under the cells should hold text");

        // The same without a score: the line says so, nothing is framed.
        Figures.SweepHeatmap(path, "t", ["sgd"], [new[,] { { double.NaN } }], "lambda", ["1"], "hidden units", ["25"]);
        using SKBitmap failed = Png.Load(path);
        Png.AssertSize(failed, 500, 212);
        Assert.Equal(0, Png.Count(failed, 0, 0, 500, 212, c => c.Red > 200 && c.Green < 60 && c.Blue < 60));
    }
}

using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Plots;
using SkiaSharp;

namespace AnnLab.Tests.Plots;

/// <summary>
/// explain on networks with two hidden layers and more (issue 13): every weight layer named by the layers it joins,
/// every hidden layer's z and a in the figure and on the console, the output weights taken from the last weight layer.
/// </summary>
public class ExplainLayersTests
{
    private readonly string folder = TestPaths.NewTempDirectory();

    /// <summary>
    /// 4-2-2-2 ReLU with hand-set parameters, one 2 x 2 image [255, 0; 0, 255] of class 0, so x = (1, 0, 0, 1):
    /// hidden 1: z = (1 + 1 + 0.5, 0 - 0.5) = (2.5, -0.5), a = (2.5, 0);
    /// hidden 2: z = (1 x 2.5 + 3 x 0 + 0, -1 x 2.5 + 2 x 0 + 1) = (2.5, -1.5), a = (2.5, 0);
    /// output: z = (0.2 x 2.5 + 0.7 x 0, 1 x 2.5 - 1 x 0) = (0.5, 2.5), so class 1 is predicted and compared with class 0.
    /// </summary>
    private static Explanation HandWorked()
    {
        var network = new NeuralNetwork([4, 2, 2, 2], Activations.Get("relu"), null, [2, 2]);
        var parameters = new float[network.ParameterCount];
        float[][] weights = [[1, 0, 0, 1, 0, 1, 1, 0], [1, 3, -1, 2], [0.2f, 0.7f, 1, -1]];
        float[][] biases = [[0.5f, -0.5f], [0, 1], [0, 0]];
        for (int l = 0; l < 3; l++)
        {
            weights[l].CopyTo(network.Weights<float>(parameters.AsSpan(), l));
            biases[l].CopyTo(network.Biases<float>(parameters.AsSpan(), l));
        }

        var images = new ImageSet(new byte[] { 255, 0, 0, 255 }, new byte[] { 0 }, 4, 2, 2);
        return LabFigures.Explain(network, parameters, images, 0, ["left", "right"]);
    }

    [Theory]
    [InlineData(0, "the 0 hidden units that are on")]
    [InlineData(1, "the 1 hidden unit that is on")]
    [InlineData(7, "the 7 hidden units that are on")]
    public void The_count_of_units_on_agrees_with_its_noun(int on, string expected) =>
        Assert.Equal(expected, Figures.UnitsOn(on, "hidden unit", "hidden units"));

    [Fact]
    public void Explain_of_two_hidden_layers_holds_each_layers_hand_worked_values()
    {
        Explanation e = HandWorked();
        Assert.Equal(2, e.HiddenLayerCount);
        Assert.Equal([2.5f, -0.5f], e.HiddenPreActivations);
        Assert.Equal([2.5f, 0f], e.HiddenActivations);
        HiddenLayerValues second = Assert.Single(e.DeeperLayers);
        Assert.Equal([2.5f, -1.5f], second.PreActivations);
        Assert.Equal([2.5f, 0f], second.Activations);
        Assert.Equal([1f, 3f, -1f, 2f], second.IncomingWeights);
        Assert.Equal(1, e.PredictedClass);
        Assert.Equal(0, e.ComparedClass);

        // The output weights come from the last weight layer (hidden 2 -> output), not from hidden 1 -> hidden 2.
        Assert.Equal([1f, -1f], e.OutputWeightsPredicted);
        Assert.Equal([0.2f, 0.7f], e.OutputWeightsCompared);
        Assert.Equal([0.5f, 2.5f], e.OutputScores);
    }

    [Fact]
    public void Every_weight_layer_is_named_by_the_layers_it_joins()
    {
        Explanation e = HandWorked();
        Assert.Equal("input \u2192 hidden 1", e.WeightLayerName(0));
        Assert.Equal("hidden 1 \u2192 hidden 2", e.WeightLayerName(1));
        Assert.Equal("hidden 2 \u2192 output", e.WeightLayerName(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.WeightLayerName(3));

        Explanation lab = e with { DeeperLayers = [], OutputWeightsPredicted = [1, -1] };
        Assert.Equal("input \u2192 hidden", lab.WeightLayerName(0));
        Assert.Equal("hidden \u2192 output", lab.WeightLayerName(1));
    }

    [Fact]
    public void Describe_names_the_weight_layers_and_lists_every_hidden_layers_units()
    {
        IReadOnlyList<string> lines = LabFigures.Describe(HandWorked());
        Assert.Equal("image 0: left -> right (index: true -> predicted; classes 0 -> 1, misclassified)", lines[0]);
        Assert.Equal("weight layers: input -> hidden 1 (4 x 2), hidden 1 -> hidden 2 (2 x 2), hidden 2 -> output (2 x 2)", lines[1]);
        Assert.Equal("hidden 1 unit: z, a, on (a > 0); 1 of 2 on", lines[2]);
        Assert.Equal("    0: z    2.5000  a  2.5000  on", lines[3]);
        Assert.Equal("    1: z   -0.5000  a  0.0000  off", lines[4]);
        Assert.Equal("hidden 2 unit: z, a, on (a > 0); 1 of 2 on", lines[5]);
        Assert.Equal("    0: z    2.5000  a  2.5000  on", lines[6]);
        Assert.Equal("    1: z   -1.5000  a  0.0000  off", lines[7]);
    }

    [Fact]
    public void The_lab_network_keeps_its_console_lines()
    {
        var network = new NeuralNetwork([4, 3, 2], Activations.Get("sigmoid"), null, [2, 2]);
        var parameters = new float[network.ParameterCount];
        var images = new ImageSet(new byte[] { 255, 0, 0, 255 }, new byte[] { 1 }, 4, 2, 2);
        Explanation e = LabFigures.Explain(network, parameters, images, 0, ["left", "right"]);
        IReadOnlyList<string> lines = LabFigures.Describe(e);

        // All parameters 0: every z is 0, a = sigmoid(0) = 0.5 is on, both outputs 0.5 and class 0 (the first largest) predicted.
        Assert.Equal("image 0: right -> left (index: true -> predicted; classes 1 -> 0, misclassified)", lines[0]);
        Assert.Equal("hidden unit: z, a, on (a >= 0.5)", lines[1]);
        Assert.Equal("    2: z    0.0000  a  0.5000  on", lines[4]);
        Assert.Empty(e.DeeperLayers);
        Assert.Equal("hidden \u2192 output", e.WeightLayerName(1));
    }

    [Theory]
    [InlineData(1, 1360)]
    [InlineData(2, 1714)] // one more row of 354 px: 46 px titles, a 260 px grid, 48 px colour bar
    [InlineData(3, 2068)]
    public void Explain_adds_one_row_per_hidden_layer_after_the_first(int hiddenLayers, int height)
    {
        int[] sizes = [64, .. Enumerable.Repeat(6, hiddenLayers), 3];
        var network = new NeuralNetwork(sizes, Activations.Get("sigmoid"), null, [8, 8]);
        var random = new Random(3);
        float[] parameters = Enumerable.Range(0, network.ParameterCount).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var pixels = new byte[64];
        for (int p = 0; p < 64; p++)
        {
            pixels[p] = (byte)(p * 4);
        }

        Explanation e = LabFigures.Explain(network, parameters, new ImageSet(pixels, new byte[] { 2 }, 64, 8, 8), 0, ["a", "b", "c"]);
        Assert.Equal(hiddenLayers - 1, e.DeeperLayers.Count);
        string path = Path.Combine(folder, $"explain-{hiddenLayers}.png");
        Figures.Explain(path, e);
        using SKBitmap png = Png.Load(path);
        Png.AssertSize(png, 1480, height);
    }

    [Fact]
    public void The_second_hidden_layers_0_1_view_is_drawn_in_its_own_row()
    {
        Explanation e = HandWorked();
        string path = Path.Combine(folder, "explain-deep.png");
        Figures.Explain(path, e);
        using SKBitmap png = Png.Load(path);

        // Row of hidden 2 starts at 76 + 354 + 514 = 944, its grids 46 px lower; 2 units make a 1 x 2 grid of 260 / 2 = 130 px
        // cells centred in the last 370 px slot (centre 1295): unit 0 (on) at x 1165..1295 white, unit 1 (off) at 1295..1425 black.
        Assert.Equal(SKColors.White, png.GetPixel(1175, 1000));
        Assert.Equal(SKColors.Black, png.GetPixel(1305, 1000));
    }

    [Fact]
    public void Explain_names_a_deeper_layer_whose_weights_do_not_fit()
    {
        Explanation e = HandWorked();
        var wrong = Assert.Throws<ArgumentException>(() => Figures.Explain(Path.Combine(folder, "x.png"), e with { DeeperLayers = [new HiddenLayerValues([1, 2], [1, 2], [1, 2, 3])] }));
        Assert.Contains("DeeperLayers[0].IncomingWeights: 2 units x 2 units of the layer before: expected 4, found 3", wrong.Message);
        wrong = Assert.Throws<ArgumentException>(() => Figures.Explain(Path.Combine(folder, "x.png"), e with { OutputWeightsPredicted = [1, 2, 3] }));
        Assert.Contains("OutputWeightsPredicted: one per unit of the last hidden layer: expected 2, found 3", wrong.Message);
        Assert.False(File.Exists(Path.Combine(folder, "x.png")));
    }

    /// <summary>100 sigmoid units of 28 x 28 inputs: unit j has a = j / 100 (on from unit 50) and every incoming weight (j - 50) / 50.</summary>
    private static Explanation HundredUnits()
    {
        const int Units = 100;
        float[] a = Enumerable.Range(0, Units).Select(j => j / 100f).ToArray();
        float[] weights = Enumerable.Range(0, Units * 784).Select(k => ((k / 784) - 50) / 50f).ToArray();
        return new Explanation(7, new byte[784], 28, 28, 0, 1, ["a", "b"], new float[Units], a, weights, new float[Units], new float[Units], [0, 1], [0.3f, 0.7f]);
    }

    [Fact]
    public void Over_64_units_row_2_draws_the_25_most_active_units_that_are_on()
    {
        Explanation e = HundredUnits();
        Assert.Equal(Enumerable.Range(75, 25).Reverse(), Figures.MostActiveUnits(e));
        Assert.Equal([], Figures.MostActiveUnits(e with { HiddenActivations = new float[100] }));

        string path = Path.Combine(folder, "explain-100.png");
        Figures.Explain(path, e);
        using SKBitmap png = Png.Load(path);

        // Row 2 (y 430, grid from 476) draws 5 x 5 images of 56 px (scale 2) with a 14 px title above each, 6 px apart, from
        // x = 370 - 304 / 2 - 40 = 178: unit 99 first (weights 0.98), unit 98 next (0.96), unit 94 first in row 2; one scale of limit 1.
        Assert.Equal(ColorScales.Diverging(0.98, 1), png.GetPixel(183, 495));
        Assert.Equal(ColorScales.Diverging(0.96, 1), png.GetPixel(245, 495));
        Assert.Equal(ColorScales.Diverging(0.88, 1), png.GetPixel(183, 495 + 76));
    }
}

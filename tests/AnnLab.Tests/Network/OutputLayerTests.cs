using AnnLab.Network;

namespace AnnLab.Tests.Network;

public class OutputLayerTests
{
    // Rows of logits from calm to saturated: the vector sample costs must match the scalar references.
    private static readonly double[] Z = [0.1, -0.3, 2.0, 40, -40, 0, -800, 800, 5, -5, 12, 0.001];

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("softmax")]
    public void Vector_sample_costs_match_the_scalar_reference_in_double_and_float(string name)
    {
        OutputLayer output = OutputLayers.Parse(name);
        const int k = 3;
        byte[] labels = [0, 2, 1, 2];
        var costs = new double[4];
        output.SampleCosts<double>(Z, labels, costs, new double[2 * Z.Length], k);
        var single = new double[4];
        output.SampleCosts<float>([.. Z.Select(v => (float)v)], labels, single, new float[2 * Z.Length], k);
        for (int i = 0; i < labels.Length; i++)
        {
            double expected = output.SampleCost(Z.AsSpan(i * k, k), labels[i]);
            Assert.True(double.IsFinite(expected));
            Assert.Equal(expected, costs[i], Math.Max(1e-12, expected * 1e-12));
            Assert.Equal(expected, single[i], Math.Max(1e-4, expected * 1e-6));
        }
    }

    [Fact]
    public void The_delta_is_h_minus_the_one_hot_target()
    {
        var delta = new double[4];
        OutputLayers.Softmax.Delta<double>([0.25, 0.75, 0.5, 0.5], [1, 0], delta, 2);
        Assert.Equal([0.25, -0.25, -0.5, 0.5], delta);
    }

    [Fact]
    public void Names_parse_case_insensitively_and_unknown_ones_list_the_choices()
    {
        Assert.Same(OutputLayers.Softmax, OutputLayers.Parse("SoftMax"));
        Assert.Same(OutputLayers.Sigmoid, OutputLayer.Sigmoid);
        Assert.Contains("sigmoid, softmax", Assert.Throws<ArgumentException>(() => OutputLayers.Parse("tanh")).Message);
    }
}

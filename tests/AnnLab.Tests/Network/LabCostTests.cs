using AnnLab.Network;

namespace AnnLab.Tests.Network;

public class LabCostTests
{
    [Fact]
    public void Saturated_positive_output_with_target_1_costs_about_4_25e_minus_18()
    {
        // softplus(40) - 40 = log(1 + e^-40) = e^-40 to double precision = 4.248354255291589e-18
        double c = LabCost.UnitCost(40, 1);
        Assert.Equal(4.248354255291589e-18, c, 1e-30);
    }

    [Theory]
    [InlineData(40.0, 40.0)]
    [InlineData(800.0, 800.0)]
    public void Saturated_output_with_target_0_costs_z(double z, double expected)
    {
        double c = LabCost.UnitCost(z, 0);
        Assert.True(double.IsFinite(c));
        Assert.Equal(expected, c, 1e-12);
    }

    [Fact]
    public void Very_negative_output_with_target_1_costs_minus_z_not_infinity()
    {
        Assert.Equal(800.0, LabCost.UnitCost(-800, 1), 1e-12);
    }

    [Fact]
    public void Equals_the_labs_formula_where_nothing_saturates()
    {
        for (double z = -15; z <= 15; z += 0.37)
        {
            double h = 1 / (1 + Math.Exp(-z));
            foreach (double y in new[] { 0.0, 1.0 })
            {
                double lab = -((y * Math.Log(h)) + ((1 - y) * Math.Log(1 - h)));
                Assert.Equal(lab, LabCost.UnitCost(z, y), 1e-9);
            }
        }
    }

    [Theory]
    [InlineData(1.0, 200, 4000, 0.05)] // the lab's batches: 1 x 200 / 4000
    [InlineData(1.0, 300, 4000, 0.075)] // batches of 300 of 4000: thirteen full ones...
    [InlineData(1.0, 100, 4000, 0.025)] // ...and a last one of 4000 - 13 x 300 = 100
    [InlineData(0.03, 480, 480, 0.03)] // one full batch: lambda itself (0.03 x 480 / 480 would be 0.029999999999999995)
    public void A_mini_batch_lambda_is_lambda_times_its_share_of_the_training_set(double lambda, int batchSize, int trainCount, double expected)
    {
        double batchLambda = LabCost.MiniBatchLambda(lambda, batchSize, trainCount);
        Assert.Equal(expected, batchLambda);

        // Its ridge gradient lambda_b / m_b equals the training set's lambda / n.
        Assert.Equal(lambda / trainCount, batchLambda / batchSize, 1e-18);
    }

    [Theory]
    [InlineData(0, 4000)]
    [InlineData(4001, 4000)]
    public void A_mini_batch_lambda_needs_a_batch_within_the_training_set(int batchSize, int trainCount)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LabCost.MiniBatchLambda(1, batchSize, trainCount));
    }

    [Fact]
    public void Sample_cost_sums_units_with_one_hot_targets()
    {
        float[] z = [0.5f, -0.5f, 2f];
        double expected = LabCost.UnitCost(0.5, 0) + LabCost.UnitCost(-0.5, 0) + LabCost.UnitCost(2, 1);
        Assert.Equal(expected, LabCost.SampleCost<float>(z, 2), 1e-12);
    }
}

public class SoftmaxCostTests
{
    [Fact]
    public void Extreme_logits_give_exactly_858()
    {
        // logsumexp(-431, 279, 427) = 427 + log(1 + e^-148 + e^-858) = 427 (to double precision);
        // cost = 427 - (-431) = 858.
        Assert.Equal(858.0, LabCost.SoftmaxSampleCost<double>([-431, 279, 427], 0));
        Assert.Equal(858.0, LabCost.SoftmaxSampleCost<float>([-431f, 279f, 427f], 0));
    }

    [Fact]
    public void Equal_logits_give_ln_3()
    {
        Assert.Equal(Math.Log(3), LabCost.SoftmaxSampleCost<double>([2.5, 2.5, 2.5], 1), 1e-15);
    }

    [Fact]
    public void Softmax_never_overflows_and_sums_to_1()
    {
        var h = new float[3];
        LabCost.Softmax<float>([-431f, 279f, 427f], h);
        Assert.All(h, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1f, h.Sum(), 1e-6f);
        Assert.Equal(1f, h[2], 1e-6f);
    }

    [Fact]
    public void A_softmax_model_round_trips_through_the_model_file()
    {
        var network = new NeuralNetwork([4, 3, 2], new Tanh(), OutputLayer.Softmax);
        string path = Path.Combine(TestPaths.NewTempDirectory(), "s.annlab");
        ModelFile.Save(new Model(network, new float[network.ParameterCount], ["a", "b"]), path);
        Assert.Equal(OutputLayer.Softmax, ModelFile.Load(path).Network.Output);
    }
}

using AnnLab.Network;

namespace AnnLab.Tests.Network;

/// <summary>A 2-1-2 sigmoid network small enough to work out by hand.</summary>
public class HandWorkedTests
{
    // Parameters in AnnLab's layout: layer 0 weights (1 x 2) then bias (1); layer 1 weights (2 x 1) then biases (2).
    //   W1 = [0, 0], b1 = [0]; W2 = [1, -1] (unit 0 weight +1, unit 1 weight -1), b2 = [0, 0].
    // One sample x = (1, 2) with label 0, so y = (1, 0).
    //
    // Forward: z1 = 0, a1 = sigmoid(0) = 0.5.
    //   z2 = (0.5, -0.5), h = (sigmoid(0.5), sigmoid(-0.5)) = (0.6224593312, 0.3775406688).
    // Cost (lambda 0): -log(0.6224593312) - log(1 - 0.3775406688) = 2 * 0.4740769842 = 0.9481539684.
    // Backward: delta2 = h - y = (-0.3775406688, 0.3775406688).
    //   dW2 = delta2 * a1 = (-0.1887703344, 0.1887703344); db2 = delta2.
    //   delta1 = (delta2 . W2[:, 0]) * a1 (1 - a1) = (-0.3775406688 - 0.3775406688) * 0.25 = -0.1887703344.
    //   dW1 = delta1 * x = (-0.1887703344, -0.3775406688); db1 = -0.1887703344.
    // With lambda = 1 and m = 1: J += 1/2 * (0^2 + 0^2 + 1^2 + (-1)^2) = 1, so J = 1.9481539684;
    //   dW2 += lambda/m * W2 = (0.8112296656, -0.8112296656); biases unchanged.
    private static readonly double[] Theta = [0, 0, 0, 1, -1, 0, 0];

    [Fact]
    public void Cost_and_gradient_without_regularization()
    {
        (double j, double[] g) = Evaluate(lambda: 0);
        Assert.Equal(0.9481539684, j, 1e-9);
        double[] expected = [-0.1887703344, -0.3775406688, -0.1887703344, -0.1887703344, 0.1887703344, -0.3775406688, 0.3775406688];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], g[i], 1e-9);
        }
    }

    [Fact]
    public void Regularization_adds_to_weights_only()
    {
        (double j, double[] g) = Evaluate(lambda: 1);
        Assert.Equal(1.9481539684, j, 1e-9);
        double[] expected = [-0.1887703344, -0.3775406688, -0.1887703344, 0.8112296656, -0.8112296656, -0.3775406688, 0.3775406688];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], g[i], 1e-9);
        }
    }

    [Fact]
    public void Lab_matrix_view_puts_biases_in_row_0()
    {
        var network = new NeuralNetwork([2, 1, 2], new Sigmoid());
        double[] p = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
        double[,] theta1 = network.ToLabMatrix<double>(p, 0);
        double[,] theta2 = network.ToLabMatrix<double>(p, 1);
        Assert.Equal(new double[,] { { 0.3 }, { 0.1 }, { 0.2 } }, theta1);
        Assert.Equal(new double[,] { { 0.6, 0.7 }, { 0.4, 0.5 } }, theta2);
        var back = new double[7];
        network.FromLabUnrolled<double>([0.3, 0.1, 0.2, 0.6, 0.7, 0.4, 0.5], back);
        Assert.Equal(p, back);
    }

    [Fact]
    public void The_labs_network_has_the_labs_parameter_count()
    {
        var network = new NeuralNetwork([784, 25, 10], new Sigmoid());
        Assert.Equal((785 * 25) + (26 * 10), network.ParameterCount);
        Assert.Equal(785, network.ToLabMatrix<float>(new float[network.ParameterCount], 0).GetLength(0));
    }

    [Fact]
    public void Same_seed_same_initialization_within_epsilon()
    {
        var network = new NeuralNetwork([784, 25, 10], new Sigmoid());
        var a = new float[network.ParameterCount];
        var b = new float[network.ParameterCount];
        var c = new float[network.ParameterCount];
        network.Initialize<float>(a, 0.12, 7);
        network.Initialize<float>(b, 0.12, 7);
        network.Initialize<float>(c, 0.12, 8);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, v => Assert.InRange(v, -0.12f, 0.12f));
        Assert.True(a.Max() > 0.11f && a.Min() < -0.11f);
    }

    [Fact]
    public void ArgMax_breaks_ties_toward_the_lowest_index()
    {
        Assert.Equal(1, Prediction.ArgMax<float>([0.1f, 0.9f, 0.9f, 0.2f]));
        Assert.Equal(0, Prediction.ArgMax<float>([0.5f, 0.5f]));
        Assert.Equal(2, Prediction.ArgMax<double>([-3, -2, -1]));
    }

    private static (double J, double[] Gradient) Evaluate(double lambda)
    {
        var network = new NeuralNetwork([2, 1, 2], new Sigmoid());
        using var bp = new Backpropagation<double>(network, 1);
        bp.LoadInputs([1.0, 2.0], [0]);
        var g = new double[network.ParameterCount];
        double dataCost = bp.AccumulateGradient(Theta, 1, g);
        double j = LabCost.Finish<double>(network, Theta, dataCost, g, 1, lambda);
        return (j, g);
    }
}

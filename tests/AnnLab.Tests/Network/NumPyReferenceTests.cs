using AnnLab.Data;
using AnnLab.Network;

namespace AnnLab.Tests.Network;

/// <summary>
/// J and gradient on real images against values computed independently by the lab's NumPy code
/// (the formulas of shared/anchors/seed_numpy.py, float64): first 100 training images, lambda 1,
/// theta_i = 0.1 sin(0.37 i) in the lab's unrolled layout (Theta1 785 x 25 then Theta2 26 x 10,
/// row 0 = biases).
/// </summary>
public class NumPyReferenceTests
{
    private const double NumPyCost = 7.305202291595654;

    // (matrix, row, column, value) in the lab's Theta notation.
    private static readonly (int Layer, int Row, int Column, double Value)[] NumPyGradient =
    [
        (0, 0, 0, -0.010246730568006197),
        (0, 1, 0, 0.0001738894853804336),
        (0, 400, 7, -0.008710765454249238),
        (0, 784, 24, -0.0006126250057184305),
        (1, 0, 0, 0.3675963279586043),
        (1, 1, 3, 0.16456645590327132),
        (1, 25, 9, 0.2064985615149411),
    ];

    [Fact]
    public void Double_precision_matches_numpy_to_1e_7()
    {
        // NumPy's pixels are float32(x)/255 widened to float64; AnnLab's double path divides in
        // double, a difference of about 1e-8 relative, hence 1e-7 and not 1e-12.
        (double j, double[,] g1, double[,] g2) = Run<double>();
        Assert.Equal(NumPyCost, j, 1e-7);
        foreach (var (layer, row, column, value) in NumPyGradient)
        {
            Assert.Equal(value, (layer == 0 ? g1 : g2)[row, column], 1e-7);
        }
    }

    [Fact]
    public void Single_precision_matches_numpy_to_1e_5()
    {
        (double j, double[,] g1, double[,] g2) = Run<float>();
        Assert.Equal(NumPyCost, j, 1e-5);
        foreach (var (layer, row, column, value) in NumPyGradient)
        {
            Assert.Equal(value, (layer == 0 ? g1 : g2)[row, column], 1e-5);
        }
    }

    private static (double J, double[,] G1, double[,] G2) Run<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        ImageSet images = FashionMnist.Load(Path.Combine(TestPaths.DataDirectory, FashionMnist.TrainImagesFile), Path.Combine(TestPaths.DataDirectory, FashionMnist.TrainLabelsFile)).Slice(0, 100);
        var network = new NeuralNetwork([784, 25, 10], new Sigmoid());
        double[] theta = Enumerable.Range(0, network.ParameterCount).Select(i => 0.1 * Math.Sin(i * 0.37)).ToArray();
        var parameters = new T[network.ParameterCount];
        network.FromLabUnrolled<T>(theta, parameters);
        using var bp = new Backpropagation<T>(network, 100, threads: 2);
        int m = bp.LoadRange(images, 0, 100);
        var gradient = new T[network.ParameterCount];
        double j = LabCost.Finish<T>(network, parameters, bp.AccumulateGradient(parameters, m, gradient), gradient, m, 1.0);
        return (j, network.ToLabMatrix<T>(gradient, 0), network.ToLabMatrix<T>(gradient, 1));
    }
}

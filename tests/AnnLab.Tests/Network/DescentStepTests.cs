using AnnLab.Data;
using AnnLab.Network;

namespace AnnLab.Tests.Network;

public class DescentStepTests
{
    // The fused step (blocks' partial gradients summed, regularized and applied chunk by chunk of
    // the parameter vector, the chunks shared between threads) against the same step done in
    // separate passes: AccumulateGradient, LabCost.Finish, then w -= rate g.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Fused_step_gives_the_weights_of_gradient_then_update_bit_for_bit(int threads)
    {
        // Layer 0 has 47,040 weights and layer 1 3,000: both are cut into several sweep chunks.
        var network = new NeuralNetwork([784, 60, 50, 10], new Sigmoid());
        const int m = 200;
        var random = new Random(4);
        var pixels = new byte[m * 784];
        random.NextBytes(pixels);
        byte[] labels = [.. Enumerable.Range(0, m).Select(i => (byte)(i % 10))];
        var images = new ImageSet(pixels, labels, 784, 28, 28);
        int[] order = [.. Enumerable.Range(0, m)];
        var fused = new float[network.ParameterCount];
        network.Initialize<float>(fused, 0.12, 3);
        float[] separate = [.. fused];
        const double lambda = 2.0, rate = 0.3;

        using var bp = new Backpropagation<float>(network, m, threads);
        bp.LoadBatch(images, order);
        double fusedCost = bp.DescentStep(fused, m, lambda, rate, out double fusedNorm);

        var gradient = new float[network.ParameterCount];
        bp.LoadBatch(images, order);
        double cost = LabCost.Finish<float>(network, separate, bp.AccumulateGradient(separate, m, gradient), gradient, m, lambda);
        double norm = Math.Sqrt(gradient.Sum(g => (double)g * g)) / gradient.Length;
        for (int i = 0; i < separate.Length; i++)
        {
            separate[i] -= (float)rate * gradient[i];
        }

        Assert.Equal(separate, fused);
        Assert.NotEqual(0, norm);
        Assert.Equal(cost, fusedCost, cost * 1e-6);
        Assert.Equal(norm, fusedNorm, norm * 1e-5);
    }
}

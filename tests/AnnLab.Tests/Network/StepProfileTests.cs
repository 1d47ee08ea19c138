using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Optimization;

namespace AnnLab.Tests.Network;

/// <summary>Issue 14: the per-phase timing of a training step leaves its numbers alone and counts each product's FLOP.</summary>
public class StepProfileTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Profiled_steps_give_the_weights_of_unprofiled_ones_bit_for_bit_and_count_each_products_flops(int threads)
    {
        var network = new NeuralNetwork([784, 25, 10], new Sigmoid());
        const int m = 200, steps = 3;
        var random = new Random(5);
        var pixels = new byte[m * 784];
        random.NextBytes(pixels);
        byte[] labels = [.. Enumerable.Range(0, m).Select(i => (byte)(i % 10))];
        var images = new ImageSet(pixels, labels, 784, 28, 28);
        int[] order = [.. Enumerable.Range(0, m).Reverse()];
        var plain = new float[network.ParameterCount];
        network.Initialize<float>(plain, 0.12, 3);
        float[] profiled = [.. plain];

        using var bp = new Backpropagation<float>(network, m, threads);
        var sgd = (IElementwiseOptimizer)MiniBatchOptimizers.Sgd.Create(network.ParameterCount);
        double[] plainCosts = new double[steps], profiledCosts = new double[steps];
        for (int s = 0; s < steps; s++)
        {
            bp.LoadBatch(images, order);
            plainCosts[s] = bp.Step(plain, m, 1.0, sgd, 0.1, out _);
        }

        bp.TrainingStep = 0;
        StepProfile profile = bp.StartProfile();
        for (int s = 0; s < steps; s++)
        {
            bp.LoadBatch(images, order);
            profiledCosts[s] = bp.Step(profiled, m, 1.0, sgd, 0.1, out _);
        }

        bp.StopProfile();
        Assert.Equal(plain, profiled);
        Assert.Equal(plainCosts, profiledCosts);

        Assert.Equal(steps, profile.Steps);
        Assert.Equal(steps * m, profile.Samples);
        Assert.Equal(threads, profile.Threads);
        Dictionary<string, StepPhase> phases = profile.Phases().ToDictionary(p => p.Name);
        Assert.Equal(
            [
                "gather and convert", "forward 1: dense 784 -> 25", "forward 2: sigmoid 25", "forward 3: dense 25 -> 10",
                "output sigmoid: h, costs, delta", "backward 2: sigmoid 25", "backward 3: dense 25 -> 10, delta W",
                "weight gradient 1: dense 784 -> 25, delta^T a", "weight gradient 3: dense 25 -> 10, delta^T a", "sweep: sum, regularize, update",
            ],
            profile.Phases().Select(p => p.Name));

        // 2 FLOP per multiply-add: m x 784 x 25 for the first layer's forward and weight gradient,
        // m x 25 x 10 for the second's forward, delta W and weight gradient.
        Assert.Equal(2.0 * steps * m * 784 * 25, phases["forward 1: dense 784 -> 25"].Flops);
        Assert.Equal(2.0 * steps * m * 784 * 25, phases["weight gradient 1: dense 784 -> 25, delta^T a"].Flops);
        Assert.Equal(2.0 * steps * m * 25 * 10, phases["backward 3: dense 25 -> 10, delta W"].Flops);
        Assert.Equal(0, phases["forward 2: sigmoid 25"].Flops);
        Assert.Equal(network.TrainingFlopsPerSample * (double)steps * m, profile.Phases().Sum(p => p.Flops));

        // Every phase ran, so took time; the phases and the waiting of each thread fill the sections.
        Assert.All(profile.Phases(), p => Assert.True(p.Seconds > 0, $"{p.Name}: {p.Seconds} s"));
        Assert.True(profile.WallSeconds >= profile.BlockWallSeconds + profile.SweepWallSeconds);
        double threadTime = profile.Phases().Sum(p => p.Seconds) + profile.Waiting().Sum(w => w.Blocks + w.Sweep);
        Assert.Equal((profile.BlockWallSeconds + profile.SweepWallSeconds) * threads, threadTime, 1e-9);
    }
}

using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Training;

namespace AnnLab.Tests.Training;

public class MiniBatchGradientDescentTests
{
    // Image i has every pixel equal to i and label i mod 10.
    private static ImageSet NumberedImages(int count, int features = 16)
    {
        var pixels = new byte[count * features];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            pixels.AsSpan(i * features, features).Fill((byte)i);
            labels[i] = (byte)(i % 10);
        }

        return new ImageSet(pixels, labels, features, 4, 4);
    }

    [Fact]
    public void Shuffled_batches_keep_each_image_with_its_label()
    {
        ImageSet set = NumberedImages(57);
        var network = new NeuralNetwork([16, 3, 10], new Sigmoid());
        using var bp = new Backpropagation<float>(network, 57);
        int[] order = Enumerable.Range(0, 57).ToArray();
        MiniBatchGradientDescent.Shuffle(order, new Random(3));
        Assert.NotEqual(Enumerable.Range(0, 57), order);
        int m = bp.LoadBatch(set, order);
        ReadOnlySpan<float> x = bp.Inputs(m);
        ReadOnlySpan<byte> labels = bp.Labels(m);
        for (int row = 0; row < m; row++)
        {
            int image = (int)Math.Round(x[row * 16] * 255);
            Assert.Equal(order[row], image);
            Assert.Equal(image % 10, labels[row]);
            Assert.Equal(x[row * 16], x[(row * 16) + 15]);
        }
    }

    [Fact]
    public void A_last_partial_batch_is_averaged_over_its_own_size()
    {
        // 5 samples in batches of 2: steps over 2, 2 and 1 samples. Replay them by hand.
        ImageSet set = NumberedImages(5);
        var network = new NeuralNetwork([16, 3, 10], new Tanh());
        var options = new TrainingOptions { BatchSize = 2, MaxEpochs = 1, LearningRate = 0.5, Lambda = 0.7, Threads = 1, Seed = 4 };
        var trained = new float[network.ParameterCount];
        network.Initialize<float>(trained, 0.5, 4);
        var replay = (float[])trained.Clone();

        TrainingResult result = Trainer.Train(network, trained, set, options);
        Assert.Equal(3, result.Iterations);

        int[] order = [0, 1, 2, 3, 4];
        MiniBatchGradientDescent.Shuffle(order, new Random(options.Seed + 1));
        using var bp = new Backpropagation<float>(network, 2);
        foreach (int[] batch in new[] { order[0..2], order[2..4], order[4..5] })
        {
            var g = new float[network.ParameterCount];
            int m = bp.LoadBatch(set, batch);
            Assert.Equal(batch.Length, m);
            LabCost.Finish<float>(network, replay, bp.AccumulateGradient(replay, m, g), g, m, options.Lambda);
            for (int i = 0; i < replay.Length; i++)
            {
                replay[i] = MathF.FusedMultiplyAdd(g[i], -0.5f, replay[i]);
            }
        }

        for (int i = 0; i < replay.Length; i++)
        {
            Assert.Equal(replay[i], trained[i], 1e-6f);
        }
    }

    [Fact]
    public void A_huge_learning_rate_diverges_with_a_message()
    {
        ImageSet set = NumberedImages(40);
        var network = new NeuralNetwork([16, 5, 10], new Sigmoid());
        var p = new float[network.ParameterCount];
        network.Initialize<float>(p, 0.12, 1);
        var options = new TrainingOptions { LearningRate = 1e4, BatchSize = 10, MaxEpochs = 50, Threads = 1 };
        TrainingResult result = Trainer.Train(network, p, set, options);
        Assert.Equal(StopReason.Diverged, result.StopReason);
        Assert.Contains("diverged in epoch", result.Message);
        Assert.True(result.Epochs < 50);
    }

    [Fact]
    public void Tolerance_stops_as_converged()
    {
        ImageSet set = NumberedImages(40);
        var network = new NeuralNetwork([16, 5, 10], new Sigmoid());
        var p = new float[network.ParameterCount];
        network.Initialize<float>(p, 0.12, 1);
        var options = new TrainingOptions { BatchSize = 10, MaxEpochs = 1000, Tolerance = 1, Threads = 1 };
        TrainingResult result = Trainer.Train(network, p, set, options);
        Assert.Equal(StopReason.Converged, result.StopReason);
        Assert.Equal(1, result.Epochs);
    }

    [Fact]
    public void Same_seed_same_weights_and_thread_count_does_not_matter()
    {
        ImageSet set = NumberedImages(230, 64);
        var network = new NeuralNetwork([64, 20, 10], new Relu());
        float[] Run(int threads, int seed)
        {
            var p = new float[network.ParameterCount];
            network.Initialize<float>(p, 0.12, seed);
            Trainer.Train(network, p, set, new TrainingOptions { BatchSize = 50, MaxEpochs = 3, Threads = threads, Seed = seed, LearningRate = 0.05 });
            return p;
        }

        float[] one = Run(1, 9), two = Run(2, 9), again = Run(2, 9), other = Run(2, 10);
        Assert.Equal(one, two);
        Assert.Equal(two, again);
        Assert.NotEqual(one, other);
    }
}

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

        return new ImageSet(pixels, labels, features, 1, features);
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

    // Trains a 16-4-10 sigmoid network from the same start; returns the weights and each epoch's mean batch cost.
    private static (float[] Weights, double[] Costs) TrainSmall(ImageSet set, TrainingOptions options)
    {
        var network = new NeuralNetwork([16, 4, 10], new Sigmoid());
        var p = new float[network.ParameterCount];
        network.Initialize<float>(p, 0.12, 7);
        TrainingResult result = Trainer.Train(network, p, set, options with { Threads = 1, Seed = 7 });
        return (p, result.History.Select(h => h.Cost).ToArray());
    }

    [Fact]
    public void Training_set_scaling_with_one_batch_of_the_whole_set_is_batch_scaling_bit_for_bit()
    {
        // 480 images in one batch (the batch size is capped at the set): m_b / n = 1, so lambda_b = lambda.
        // n is the set's count, not TrainingOptions.TrainCount (4000 with the default Samples).
        ImageSet set = NumberedImages(480);
        var options = new TrainingOptions { BatchSize = 1000, MaxEpochs = 3, Lambda = 0.03, LearningRate = 0.5 };
        (float[] batch, double[] batchCosts) = TrainSmall(set, options with { LambdaScale = LambdaScale.Batch });
        (float[] trainingSet, double[] trainingSetCosts) = TrainSmall(set, options with { LambdaScale = LambdaScale.TrainingSet });
        Assert.Equal(batch, trainingSet);
        Assert.Equal(batchCosts, trainingSetCosts);
    }

    [Theory]
    [InlineData("sgd")] // the fused descent step
    [InlineData("momentum")] // the gradient handed to an optimizer
    public void Training_set_scaling_of_lambda_1_in_batches_of_200_of_4000_is_batch_scaling_of_lambda_0_05(string optimizer)
    {
        // lambda_b = 1 x 200 / 4000 = 0.05, the same double as the literal 0.05.
        ImageSet set = NumberedImages(4000);
        var options = new TrainingOptions { BatchSize = 200, MaxEpochs = 2, LearningRate = 0.5, Optimizer = AnnLab.Optimization.MiniBatchOptimizers.Get(optimizer) };
        (float[] scaled, double[] scaledCosts) = TrainSmall(set, options with { Lambda = 1, LambdaScale = LambdaScale.TrainingSet });
        (float[] small, double[] smallCosts) = TrainSmall(set, options with { Lambda = 0.05, LambdaScale = LambdaScale.Batch });
        (float[] labs, _) = TrainSmall(set, options with { Lambda = 1, LambdaScale = LambdaScale.Batch });
        Assert.Equal(small, scaled);
        Assert.Equal(smallCosts, scaledCosts);
        Assert.NotEqual(labs, scaled);
    }

    [Fact]
    public void A_last_partial_batch_gets_lambda_in_proportion_to_its_size()
    {
        // 4000 images in batches of 300: thirteen batches of 300 with lambda 1 x 300 / 4000 = 0.075,
        // then one of 100 with 1 x 100 / 4000 = 0.025. Replay the epoch step by step with those lambdas.
        ImageSet set = NumberedImages(4000);
        var network = new NeuralNetwork([16, 4, 10], new Sigmoid());
        var options = new TrainingOptions { BatchSize = 300, MaxEpochs = 1, LearningRate = 0.5, Lambda = 1, LambdaScale = LambdaScale.TrainingSet, Threads = 1, Seed = 2 };
        using (var sgd = new MiniBatchGradientDescent(network, set, options))
        {
            Assert.Equal(0.075, sgd.BatchLambda(300));
            Assert.Equal(0.025, sgd.BatchLambda(100));
        }

        var trained = new float[network.ParameterCount];
        network.Initialize<float>(trained, 0.12, 2);
        var start = (float[])trained.Clone();
        Assert.Equal(14, Trainer.Train(network, trained, set, options).Iterations);

        float[] Replay(double lastLambda)
        {
            var replay = (float[])start.Clone();
            int[] order = Enumerable.Range(0, 4000).ToArray();
            MiniBatchGradientDescent.Shuffle(order, new Random(options.Seed + 1));
            using var bp = new Backpropagation<float>(network, 300, 1);
            for (int first = 0; first < 4000; first += 300)
            {
                int m = bp.LoadBatch(set, order.AsSpan(first, Math.Min(300, 4000 - first)));
                bp.DescentStep(replay, m, m == 300 ? 0.075 : lastLambda, 0.5, out _);
            }

            return replay;
        }

        Assert.Equal(Replay(0.025), trained);
        Assert.NotEqual(Replay(0.075), trained); // the replay tells the last batch's lambda apart
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

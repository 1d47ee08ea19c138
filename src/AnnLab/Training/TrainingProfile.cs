using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Optimization;

namespace AnnLab.Training;

/// <summary>
/// Where the time of mini-batch training goes: epochs of the fused training step that
/// <see cref="Trainer"/> runs (shuffle, gather, forward, backward, one sweep that sums, regularizes
/// and updates) with a <see cref="StepProfile"/> timing each phase on each thread.
/// </summary>
public static class TrainingProfile
{
    /// <summary>Steps per timed round.</summary>
    public const int RoundSteps = 20;

    /// <summary>
    /// Trains <paramref name="parameters"/> for one untimed epoch (the profiled code path's warm-up),
    /// then for <paramref name="epochs"/> profiled ones in rounds of <see cref="RoundSteps"/> steps,
    /// with <paramref name="options"/>' batch size,
    /// threads, learning rate, lambda, optimizer and seed (constant learning rate, the lambda of
    /// every batch <see cref="TrainingOptions.Lambda"/>).
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="parameters">Its parameters (<see cref="NeuralNetwork.ParameterCount"/>); updated.</param>
    /// <param name="train">The training images.</param>
    /// <param name="options">The training options.</param>
    /// <param name="epochs">Epochs to profile, at least 1.</param>
    /// <returns>The fastest round's profile (the least disturbed by other programs), or the last
    /// steps' when the timed epochs have fewer than <see cref="RoundSteps"/> steps.</returns>
    /// <exception cref="ArgumentOutOfRangeException">epochs below 1.</exception>
    /// <exception cref="NotSupportedException">The optimizer cannot be fused into the sweep.</exception>
    public static StepProfile Measure(NeuralNetwork network, float[] parameters, ImageSet train, TrainingOptions options, int epochs)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        using var backprop = new Backpropagation<float>(network, Math.Min(options.BatchSize, train.Count), options.Threads);
        var optimizer = options.Optimizer.Create(network.ParameterCount, options.Momentum, options.WeightDecay, network.Layout.RegularizedMask()) as IElementwiseOptimizer
            ?? throw new NotSupportedException($"the {options.Optimizer} optimizer is not fused into the sweep: no profile");
        int[] order = Enumerable.Range(0, train.Count).ToArray();
        var random = new Random(options.Seed + 1);
        StepProfile round = backprop.StartProfile(), fastest = round;
        bool warm = false;
        for (int epoch = 0; epoch <= epochs; epoch++)
        {
            MiniBatchGradientDescent.Shuffle(order, random);
            for (int start = 0; start < train.Count; start += backprop.MaxBatchSize)
            {
                int m = backprop.LoadBatch(train, order.AsSpan(start, Math.Min(backprop.MaxBatchSize, train.Count - start)));
                backprop.Step(parameters, m, options.Lambda, optimizer, options.LearningRate, out _);
                if (round.Steps == RoundSteps)
                {
                    if (warm && (fastest.Steps < RoundSteps || round.WallSeconds < fastest.WallSeconds))
                    {
                        fastest = round;
                    }

                    round = backprop.StartProfile();
                }
            }

            if (epoch == 0)
            {
                // The warm-up epoch's rounds do not count.
                warm = true;
                round = fastest = backprop.StartProfile();
            }
        }

        if (fastest.Steps < RoundSteps)
        {
            fastest = round; // fewer steps than a round: the last ones
        }

        backprop.StopProfile();
        return fastest;
    }
}

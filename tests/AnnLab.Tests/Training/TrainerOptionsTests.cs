using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Optimization;
using AnnLab.Training;

namespace AnnLab.Tests.Training;

public class TrainerOptionsTests
{
    /// <summary>count 8x8 images of 10 classes: a class-dependent bright band plus noise (seeded), so there is something to learn.</summary>
    internal static ImageSet Images(int count, int seed)
    {
        var r = new Random(seed);
        var pixels = new byte[count * 64];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 10);
            for (int p = 0; p < 64; p++)
            {
                // Class-dependent bright band plus noise, so there is something to learn.
                pixels[(i * 64) + p] = (byte)(((p / 6) == labels[i] ? 200 : 0) + r.Next(50));
            }
        }

        return new ImageSet(pixels, labels, 64, 8, 8);
    }

    [Fact]
    public void An_optimizer_step_is_the_gradient_of_the_batch_passed_to_that_optimizer()
    {
        ImageSet set = Images(20, 1);
        var network = new NeuralNetwork([64, 5, 10], new Tanh(), OutputLayer.Softmax);
        var trained = new float[network.ParameterCount];
        network.Initialize<float>(trained, 0.1, 2);
        var replay = (float[])trained.Clone();
        var options = new TrainingOptions { BatchSize = 20, MaxEpochs = 1, Optimizer = AnnLab.Optimization.MiniBatchOptimizers.Get("adam"), LearningRate = 0.01, Lambda = 0.5, Threads = 1 };
        Trainer.Train(network, trained, set, options);

        int[] order = Enumerable.Range(0, 20).ToArray();
        MiniBatchGradientDescent.Shuffle(order, new Random(options.Seed + 1));
        using var bp = new Backpropagation<float>(network, 20);
        var g = new float[network.ParameterCount];
        int m = bp.LoadBatch(set, order);
        LabCost.Finish<float>(network, replay, bp.AccumulateGradient(replay, m, g), g, m, options.Lambda);
        new Adam(network.ParameterCount).Step(replay, g, 0.01);
        Assert.Equal(replay, trained);
    }

    [Fact]
    public void Early_stopping_restores_the_best_weights()
    {
        ImageSet train = Images(200, 3), validation = Images(100, 4);
        var network = new NeuralNetwork([64, 8, 10], new Relu(), OutputLayer.Softmax);
        var p = new float[network.ParameterCount];
        network.Initialize<float>(p, 0.1, 5);
        // A learning rate this large makes the validation cost jump around, so training stops early and must keep the best epoch.
        var options = new TrainingOptions { BatchSize = 50, MaxEpochs = 60, Optimizer = AnnLab.Optimization.MiniBatchOptimizers.Get("momentum"), LearningRate = 3, Lambda = 0, Patience = 2, Threads = 1 };
        using var monitor = new LearningCurveMonitor(network, train, validation, 0, 1);
        TrainingResult result = Trainer.Train(network, p, train, options, monitor: monitor);
        double bestCost = result.History.Min(h => h.ValidationCost!.Value);
        using var onValidation = new DatasetObjective<float>(network, validation, 0, 1);
        Assert.Equal(bestCost, onValidation.Measure(p).Cost, 1e-9);
        Assert.Equal(StopReason.EarlyStopped, result.StopReason);
        int bestEpoch = result.History.First(h => h.ValidationCost == bestCost).Step;
        Assert.Equal(bestEpoch + options.Patience, result.Epochs);
        Assert.Contains("restored the weights of epoch " + bestEpoch, result.Message);
        Assert.Equal(bestEpoch, result.RestoredEpoch);
    }

    [Fact]
    public void Lbfgs_solver_lowers_the_cost_and_reports_its_iterations()
    {
        ImageSet train = Images(150, 6);
        var network = new NeuralNetwork([64, 6, 10], new Sigmoid());
        var p = new float[network.ParameterCount];
        network.Initialize<float>(p, 0.12, 1);
        using var objective = new DatasetObjective<float>(network, train, 1, 1);
        double before = objective.Measure(p).Cost;
        TrainingResult result = Trainer.Train(network, p, train, new TrainingOptions { Solver = Solver.Lbfgs, MaxIterations = 30, Threads = 1 });
        Assert.Equal(StopReason.MaxIterations, result.StopReason);
        Assert.Equal(30, result.Iterations);
        Assert.True(objective.Measure(p).Cost < before / 2);
    }

    [Fact]
    public void Schedules_follow_the_options()
    {
        Assert.Equal(0.1, Trainer.ScheduleFor(new TrainingOptions { LearningRate = 0.1 }).Rate(7, 10));
        Assert.Equal(0.05, Trainer.ScheduleFor(new TrainingOptions { LearningRate = 0.1, Schedule = ScheduleKind.Cosine, MaxEpochs = 10 }).Rate(5, 10), 12);
        Assert.Equal(0.01, Trainer.ScheduleFor(new TrainingOptions { LearningRate = 0.1, Schedule = ScheduleKind.Step, MaxEpochs = 9 }).Rate(3, 9), 12);
        Assert.Equal(0.025, Trainer.ScheduleFor(new TrainingOptions { LearningRate = 0.1, WarmupEpochs = 4, MaxEpochs = 10 }).Rate(0, 10), 12);
    }

    [Theory]
    [InlineData(Solver.Cg)]
    [InlineData(Solver.Lbfgs)]
    public void Full_batch_learning_curves_follow_the_solver_not_the_starting_point(Solver solver)
    {
        ImageSet train = Images(150, 6), validation = Images(60, 7);
        var network = new NeuralNetwork([64, 6, 10], new Sigmoid());
        var p = new float[network.ParameterCount];
        network.Initialize<float>(p, 0.12, 1);
        using var monitor = new LearningCurveMonitor(network, train, validation, 1, 1);
        TrainingResult result = Trainer.Train(network, p, train, new TrainingOptions { Solver = solver, MaxIterations = 20, Threads = 1 }, monitor: monitor);
        TrainingProgress first = result.History[0], last = result.History[^1];
        Assert.True(last.TrainCost < first.TrainCost * 0.8, $"{first.TrainCost} -> {last.TrainCost}");
        using var onTrain = new DatasetObjective<float>(network, train, 1, 1);
        Assert.Equal(onTrain.Measure(p).Cost, last.TrainCost!.Value, 1e-6);
        Assert.Equal(last.Cost, last.TrainCost!.Value, 1e-6);
    }
}

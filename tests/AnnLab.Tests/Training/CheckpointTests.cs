using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Optimization;
using AnnLab.Training;

namespace AnnLab.Tests.Training;

public class CheckpointTests
{
    private static ImageSet Images(int count, int seed) => TrainerOptionsTests.Images(count, seed);

    private static readonly TrainingOptions AdamWCosineDropout = new()
    {
        Hidden = [12], BatchSize = 30, MaxEpochs = 7, Optimizer = MiniBatchOptimizers.Get("adamw"), LearningRate = 0.01,
        Schedule = ScheduleKind.Cosine, WarmupEpochs = 2, Dropout = 0.3, Augment = true, Lambda = 0.5, Threads = 2, Seed = 3,
    };

    private static readonly NeuralNetwork Network = new([64, 12, 10], new Sigmoid(), OutputLayer.Softmax, inputShape: [8, 8]);

    // Trains from the same initial weights; with a folder, checkpoints every `every` steps go there, as checkpoint-<step>.
    private static (float[] Parameters, TrainingResult Result) Run(TrainingOptions options, ImageSet train, Checkpointing? checkpoints = null, NeuralNetwork? network = null)
    {
        network ??= Network;
        var p = new float[network.ParameterCount];
        network.Initialize<float>(p, 0.12, options.Seed);
        TrainingResult result = Trainer.Train(network, p, train, options, checkpoints: checkpoints);
        return (p, result);
    }

    private static Checkpointing SaveEvery(int every, string folder) => new()
    {
        Every = every,
        Save = c => c.Save(Path.Combine(folder, $"checkpoint-{c.Step}")),
    };

    [Fact]
    public void Sgd_with_adamw_cosine_schedule_and_dropout_resumed_after_epoch_3_ends_bit_for_bit_as_the_run_never_interrupted()
    {
        ImageSet train = Images(100, 1);
        string folder = TestPaths.NewTempDirectory();
        (float[] whole, TrainingResult wholeResult) = Run(AdamWCosineDropout, train);
        (float[] saved, _) = Run(AdamWCosineDropout, train, SaveEvery(3, folder));
        Assert.Equal(whole, saved); // saving changes nothing
        Assert.True(File.Exists(Path.Combine(folder, "checkpoint-6")));

        TrainingCheckpoint after3 = TrainingCheckpoint.Load(Path.Combine(folder, "checkpoint-3"));
        Assert.Equal(3, after3.Step);
        Assert.Equal(12, after3.Steps); // 4 batches of 30, 30, 30, 10 per epoch
        Assert.Equal(12, after3.Optimizer!.StepCount);
        Assert.Equal(["exp_avg", "exp_avg_sq"], after3.Optimizer.Buffers.Select(b => b.Key));
        Assert.Equal(3, after3.History.Count);
        Assert.NotEqual(whole, after3.Parameters);

        // Resumed with another thread count: the numbers do not depend on it.
        (float[] resumed, TrainingResult result) = Run(AdamWCosineDropout with { Threads = 1 }, train, new Checkpointing { Save = _ => { }, ResumeFrom = after3 });
        Assert.Equal(whole, resumed);
        Assert.Equal(7, result.Epochs);
        Assert.Equal(wholeResult.Iterations, result.Iterations);
        Assert.Equal(wholeResult.History.Select(h => h.Cost), result.History.Select(h => h.Cost));
    }

    [Theory]
    [InlineData(Solver.Cg)]
    [InlineData(Solver.Lbfgs)]
    public void A_full_batch_run_resumed_after_iteration_5_ends_bit_for_bit_as_the_run_never_interrupted(Solver solver)
    {
        ImageSet train = Images(100, 2);
        var options = new TrainingOptions { Hidden = [12], Solver = solver, MaxIterations = 12, Lambda = 0.5, Threads = 2, GradientTolerance = 0 };
        string folder = TestPaths.NewTempDirectory();
        (float[] whole, TrainingResult wholeResult) = Run(options, train);
        (float[] saved, _) = Run(options, train, SaveEvery(5, folder));
        Assert.Equal(whole, saved);

        TrainingCheckpoint after5 = TrainingCheckpoint.Load(Path.Combine(folder, "checkpoint-5"));
        Assert.Equal(5, after5.FullBatch!.Iteration);
        TrainingCheckpoint? kept = null; // in memory, not through a file: the saved state is a copy the run does not change
        Run(options, train, new Checkpointing { Every = 5, Save = c => kept ??= c });
        Assert.Equal(5, kept!.FullBatch!.Iteration);
        (float[] resumed, TrainingResult result) = Run(options, train, new Checkpointing { Save = _ => { }, ResumeFrom = after5 });
        Assert.Equal(whole, Run(options, train, new Checkpointing { Save = _ => { }, ResumeFrom = kept }).Parameters);
        Assert.Equal(whole, Run(options, train, new Checkpointing { Save = _ => { }, ResumeFrom = kept }).Parameters); // twice from one checkpoint
        Assert.Equal(12, wholeResult.Iterations);
        Assert.Equal(whole, resumed);
        Assert.Equal(wholeResult.Iterations, result.Iterations);
        Assert.Equal(wholeResult.FunctionEvaluations, result.FunctionEvaluations);
        Assert.Equal(wholeResult.History.Select(h => h.Cost), result.History.Select(h => h.Cost));
    }

    [Fact]
    public void Cancelling_saves_a_checkpoint_of_the_last_completed_epoch_that_resumes_bit_for_bit()
    {
        ImageSet train = Images(100, 1);
        (float[] whole, _) = Run(AdamWCosineDropout, train);
        TrainingCheckpoint? saved = null;
        using var cancel = new CancellationTokenSource();
        var network = Network;
        var p = new float[network.ParameterCount];
        network.Initialize<float>(p, 0.12, AdamWCosineDropout.Seed);
        var checkpoints = new Checkpointing { Save = c => saved = c };
        Assert.Throws<OperationCanceledException>(() => Trainer.Train(network, p, train, AdamWCosineDropout, progress =>
        {
            if (progress.Step == 4)
            {
                cancel.Cancel();
            }
        }, checkpoints: checkpoints, cancellationToken: cancel.Token));
        Assert.Equal(4, saved!.Step);
        (float[] resumed, _) = Run(AdamWCosineDropout, train, new Checkpointing { Save = _ => { }, ResumeFrom = saved });
        Assert.Equal(whole, resumed);
    }

    [Fact]
    public void Early_stopping_resumed_keeps_its_best_weights_and_patience_count()
    {
        ImageSet train = Images(200, 3), validation = Images(100, 4);
        var network = new NeuralNetwork([64, 8, 10], new Relu(), OutputLayer.Softmax);
        var options = new TrainingOptions { Hidden = [8], Activation = new Relu(), OutputActivation = OutputLayer.Softmax, BatchSize = 50, MaxEpochs = 60, Optimizer = MiniBatchOptimizers.Get("momentum"), LearningRate = 3, Lambda = 0, Patience = 2, Threads = 1 };
        TrainingCheckpoint? after2 = null;
        (float[] P, TrainingResult R) Train(Checkpointing checkpoints)
        {
            var p = new float[network.ParameterCount];
            network.Initialize<float>(p, 0.1, 5);
            using var monitor = new LearningCurveMonitor(network, train, validation, 0, 1);
            return (p, Trainer.Train(network, p, train, options, monitor: monitor, checkpoints: checkpoints));
        }

        (float[] whole, TrainingResult wholeResult) = Train(new Checkpointing { Every = 2, Save = c => after2 ??= c });
        Assert.Equal(StopReason.EarlyStopped, wholeResult.StopReason);
        Assert.True(wholeResult.Epochs > 3);
        Assert.Equal(2, after2!.Step);
        Assert.Equal(network.ParameterCount, after2.BestParameters.Length);
        (float[] resumed, TrainingResult result) = Train(new Checkpointing { Save = _ => { }, ResumeFrom = after2 });
        Assert.Equal(whole, resumed);
        Assert.Equal(wholeResult.Epochs, result.Epochs);
        Assert.Equal(wholeResult.RestoredEpoch, result.RestoredEpoch);
    }

    [Fact]
    public void Every_optimizer_exports_its_state_and_a_new_one_importing_it_takes_the_same_next_step()
    {
        var g = new float[] { 0.5f, -1, 2, 0.25f };
        foreach (OptimizerKind kind in MiniBatchOptimizers.All)
        {
            IMiniBatchOptimizer first = kind.Create(4), second = kind.Create(4);
            float[] p1 = [1, 2, 3, 4];
            first.Step(p1, g, 0.1);
            first.Step(p1, g, 0.1);
            second.ImportState(first.ExportState());
            float[] p2 = (float[])p1.Clone();
            first.Step(p1, g, 0.05);
            second.Step(p2, g, 0.05);
            Assert.Equal(p1, p2);
            Assert.NotEqual([1, 2, 3, 4], p1);
        }

        var e = Assert.Throws<ArgumentException>(() => new Adam(4).ImportState(new Momentum(4).ExportState()));
        Assert.Contains("expected the state of adam, got that of momentum", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Adam(5).ImportState(new Adam(4).ExportState()));
    }

    [Fact]
    public void A_checkpoint_of_another_network_or_training_set_is_refused_naming_both()
    {
        ImageSet train = Images(100, 1);
        string folder = TestPaths.NewTempDirectory();
        Run(AdamWCosineDropout with { MaxEpochs = 3 }, train, SaveEvery(2, folder));
        string path = Path.Combine(folder, "checkpoint-2");
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);

        var other = new NeuralNetwork([64, 13, 10], new Sigmoid(), OutputLayer.Softmax, inputShape: [8, 8]);
        var e = Assert.Throws<InvalidDataException>(() => Run(AdamWCosineDropout with { MaxEpochs = 3, Hidden = [13] }, train, new Checkpointing { Save = _ => { }, ResumeFrom = checkpoint, ResumePath = path }, other));
        Assert.Equal($"{path}: the checkpoint is of a 64-12-10 sigmoid softmax network (910 parameters), not of this 64-13-10 sigmoid softmax network (985 parameters)", e.Message);

        e = Assert.Throws<InvalidDataException>(() => Run(AdamWCosineDropout with { MaxEpochs = 3 }, Images(100, 9), new Checkpointing { Save = _ => { }, ResumeFrom = checkpoint, ResumePath = path }));
        Assert.StartsWith($"{path}: the checkpoint was trained on another training set (100 images, SHA-256 ", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<InvalidDataException>(() => Run(AdamWCosineDropout with { MaxEpochs = 3, LearningRate = 0.02 }, train, new Checkpointing { Save = _ => { }, ResumeFrom = checkpoint, ResumePath = path }));
        Assert.Equal($"{path}: the checkpoint's `LearningRate` is 0.01, this run's 0.02", e.Message);
    }

    [Fact]
    public void A_damaged_cut_or_foreign_checkpoint_file_is_an_InvalidDataException_naming_the_file()
    {
        ImageSet train = Images(100, 1);
        string folder = TestPaths.NewTempDirectory();
        Run(AdamWCosineDropout with { MaxEpochs = 1 }, train, SaveEvery(1, folder));
        string path = Path.Combine(folder, "checkpoint-1");
        byte[] good = File.ReadAllBytes(path);

        string Refusal(byte[] bytes)
        {
            string bad = Path.Combine(folder, "bad");
            File.WriteAllBytes(bad, bytes);
            return Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(bad)).Message;
        }

        string bad = Path.Combine(folder, "bad");
        byte[] flipped = (byte[])good.Clone();
        flipped[good.Length / 2] ^= 0x10;
        Assert.Equal($"{bad}: the checkpoint is damaged (its SHA-256 checksum does not match its contents)", Refusal(flipped));
        Assert.Equal($"{bad}: the checkpoint says its payload has {good.Length - 52} bytes, the file has {good.Length - 53} (cut short or extended)", Refusal(good[..^1]));
        Assert.Equal($"{bad}: not an AnnLab checkpoint (expected the bytes ANNLABCK at the start)", Refusal("ANNLABM1 a model file"u8.ToArray()));
        byte[] version = (byte[])good.Clone();
        version[8] = 9;
        Assert.Equal($"{bad}: checkpoint format version 9, expected 1", Refusal(version));

        // Every byte flipped somewhere is refused or reads back unchanged; nothing else escapes.
        var random = new Random(5);
        for (int i = 0; i < 300; i++)
        {
            byte[] mutated = (byte[])good.Clone();
            mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(bad, mutated);
            Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(bad));
        }
    }
}

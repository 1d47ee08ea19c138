using System.Diagnostics;
using System.Numerics.Tensors;
using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Optimization;

namespace AnnLab.Training;

/// <summary>One point of a training run's history: after an epoch (sgd) or an iteration (cg).</summary>
/// <param name="Step">Epoch or iteration number, from 1.</param>
/// <param name="TotalSteps">The most epochs or iterations allowed.</param>
/// <param name="Cost">sgd: mean of the epoch's batch costs J (their ridge term as <see cref="TrainingOptions.LambdaScale"/> says); cg: J over the training set.</param>
/// <param name="GradientNorm">sgd: ||g|| / len(g) of the epoch's last batch (the lab's stopping rule); cg: max |g_i|.</param>
/// <param name="ElapsedSeconds">Seconds of training so far (time spent measuring curves left out).</param>
public sealed record TrainingProgress(int Step, int TotalSteps, double Cost, double GradientNorm, double ElapsedSeconds)
{
    /// <summary>J over the whole training set at this step, when a <see cref="LearningCurveMonitor"/> measured it.</summary>
    public double? TrainCost { get; init; }

    /// <summary>Training accuracy 0..1 at this step, when measured.</summary>
    public double? TrainAccuracy { get; init; }

    /// <summary>J over the validation set at this step, when measured.</summary>
    public double? ValidationCost { get; init; }

    /// <summary>Validation accuracy 0..1 at this step, when measured.</summary>
    public double? ValidationAccuracy { get; init; }
}

/// <summary>
/// Measures cost and accuracy on the training and validation sets during training, at most
/// <c>maxPoints</c> times a run (every ceil(total / maxPoints) epochs or iterations, and the
/// first), for learning curves (Keras's <c>validation_data</c> history). Its time is not counted
/// as training time.
/// </summary>
public sealed class LearningCurveMonitor : IDisposable
{
    private readonly DatasetObjective<float> onTrain;
    private readonly DatasetObjective<float> onValidation;
    private readonly Kernels.WorkerTeam team; // the two measurements take turns on it
    private readonly int maxPoints;

    /// <summary>Prepares the buffers.</summary>
    /// <exception cref="ArgumentOutOfRangeException">maxPoints below 1.</exception>
    public LearningCurveMonitor(NeuralNetwork network, ImageSet train, ImageSet validation, double lambda, int threads, int maxPoints = 25)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        team = new Kernels.WorkerTeam(threads);
        onTrain = new DatasetObjective<float>(network, train, lambda, team);
        onValidation = new DatasetObjective<float>(network, validation, lambda, team);
        this.maxPoints = maxPoints;
    }

    /// <summary>Seconds spent measuring so far.</summary>
    public double Seconds { get; private set; }

    /// <summary>Whether step <paramref name="step"/> of <paramref name="total"/> gets a point.</summary>
    public bool Wants(int step, int total) => step == 1 || step == total || step % Math.Max(1, (total + maxPoints - 1) / maxPoints) == 0;

    /// <summary>Adds the four measurements to <paramref name="progress"/>.</summary>
    public TrainingProgress Measure(TrainingProgress progress, ReadOnlySpan<float> parameters)
    {
        long start = Stopwatch.GetTimestamp();
        Evaluation train = onTrain.Measure(parameters);
        Evaluation validation = onValidation.Measure(parameters);
        Seconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
        return progress with
        {
            TrainCost = train.Cost,
            TrainAccuracy = train.Accuracy,
            ValidationCost = validation.Cost,
            ValidationAccuracy = validation.Accuracy,
        };
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose()
    {
        onTrain.Dispose();
        onValidation.Dispose();
        team.Dispose();
    }
}

/// <summary>How a training run ended.</summary>
/// <param name="StopReason">Why it stopped.</param>
/// <param name="Epochs">Epochs run (sgd; 0 for cg).</param>
/// <param name="Iterations">Parameter updates: mini-batch steps (sgd) or CG iterations.</param>
/// <param name="FunctionEvaluations">Full-batch cost-and-gradient evaluations (cg; 0 for sgd).</param>
/// <param name="TrainSeconds">Wall-clock seconds spent training.</param>
/// <param name="SamplesProcessed">Samples passed forward and backward: epochs x training samples (sgd), evaluations x training samples (cg).</param>
/// <param name="Message">One sentence on how it stopped.</param>
/// <param name="History">One entry per epoch or iteration.</param>
public sealed record TrainingResult(
    StopReason StopReason,
    int Epochs,
    int Iterations,
    int FunctionEvaluations,
    double TrainSeconds,
    long SamplesProcessed,
    string Message,
    IReadOnlyList<TrainingProgress> History)
{
    /// <summary>The epoch whose weights early stopping restored; null when the last weights were kept.</summary>
    public int? RestoredEpoch { get; init; }

    /// <summary>Samples processed per second of training.</summary>
    public double SamplesPerSecond => TrainSeconds > 0 ? SamplesProcessed / TrainSeconds : 0;
}

/// <summary>Trains a network's parameters in place with the solver the options name.</summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="parameters"/> (already initialized) on <paramref name="train"/>.</summary>
    /// <param name="network">The layout.</param>
    /// <param name="parameters">The flat parameter vector; updated in place.</param>
    /// <param name="train">The training images.</param>
    /// <param name="options">Solver settings (validated by the caller).</param>
    /// <param name="onProgress">Called after every epoch or iteration; may be null.</param>
    /// <param name="monitor">Measures learning curves into the history; may be null.</param>
    /// <param name="checkpoints">Saves checkpoints, and resumes from one (its parameters replace those given); may be null.</param>
    /// <param name="cancellationToken">Stops between epochs or iterations; with <paramref name="checkpoints"/> a checkpoint of the last completed one is saved first.</param>
    /// <exception cref="InvalidDataException">The checkpoint to resume is of another network, training set or options, or its shuffle state does not replay.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static TrainingResult Train(NeuralNetwork network, float[] parameters, ImageSet train, TrainingOptions options, Action<TrainingProgress>? onProgress = null, LearningCurveMonitor? monitor = null, Checkpointing? checkpoints = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        string fingerprint = checkpoints is null ? "" : TrainingCheckpoint.Fingerprint(train);
        checkpoints?.Check(network, train, options, fingerprint);
        return options.Solver switch
        {
            Solver.Sgd => RunSgd(network, parameters, train, options, onProgress, monitor, checkpoints, fingerprint, cancellationToken),
            Solver.Cg or Solver.Lbfgs => TrainFullBatch(network, parameters, train, options, onProgress, monitor, checkpoints, fingerprint, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Solver, "unknown solver"),
        };
    }

    /// <summary>The learning-rate schedule the options name, with its warm-up.</summary>
    public static ILearningRateSchedule ScheduleFor(TrainingOptions options) => MiniBatchGradientDescent.ScheduleFor(options);

    /// <summary>
    /// Runs the training code for a moment on random images, so that .NET's tiered compilation
    /// optimizes it before the real run needs it; meant for a spare core while the data loads.
    /// Touches no state outside itself.
    /// </summary>
    /// <param name="network">The network shape (its own parameters are used, not the caller's).</param>
    /// <param name="batchSize">Batch size of the coming run.</param>
    /// <param name="seconds">How long to run at most.</param>
    /// <param name="stop">Ends the warm-up early (when the data have loaded: waiting longer for it
    /// cost more time from launch to the results table than it saved in training).</param>
    public static void WarmUp(NeuralNetwork network, int batchSize, double seconds = 0.4, CancellationToken stop = default)
    {
        int m = Math.Clamp(batchSize, 1, 256);
        var random = new Random(0);
        var pixels = new byte[m * network.InputSize];
        random.NextBytes(pixels);
        var labels = new byte[m];
        for (int i = 0; i < m; i++)
        {
            labels[i] = (byte)(i % network.OutputSize);
        }

        var images = new ImageSet(pixels, labels, network.InputSize, 1, network.InputSize); // flat: the warm-up never augments
        var parameters = new float[network.ParameterCount];
        network.Initialize<float>(parameters, 0.12, 0);
        int[] order = Enumerable.Range(0, m).ToArray();
        using var backprop = new Backpropagation<float>(network, m, 1);
        using var objective = new DatasetObjective<float>(network, images, 1, 1);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds && !stop.IsCancellationRequested)
        {
            backprop.LoadBatch(images, order);
            backprop.DescentStep(parameters, m, 1, 1e-3, out _);
            objective.Measure(parameters);
        }
    }

    private static TrainingResult RunSgd(NeuralNetwork network, float[] parameters, ImageSet train, TrainingOptions options, Action<TrainingProgress>? onProgress, LearningCurveMonitor? monitor, Checkpointing? checkpoints, string fingerprint, CancellationToken cancellationToken)
    {
        using var sgd = new MiniBatchGradientDescent(network, train, options) { Checkpoints = checkpoints, Fingerprint = fingerprint };
        return sgd.Run(parameters, onProgress, monitor, cancellationToken);
    }

    // What a full-batch solver calls after each iteration: records the history (with learning-curve
    // points when a monitor wants them) and reports progress.
    private static IterationCallback<float> IterationRecorder(TrainingOptions options, List<TrainingProgress> history, Stopwatch clock, double before, Action<TrainingProgress>? onProgress, LearningCurveMonitor? monitor)
        => (iteration, cost, gradientNorm, x) =>
        {
            var p = new TrainingProgress(iteration, options.MaxIterations, cost, gradientNorm, before + clock.Elapsed.TotalSeconds - (monitor?.Seconds ?? 0));
            if (monitor is not null && monitor.Wants(iteration, options.MaxIterations))
            {
                // The solver's current point: the parameter vector gets the result only at the end.
                p = monitor.Measure(p, x);
            }

            history.Add(p);
            onProgress?.Invoke(p);
        };

    // How a full-batch solver's run reads as a training result.
    private static TrainingResult FullBatchResult(OptimizerStatus status, int iterations, int evaluations, double cost, double gradientNorm, TrainingOptions options, double seconds, int trainCount, List<TrainingProgress> history)
    {
        (StopReason reason, string message) = status switch
        {
            OptimizerStatus.Converged => (StopReason.Converged, $"converged after {iterations} iterations: max |g| = {gradientNorm:G3} <= {options.GradientTolerance:G3}"),
            OptimizerStatus.MaxIterations => (StopReason.MaxIterations, $"reached the {options.MaxIterations} iterations allowed"),
            OptimizerStatus.LineSearchFailed => (StopReason.LineSearchFailed, $"the line search found no acceptable step after {iterations} completed iterations; kept the best point found (cost {cost:G6})"),
            _ => (StopReason.Diverged, $"diverged in iteration {iterations + 1}: the cost or gradient became non-finite; "
                + (iterations == 0 ? "the cost was out of range at the initial weights; try a smaller `InitEpsilon` or `Lambda`" : "the line search stepped out of range")),
        };
        return new TrainingResult(reason, 0, iterations, evaluations, seconds, (long)evaluations * trainCount, message, history);
    }

    // cg or lbfgs on the full training set, with checkpoints of the minimizer's state.
    private static TrainingResult TrainFullBatch(NeuralNetwork network, float[] parameters, ImageSet train, TrainingOptions options, Action<TrainingProgress>? onProgress, LearningCurveMonitor? monitor, Checkpointing? checkpoints, string fingerprint, CancellationToken cancellationToken)
    {
        using var objective = new DatasetObjective<float>(network, train, options.Lambda, options.Threads);
        TrainingCheckpoint? resume = checkpoints?.ResumeFrom;
        var history = new List<TrainingProgress>(resume?.History ?? []);
        double before = resume?.ElapsedSeconds ?? 0;
        var clock = Stopwatch.StartNew();
        // The minimizer updates this state in place: the checkpoint it came from, and those saved, get copies.
        FullBatchState<float>? state = checkpoints is null ? null : resume?.FullBatch?.Clone() ?? new FullBatchState<float>();
        IterationCallback<float> record = IterationRecorder(options, history, clock, before, onProgress, monitor);
        TrainingCheckpoint Snapshot() => new()
        {
            Network = network.ToString(),
            Options = options,
            TrainingData = fingerprint,
            TrainingCount = train.Count,
            Step = state!.Iteration,
            Parameters = (float[])state.Point.Clone(),
            FullBatch = state.Clone(),
            History = history.ToArray(),
            ElapsedSeconds = before + clock.Elapsed.TotalSeconds - (monitor?.Seconds ?? 0),
        };
        IterationCallback<float> onIteration = checkpoints is null ? record : (iteration, cost, gradientNorm, x) =>
        {
            record(iteration, cost, gradientNorm, x);
            if (checkpoints.Every > 0 && iteration % checkpoints.Every == 0)
            {
                checkpoints.Write(Snapshot());
            }
        };

        OptimizerStatus status;
        int iterations, evaluations;
        double cost, gradientNorm;
        try
        {
            if (options.Solver == Solver.Cg)
            {
                var cgOptions = new ConjugateGradientOptions { MaxIterations = options.MaxIterations, GradientTolerance = options.GradientTolerance };
                ConjugateGradientResult result = ConjugateGradient.Minimize<float>(objective.Evaluate, parameters, cgOptions, onIteration, state, cancellationToken);
                (status, iterations, evaluations, cost, gradientNorm) = (result.Status, result.Iterations, result.FunctionEvaluations, result.Cost, result.GradientNorm);
            }
            else
            {
                var lbfgsOptions = new LbfgsOptions { MaxIterations = options.MaxIterations, GradientTolerance = options.GradientTolerance };
                LbfgsResult result = LimitedMemoryBfgs.Minimize<float>(objective.Evaluate, parameters, lbfgsOptions, onIteration, state, cancellationToken);
                (status, iterations, evaluations, cost, gradientNorm) = (result.Status, result.Iterations, result.FunctionEvaluations, result.Cost, result.GradientNorm);
            }
        }
        catch (OperationCanceledException) when (checkpoints is not null && state is { IsStarted: true })
        {
            checkpoints.Write(Snapshot());
            throw;
        }

        double seconds = before + clock.Elapsed.TotalSeconds - (monitor?.Seconds ?? 0);
        return FullBatchResult(status, iterations, evaluations, cost, gradientNorm, options, seconds, train.Count, history);
    }
}

/// <summary>
/// The lab's mini-batch gradient descent: each epoch shuffles the training set (images and labels
/// together, one permutation), then steps theta -= alpha * grad J over consecutive batches of
/// <see cref="TrainingOptions.BatchSize"/>; a last partial batch is averaged over its own size.
/// Each batch's ridge term is lambda/(2m) sum W^2 with m the batch size, or the training-set size
/// under <see cref="LambdaScale.TrainingSet"/>.
/// </summary>
/// <remarks>
/// Stops as converged when ||g|| / len(g) of an epoch's last batch is below
/// <see cref="TrainingOptions.Tolerance"/> (when that is above 0), and as diverged at the first
/// non-finite cost, when ||g|| / len(g) exceeds <see cref="TrainingOptions.DivergenceGradientNorm"/>,
/// or when an epoch's mean cost exceeds <see cref="TrainingOptions.DivergenceCostGrowth"/> times the
/// first batch's cost.
/// The shuffles draw from <c>new Random(seed + 1)</c>. All buffers are allocated here, once.
/// </remarks>
public sealed class MiniBatchGradientDescent : IDisposable
{
    private readonly NeuralNetwork network;
    private readonly ImageSet train;
    private readonly TrainingOptions options;
    private readonly Backpropagation<float> backprop;
    private readonly int[] order;
    private readonly IMiniBatchOptimizer optimizer;
    private readonly IElementwiseOptimizer? fusable;
    private readonly float[] gradient = [];
    private readonly float[] bestParameters = [];
    private LearningCurveMonitor? monitor;
    private double before; // seconds of training before a resume

    /// <summary>Allocates the buffers.</summary>
    public MiniBatchGradientDescent(NeuralNetwork network, ImageSet train, TrainingOptions options)
    {
        this.network = network;
        this.train = train;
        this.options = options;
        backprop = new Backpropagation<float>(network, Math.Min(options.BatchSize, train.Count), options.Threads);
        backprop.SetRegularizers(options.Dropout, options.Augment, options.Seed);
        // AdamW's decay skips the biases, as the ridge term does: both read the layout.
        optimizer = options.Optimizer.Create(network.ParameterCount, options.Momentum, options.WeightDecay, network.Layout.RegularizedMask());
        fusable = optimizer as IElementwiseOptimizer;
        if (fusable is null || options.ClipNorm > 0)
        {
            // Clipping needs the whole gradient before any update: no fused step.
            fusable = null;
            gradient = new float[network.ParameterCount];
        }

        if (options.Patience > 0)
        {
            bestParameters = new float[network.ParameterCount];
        }
        order = Enumerable.Range(0, train.Count).ToArray();
    }

    /// <summary>Saves checkpoints and resumes from one; null for neither.</summary>
    public Checkpointing? Checkpoints { get; init; }

    /// <summary>The training set's <see cref="TrainingCheckpoint.Fingerprint"/>, stored in the checkpoints.</summary>
    public string Fingerprint { get; init; } = "";

    /// <summary>Stops the worker threads.</summary>
    public void Dispose() => backprop.Dispose();

    /// <summary>Runs up to <see cref="TrainingOptions.MaxEpochs"/> epochs, updating <paramref name="parameters"/> in place.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public TrainingResult Run(float[] parameters, Action<TrainingProgress>? onProgress = null, LearningCurveMonitor? monitor = null, CancellationToken cancellationToken = default)
    {
        this.monitor = monitor;
        if (options.Patience > 0 && monitor is null)
        {
            throw new ArgumentException("early stopping (Patience > 0) needs a LearningCurveMonitor to measure the validation set", nameof(monitor));
        }

        var random = new Random(options.Seed + 1);
        var history = new List<TrainingProgress>();
        var clock = Stopwatch.StartNew();
        int steps = 0;
        ILearningRateSchedule schedule = ScheduleFor(options);

        double best = double.PositiveInfinity;
        int bestEpoch = 0;
        // The ridge term's sum of squares at the initial weights and the first batch's cost: what
        // the divergence messages weigh to name the likely cause, and the growth rule's reference.
        double initialSquares = network.Layout.RegularizedSumOfSquares<float>(parameters);
        double firstCost = double.NaN, firstLambda = 0;
        int firstBatch = 0;
        int firstEpoch = 1;
        if (Checkpoints?.ResumeFrom is { } resume)
        {
            // System.Random's state cannot be read, so the shuffles of the epochs done are replayed.
            for (int e = 0; e < resume.Step; e++)
            {
                Shuffle(order, random);
            }

            if (!order.AsSpan().SequenceEqual(resume.Order))
            {
                throw new InvalidDataException($"{Checkpoints.ResumePath}: the shuffle order after epoch {resume.Step} does not replay from seed {options.Seed} (a checkpoint of another .NET version or a damaged one)");
            }

            resume.Parameters.CopyTo(parameters, 0);
            try
            {
                optimizer.ImportState(resume.Optimizer!);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{Checkpoints.ResumePath}: {e.Message}", e);
            }

            if (options.Patience > 0)
            {
                if (resume.BestParameters.Length != parameters.Length)
                {
                    throw new InvalidDataException($"{Checkpoints.ResumePath}: the checkpoint holds {resume.BestParameters.Length} best weights for early stopping, expected {parameters.Length}");
                }

                resume.BestParameters.CopyTo(bestParameters, 0);
            }

            backprop.TrainingStep = resume.TrainingStep;
            history.AddRange(resume.History);
            (steps, best, bestEpoch, before) = (resume.Steps, resume.BestScore, resume.BestEpoch, resume.ElapsedSeconds);
            (initialSquares, firstCost, firstLambda, firstBatch) = (resume.InitialSquares, resume.FirstCost, resume.FirstLambda, resume.FirstBatch);
            firstEpoch = resume.Step + 1;
        }

        TrainingCheckpoint Snapshot(int epochsDone) => new()
        {
            Network = network.ToString(),
            Options = options,
            TrainingData = Fingerprint,
            TrainingCount = train.Count,
            Step = epochsDone,
            Steps = steps,
            TrainingStep = backprop.TrainingStep,
            Order = (int[])order.Clone(),
            Parameters = (float[])parameters.Clone(),
            Optimizer = optimizer.ExportState(),
            History = history.ToArray(),
            ElapsedSeconds = before + clock.Elapsed.TotalSeconds - (monitor?.Seconds ?? 0),
            InitialSquares = initialSquares,
            FirstCost = firstCost,
            FirstLambda = firstLambda,
            FirstBatch = firstBatch,
            BestScore = best,
            BestEpoch = bestEpoch,
            BestParameters = options.Patience > 0 ? (float[])bestParameters.Clone() : [],
        };

        for (int epoch = firstEpoch; epoch <= options.MaxEpochs; epoch++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Checkpoints?.Write(Snapshot(epoch - 1));
                cancellationToken.ThrowIfCancellationRequested();
            }

            Shuffle(order, random);
            double rate = schedule.Rate(epoch - 1, options.MaxEpochs);
            double costSum = 0, gradientNorm = 0;
            int batches = 0;
            for (int start = 0; start < train.Count; start += backprop.MaxBatchSize)
            {
                int m = backprop.LoadBatch(train, order.AsSpan(start, Math.Min(backprop.MaxBatchSize, train.Count - start)));
                double lambda = BatchLambda(m);
                double cost;
                if (fusable is not null)
                {
                    // Gradient, ridge term and the optimizer's update in one sweep over the parameters.
                    cost = backprop.Step(parameters, m, lambda, fusable, rate, out gradientNorm);
                }
                else
                {
                    cost = backprop.Gradient(parameters, m, lambda, gradient, out gradientNorm);
                    if (options.ClipNorm > 0)
                    {
                        GradientClipping.ClipByNorm(gradient, options.ClipNorm);
                    }

                    if (double.IsFinite(cost) && gradientNorm <= TrainingOptions.DivergenceGradientNorm)
                    {
                        optimizer.Step(parameters, gradient, rate);
                    }
                }

                steps++;
                batches++;
                if (steps == 1)
                {
                    (firstCost, firstLambda, firstBatch) = (cost, lambda, m);
                }

                if (!double.IsFinite(cost) || !double.IsFinite(gradientNorm))
                {
                    return Diverged(epoch, steps, history, clock, $"diverged in epoch {epoch}, batch {batches}: the cost became {cost:G6}; {Hint(steps, initialSquares, firstCost, firstLambda, firstBatch)}");
                }

                if (gradientNorm > TrainingOptions.DivergenceGradientNorm)
                {
                    return Diverged(epoch, steps, history, clock, $"diverged in epoch {epoch}, batch {batches}: ||g||/len(g) = {gradientNorm:G3} exceeds {TrainingOptions.DivergenceGradientNorm:G3}; {Hint(steps, initialSquares, firstCost, firstLambda, firstBatch)}");
                }

                costSum += cost;
            }

            if (costSum / batches > TrainingOptions.DivergenceCostGrowth * firstCost)
            {
                return Diverged(epoch, steps, history, clock, $"diverged in epoch {epoch}: its mean cost {costSum / batches:G4} is more than {TrainingOptions.DivergenceCostGrowth:G3} times the first batch's {firstCost:G4}; try a smaller `LearningRate`");
            }

            var progress = new TrainingProgress(epoch, options.MaxEpochs, costSum / batches, gradientNorm, before + clock.Elapsed.TotalSeconds - (monitor?.Seconds ?? 0));
            bool converged = options.Tolerance > 0 && gradientNorm < options.Tolerance;
            if (monitor is not null && (converged || options.Patience > 0 || monitor.Wants(epoch, options.MaxEpochs)))
            {
                progress = monitor.Measure(progress, parameters);
            }

            history.Add(progress);
            onProgress?.Invoke(progress);
            if (converged)
            {
                return Finish(StopReason.Converged, epoch, steps, history, clock, $"converged after {epoch} epochs: ||g||/len(g) = {gradientNorm:G3} < the tolerance {options.Tolerance:G3}");
            }

            if (options.Patience > 0)
            {
                // Lower is better: the cost, or minus the accuracy.
                double score = options.Monitor == EarlyStoppingMetric.ValidationAccuracy ? -progress.ValidationAccuracy!.Value : progress.ValidationCost!.Value;
                if (score < best)
                {
                    best = score;
                    bestEpoch = epoch;
                    parameters.AsSpan().CopyTo(bestParameters);
                }
                else if (epoch - bestEpoch >= options.Patience)
                {
                    bestParameters.AsSpan().CopyTo(parameters);
                    return Finish(StopReason.EarlyStopped, epoch, steps, history, clock, $"stopped early after epoch {epoch}: {Results.ResultNames.Of(options.Monitor)} had not improved for {options.Patience} epochs; restored the weights of epoch {bestEpoch}") with { RestoredEpoch = bestEpoch };
                }
            }

            if (Checkpoints is { Every: > 0 } && epoch % Checkpoints.Every == 0)
            {
                Checkpoints.Write(Snapshot(epoch));
            }
        }

        if (options.Patience > 0 && bestEpoch < options.MaxEpochs)
        {
            bestParameters.AsSpan().CopyTo(parameters);
            return Finish(StopReason.MaxEpochs, options.MaxEpochs, steps, history, clock, $"reached the {options.MaxEpochs} epochs allowed; restored the weights of epoch {bestEpoch}, the best on {Results.ResultNames.Of(options.Monitor)}") with { RestoredEpoch = bestEpoch };
        }

        return Finish(StopReason.MaxEpochs, options.MaxEpochs, steps, history, clock, $"reached the {options.MaxEpochs} epochs allowed");
    }

    /// <summary>
    /// The lambda of a batch of <paramref name="m"/> samples: <see cref="TrainingOptions.Lambda"/>
    /// as it is (<see cref="LambdaScale.Batch"/>), or scaled to the training set
    /// (<see cref="LambdaScale.TrainingSet"/>, <see cref="LabCost.MiniBatchLambda"/>).
    /// </summary>
    internal double BatchLambda(int m)
        => options.LambdaScale == LambdaScale.TrainingSet ? LabCost.MiniBatchLambda(options.Lambda, m, train.Count) : options.Lambda;

    /// <summary>The learning-rate schedule the options name, with its warm-up.</summary>
    internal static ILearningRateSchedule ScheduleFor(TrainingOptions options)
    {
        ILearningRateSchedule schedule = options.Schedule switch
        {
            ScheduleKind.Step => new StepSchedule(options.LearningRate, Math.Max(1, options.MaxEpochs / 3)),
            ScheduleKind.Cosine => new CosineSchedule(options.LearningRate),
            _ => new ConstantSchedule(options.LearningRate),
        };
        return options.WarmupEpochs > 0 ? new WarmupSchedule(schedule, options.WarmupEpochs) : schedule;
    }

    /// <summary>Fisher-Yates shuffle (Knuth, TAOCP vol. 2, algorithm 3.4.2 P).</summary>
    internal static void Shuffle(int[] values, Random random)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>
    /// The likely cause of a divergence: huge initial weights (`InitEpsilon`); a ridge term that is
    /// most of the first batch's cost (`Lambda`); a cost out of range at the first batch
    /// (`InitEpsilon`); else the step size (`LearningRate`).
    /// </summary>
    private string Hint(int steps, double initialSquares, double firstCost, double firstLambda, int firstBatch)
    {
        // Initial weights of root mean square above this saturate every unit: a usual epsilon
        // (the lab's 0.12, He's sqrt(2 / fanIn)) gives well below 1.
        const double HugeWeights = 10;
        double rms = Math.Sqrt(initialSquares / Math.Max(1, network.Layout.RegularizedMask().Count(r => r)));
        if (!(rms <= HugeWeights))
        {
            return $"the initial weights have root mean square {rms:G3}; try a smaller `InitEpsilon`";
        }

        double ridge = firstLambda / (2.0 * firstBatch) * initialSquares;
        if (!(ridge <= 0.5 * firstCost))
        {
            return $"the ridge term lambda/(2m) sum W^2 = {ridge:G3} is most of the first batch's cost {firstCost:G3}; try a smaller `Lambda`";
        }

        return steps == 1 || !double.IsFinite(firstCost)
            ? "the cost was out of range at the initial weights; try a smaller `InitEpsilon`"
            : "try a smaller `LearningRate`";
    }

    private TrainingResult Diverged(int epoch, int steps, List<TrainingProgress> history, Stopwatch clock, string message)
        => Finish(StopReason.Diverged, epoch, steps, history, clock, message);

    private TrainingResult Finish(StopReason reason, int epochs, int steps, List<TrainingProgress> history, Stopwatch clock, string message)
        => new(reason, epochs, steps, 0, before + clock.Elapsed.TotalSeconds - (monitor?.Seconds ?? 0), (long)epochs * train.Count, message, history);
}

using System.Numerics;
using System.Numerics.Tensors;
using AnnLab.Data;
using AnnLab.Kernels;
using AnnLab.Optimization;

namespace AnnLab.Network;

/// <summary>
/// The engine: runs a batch of up to <see cref="MaxBatchSize"/> samples forward through the
/// network's layers (<see cref="ILayer{T}"/>) and its output (<see cref="OutputLayer"/>), and back,
/// with every buffer allocated once, here; then sums, regularizes and applies the gradient. T is
/// float for training and double for gradient checks: the same code runs in both.
/// </summary>
/// <remarks>
/// <para>Notation (Nielsen, Neural Networks and Deep Learning, ch. 2; the lab's a, z, delta): the
/// network is the layer list dense, activation (, dropout), ..., dense; value buffer i + 1 holds
/// layer i's output for all m rows (buffer 0 the inputs x), delta buffer i its dC/d(value). The output
/// layer turns the last z into h and starts the backward pass from its delta (h - y). Gradients are
/// summed over the batch; <see cref="LabCost.Finish{T}"/> or the sweep of <see cref="DescentStep"/>
/// averages and regularizes them (<see cref="ParameterLayout"/> says which slices are weights).</para>
/// <para>Threads: a batch of m rows is cut into <see cref="BlockCount"/>(m) blocks of consecutive
/// rows, a number that depends on m only. One thread gathers a block's images, passes its rows
/// forward and backward through every layer, and writes its gradient into the block's own partial
/// buffer, touching only rows in its own cache. The partial gradients are then added in block order
/// by one sweep over fixed chunks of the parameter vector that the threads share out, which also
/// regularizes and, for a fused step, updates. The arithmetic is the same for any thread count, and
/// so are the results, bit for bit.</para>
/// <para>A layer that needs the whole batch at once (batch normalization) would end the block
/// pass: see <see cref="ILayer{T}"/>.</para>
/// </remarks>
public sealed unsafe partial class Backpropagation<T> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int RowsPerBlock = 100; // a batch of 200 is two blocks, one per core: fewer partial gradients to add than with more, smaller blocks
    private const int MaxBlocks = 16;
    private const int SweepChunk = 2048; // parameters per work item of the sweep, a multiple of the vector width

    private readonly NeuralNetwork network;
    private readonly BatchInputs<T> batch;
    private readonly double[] sampleCost;    // MaxBatchSize
    private readonly T[] outputs;            // MaxBatchSize x OutputSize: h
    private readonly T[] costScratch;        // 2 x MaxBatchSize x OutputSize
    private readonly T[][] partialGradients; // per block: ParameterCount
    private readonly (int Start, int End, bool Regularized)[] sweepChunks;
    private readonly double[] sweepGradientSquares; // per sweep chunk, added in chunk order
    private readonly double[] sweepWeightSquares;
    private readonly WorkerTeam team;
    private readonly bool ownsTeam;
    private readonly Action<int> runBlock;
    private readonly Action<int> runSweep;
    private ILayer<T>[] layers = [];
    private T[][] values = [];  // per layer boundary: MaxBatchSize x width; values[0] is the inputs
    private T[][] deltas = [];  // the same shapes; deltas[0] unused; in-place layers share their output's
    private int[] denseOutput = [];      // per dense layer l: the index of its z in values
    private int[] activationOutput = []; // per hidden layer l: the index of its a in values
    private T[] stepGradient = [];       // ParameterCount: the gradient of a fused optimizer step

    // The call under way, read by the worker threads. Spans cannot be handed to them; pointers to
    // memory the call has pinned can.
    private T* parameterPointer;
    private T* gradientPointer;
    private int batchRows;
    private Work work;
    private bool gathering, augmenting;
    private T sweepInvM, sweepDecay, sweepRate;
    private int sweepBlocks;
    private SweepUpdate sweepUpdate;
    private IElementwiseOptimizer? sweepOptimizer;
    private double dropoutRate;
    private ulong seed;
    private ulong trainingStep;
    private StepProfile? profile;

    /// <summary>Allocates the buffers for batches of up to <paramref name="maxBatchSize"/> samples.</summary>
    /// <param name="network">The network.</param>
    /// <param name="maxBatchSize">Largest batch, at least 1.</param>
    /// <param name="threads">Threads to use, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size or thread count below 1.</exception>
    public Backpropagation(NeuralNetwork network, int maxBatchSize, int threads = 1)
        : this(network, maxBatchSize, new WorkerTeam(Math.Max(1, threads)), ownsTeam: true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
    }

    /// <summary>Allocates the buffers, sharing <paramref name="team"/> with other engines that take turns on it (never two at once); the caller disposes it.</summary>
    /// <param name="network">The network.</param>
    /// <param name="maxBatchSize">Largest batch, at least 1.</param>
    /// <param name="team">The worker team to run the row blocks and the sweep on.</param>
    /// <exception cref="ArgumentOutOfRangeException">A batch size below 1.</exception>
    public Backpropagation(NeuralNetwork network, int maxBatchSize, WorkerTeam team)
        : this(network, maxBatchSize, team, ownsTeam: false)
    {
    }

    private Backpropagation(NeuralNetwork network, int maxBatchSize, WorkerTeam team, bool ownsTeam)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(team);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        this.ownsTeam = ownsTeam;
        this.network = network;
        MaxBatchSize = maxBatchSize;
        batch = new BatchInputs<T>(maxBatchSize, network.InputSize, network.ToString());
        sampleCost = new double[maxBatchSize];
        outputs = new T[maxBatchSize * network.OutputSize];
        costScratch = new T[2 * maxBatchSize * network.OutputSize];
        partialGradients = new T[BlockCount(maxBatchSize)][];
        for (int b = 0; b < partialGradients.Length; b++)
        {
            partialGradients[b] = new T[network.ParameterCount];
        }

        sweepChunks = network.Layout.Chunks(SweepChunk);
        sweepGradientSquares = new double[sweepChunks.Length];
        sweepWeightSquares = new double[sweepChunks.Length];
        this.team = team;
        runBlock = RunBlock;
        runSweep = RunSweep;
        BuildLayers();
    }

    private enum Work
    {
        Gather,
        Forward,
        Gradient,
    }

    private enum SweepUpdate
    {
        None,      // only form the gradient
        Descent,   // w -= rate g, inline
        Optimizer, // the optimizer's slice step
    }

    /// <summary>The network this works on.</summary>
    public NeuralNetwork Network => network;

    /// <summary>The largest batch the buffers hold.</summary>
    public int MaxBatchSize { get; }

    /// <summary>The layers the batch passes through, in order (the output layer not included).</summary>
    public IReadOnlyList<ILayer<T>> Layers => layers;

    /// <summary>The number of training steps so far; the random draws of dropout and augmentation depend on it.</summary>
    public long TrainingStep
    {
        get => (long)trainingStep;
        set => trainingStep = (ulong)value;
    }

    /// <summary>Gathers images <paramref name="indices"/> of <paramref name="set"/> as the batch (pixels x / 255), with their labels.</summary>
    /// <returns>The batch size, <c>indices.Length</c>.</returns>
    /// <exception cref="ArgumentException">More indices than <see cref="MaxBatchSize"/>, or the image size differs from the network's input size.</exception>
    public int LoadBatch(ImageSet set, ReadOnlySpan<int> indices)
    {
        batch.Select(set, indices);
        return indices.Length;
    }

    /// <summary>Gathers images start .. start + count - 1 of <paramref name="set"/> as the batch.</summary>
    /// <returns>The batch size, <paramref name="count"/>.</returns>
    /// <exception cref="ArgumentException">More than <see cref="MaxBatchSize"/> images, or the image size differs from the network's input size.</exception>
    public int LoadRange(ImageSet set, int start, int count)
    {
        batch.SelectRange(set, start, count);
        return count;
    }

    /// <summary>Uses arbitrary inputs (m x InputSize) and labels (m) as the batch, e.g. for gradient checks.</summary>
    /// <returns>The batch size.</returns>
    /// <exception cref="ArgumentException">The lengths disagree or exceed <see cref="MaxBatchSize"/>.</exception>
    public int LoadInputs(ReadOnlySpan<T> batchInputs, ReadOnlySpan<byte> batchLabels)
    {
        batch.Use(batchInputs, batchLabels);
        return batchLabels.Length;
    }

    /// <summary>The current batch's inputs, m x InputSize.</summary>
    public ReadOnlySpan<T> Inputs(int m)
    {
        EnsureGathered(m);
        return batch.Values.AsSpan(0, m * network.InputSize);
    }

    /// <summary>The current batch's labels.</summary>
    public ReadOnlySpan<byte> Labels(int m)
    {
        EnsureGathered(m);
        return batch.Labels.AsSpan(0, m);
    }

    /// <summary>Dense layer l's pre-activations z after <see cref="Forward"/>, m x fanOut.</summary>
    public ReadOnlySpan<T> PreActivations(int layer, int m) => values[denseOutput[layer]].AsSpan(0, m * network.FanOut(layer));

    /// <summary>Layer l's activations a after <see cref="Forward"/>, m x fanOut (the last layer's are the outputs h).</summary>
    public ReadOnlySpan<T> Activations(int layer, int m)
        => layer == network.LayerCount - 1 ? Outputs(m) : values[activationOutput[layer]].AsSpan(0, m * network.FanOut(layer));

    /// <summary>The outputs h (m x OutputSize) after <see cref="Forward"/>.</summary>
    public ReadOnlySpan<T> Outputs(int m) => outputs.AsSpan(0, m * network.OutputSize);

    /// <summary>
    /// Turns on the training-time regularizers for the gradient calls that follow: a
    /// <see cref="DropoutLayer{T}"/> after every hidden activation at <paramref name="dropout"/>
    /// (0 = none), and <see cref="ImageAugmentation"/> of the gathered images. <see cref="Forward"/>
    /// (evaluation) never uses them. Every random draw depends on (seed, step, row, unit), not on threads.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">dropout outside [0, 1).</exception>
    public void SetRegularizers(double dropout, bool augment, int seed)
    {
        if (!(dropout >= 0 && dropout < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "expected a rate in [0, 1)");
        }

        bool rebuild = dropout != dropoutRate;
        dropoutRate = dropout;
        batch.Augment = augment;
        this.seed = (ulong)(uint)seed;
        if (rebuild)
        {
            BuildLayers();
        }
    }

    /// <summary>Forward pass over the current batch of m samples (inference); returns the sum over the batch of the output layer's sample costs.</summary>
    /// <exception cref="ArgumentException">Wrong parameter length or m out of 1..MaxBatchSize.</exception>
    public double Forward(ReadOnlySpan<T> parameters, int m)
    {
        Check(parameters.Length, m);
        fixed (T* p = parameters)
        {
            parameterPointer = p;
            RunBlocks(m, Work.Forward);
        }

        return SumCosts(m);
    }

    /// <summary>
    /// Forward and backward pass over the current batch: adds the gradient summed over the m
    /// samples into <paramref name="gradientSum"/> (same layout as the parameters) and returns the
    /// summed data cost. Use <see cref="LabCost.Finish{T}"/> to get the lab's J and gradient.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong parameter or gradient length, or m out of 1..MaxBatchSize.</exception>
    public double AccumulateGradient(ReadOnlySpan<T> parameters, int m, Span<T> gradientSum)
    {
        Check(parameters.Length, m);
        network.CheckLength(gradientSum.Length);
        fixed (T* p = parameters)
        {
            parameterPointer = p;
            RunBlocks(m, Work.Gradient);
        }

        trainingStep++;
        for (int b = 0; b < BlockCount(m); b++)
        {
            TensorPrimitives.Add(gradientSum, partialGradients[b], gradientSum);
        }

        return SumCosts(m);
    }

    /// <summary>
    /// The lab's J of the current batch and its gradient g = sum / m + (lambda / m) w (biases not
    /// regularized) into <paramref name="gradient"/>, formed by the parallel sweep; the parameters
    /// are not changed.
    /// </summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="m">Batch size.</param>
    /// <param name="lambda">Regularization strength.</param>
    /// <param name="gradient">Written: the gradient of J (ParameterCount values).</param>
    /// <param name="gradientNorm">||g|| / len(g), the lab's convergence measure.</param>
    /// <returns>The batch's J.</returns>
    /// <exception cref="ArgumentException">Wrong parameter or gradient length, or m out of 1..MaxBatchSize.</exception>
    public double Gradient(ReadOnlySpan<T> parameters, int m, double lambda, Span<T> gradient, out double gradientNorm)
    {
        network.CheckLength(gradient.Length);
        fixed (T* p = parameters)
        fixed (T* g = gradient)
        {
            return Sweep(p, parameters.Length, g, m, lambda, 0, SweepUpdate.None, null, out gradientNorm);
        }
    }

    /// <summary>
    /// One step of the lab's gradient descent on the current batch, fused: forward and backward
    /// pass, then a single sweep over the parameters (in fixed chunks, spread over the threads)
    /// that sums the blocks' gradients, forms g = sum / m + (lambda / m) w (biases not regularized)
    /// and updates w = w - learningRate g. Gives the same weights as <see cref="AccumulateGradient"/>,
    /// <see cref="LabCost.Finish{T}"/> and the update done one after the other (DescentStepTests).
    /// </summary>
    /// <param name="parameters">The parameters; updated in place.</param>
    /// <param name="m">Batch size.</param>
    /// <param name="lambda">Regularization strength.</param>
    /// <param name="learningRate">Step size alpha.</param>
    /// <param name="gradientNorm">||g|| / len(g), the lab's convergence measure.</param>
    /// <returns>The batch's J at the parameters before the update.</returns>
    /// <exception cref="ArgumentException">Wrong parameter length or m out of 1..MaxBatchSize.</exception>
    public double DescentStep(Span<T> parameters, int m, double lambda, double learningRate, out double gradientNorm)
    {
        fixed (T* p = parameters)
        {
            return Sweep(p, parameters.Length, null, m, lambda, learningRate, SweepUpdate.Descent, null, out gradientNorm);
        }
    }

    /// <summary>
    /// As <see cref="DescentStep"/>, with <paramref name="optimizer"/>'s update applied chunk by
    /// chunk inside the sweep (<see cref="IElementwiseOptimizer.StepSlice"/>). Float only: the
    /// optimizers keep their state in float. Plain <see cref="Sgd"/> runs as <see cref="DescentStep"/>,
    /// whose inline w - rate g gives its bits without storing the gradient.
    /// </summary>
    /// <exception cref="NotSupportedException">T is not float.</exception>
    /// <exception cref="ArgumentException">Wrong parameter length or m out of 1..MaxBatchSize.</exception>
    public double Step(Span<T> parameters, int m, double lambda, IElementwiseOptimizer optimizer, double learningRate, out double gradientNorm)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (typeof(T) != typeof(float))
        {
            throw new NotSupportedException("the mini-batch optimizers update float parameters");
        }

        if (optimizer is Sgd)
        {
            // Plain SGD's w + (-rate) g is the descent sweep's w - rate g, the same bits: applied
            // inline, without storing g and reading it back (the sweep's memory traffic by two fifths).
            return DescentStep(parameters, m, lambda, learningRate, out gradientNorm);
        }

        if (stepGradient.Length == 0)
        {
            stepGradient = new T[network.ParameterCount];
        }

        optimizer.BeginStep();
        fixed (T* p = parameters)
        fixed (T* g = stepGradient)
        {
            return Sweep(p, parameters.Length, g, m, lambda, learningRate, SweepUpdate.Optimizer, optimizer, out gradientNorm);
        }
    }

    /// <summary>The number of row blocks a batch of m rows is cut into: one per 100 rows (rounded up), at most 16; it depends on m only.</summary>
    public int BlockCount(int m) => Math.Clamp((m + RowsPerBlock - 1) / RowsPerBlock, 1, MaxBlocks);

    /// <summary>Stops the worker threads, unless the team was given by the caller.</summary>
    public void Dispose()
    {
        if (ownsTeam)
        {
            team.Dispose();
        }
    }

    private double SumCosts(int m)
    {
        double sum = 0;
        for (int i = 0; i < m; i++)
        {
            sum += sampleCost[i];
        }

        return sum;
    }

    private void Check(int parameterLength, int m)
    {
        network.CheckLength(parameterLength);
        if (m < 1 || m > MaxBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(m), m, $"batch size must be in 1..{MaxBatchSize}");
        }
    }
}

using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using AnnLab.Data;
using AnnLab.Kernels;

namespace AnnLab.Network;

/// <summary>
/// Forward pass and backpropagation for a batch of up to <see cref="MaxBatchSize"/> samples, with
/// every buffer allocated once, here. T is float for training and double for gradient checks.
/// </summary>
/// <remarks>
/// <para>Notation (Nielsen, Neural Networks and Deep Learning, ch. 2; the lab's a, z, delta):
/// for layer l, z_l = a_(l-1) W_l^T + b_l and a_l = g(z_l), a_(-1) = x; the output layer uses
/// sigmoid units with the lab's cross-entropy, or a softmax with the categorical cross-entropy, and
/// with either pairing its delta is a - y (Bishop, PRML eq. 5.18); a hidden layer's delta is
/// (delta_(l+1) W_(l+1)) .* g'(z_l). Gradients are summed over the batch: dW_l += delta_l^T a_(l-1),
/// db_l += column sums of delta_l; <see cref="LabCost.Finish{T}"/> averages and regularizes.</para>
/// <para>Threads: a batch of m rows is cut into <see cref="BlockCount"/>(m) blocks of consecutive
/// rows, a number that depends on m only. Each block is gathered, passed forward and backward, and
/// its weight gradient summed into its own partial buffer by one thread, so a thread touches only
/// rows in its own cache; the partial gradients are then added in block order, by fixed chunks of
/// the parameter vector that the threads share out. The arithmetic is therefore the same for any
/// thread count, and so are the results, bit for bit.</para>
/// </remarks>
public sealed unsafe class Backpropagation<T> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int RowsPerBlock = 100; // a batch of 200 is two blocks, one per core: fewer partial gradients to add than with more, smaller blocks
    private const int MaxBlocks = 16;
    private const int SweepChunk = 2048; // parameters per work item of the update sweep, a multiple of the vector width

    private static readonly T Scale255 = T.CreateChecked(255);

    private readonly NeuralNetwork network;
    private readonly T[] inputs;          // MaxBatchSize x InputSize
    private readonly byte[] labels;       // MaxBatchSize
    private readonly T[][] z;             // per layer: MaxBatchSize x fanOut
    private readonly T[][] a;             // per layer: MaxBatchSize x fanOut
    private readonly T[][] delta;         // per layer: MaxBatchSize x fanOut
    private readonly double[] sampleCost; // MaxBatchSize
    private readonly T[][] partialGradients; // per block: ParameterCount
    private readonly int[] batchIndices;     // MaxBatchSize
    private readonly T[] costScratch;        // MaxBatchSize x OutputSize
    private readonly T[] costScratch2;       // MaxBatchSize x OutputSize
    private readonly Action<int> runBlock;
    private readonly Action<int> runSweep;
    private readonly (int Start, int End, bool Regularized)[] sweepChunks; // the parameter vector cut for the sweep
    private readonly double[] sweepGradientSquares; // per sweep chunk, added in chunk order
    private readonly double[] sweepWeightSquares;
    private int sweepBlocks;
    private T sweepInvM, sweepDecay, sweepRate;
    private ImageSet? batchSet;
    private int gatheredRows;   // rows of the batch already converted; images are gathered lazily, inside the blocks
    private Work currentWork;
    private int batchRows;
    private bool gather;
    private double dropoutRate;
    private bool augmentImages;
    private ulong seed;
    private ulong trainingStep;
    private bool dropping;   // dropout applies to the pass under way
    private bool augmenting; // augmentation applies to the gather under way
    private T[][] dropMask = [];
    private byte[] augmentScratch = [];
    private T[][] dropped = [];
    private readonly WorkerTeam team;

    // The parameter vector of the call under way, pinned by it: spans cannot be handed to the
    // worker threads, pointers to pinned memory can.
    private T* parameterPointer;

    /// <summary>Allocates the buffers for batches of up to <paramref name="maxBatchSize"/> samples.</summary>
    /// <param name="network">The network layout.</param>
    /// <param name="maxBatchSize">Largest batch, at least 1.</param>
    /// <param name="threads">Threads to use, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size or thread count below 1.</exception>
    public Backpropagation(NeuralNetwork network, int maxBatchSize, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        this.network = network;
        MaxBatchSize = maxBatchSize;
        inputs = new T[(long)maxBatchSize * network.InputSize];
        labels = new byte[maxBatchSize];
        sampleCost = new double[maxBatchSize];
        batchIndices = new int[maxBatchSize];
        costScratch = new T[maxBatchSize * network.OutputSize];
        costScratch2 = new T[maxBatchSize * network.OutputSize];
        runBlock = RunBlock;
        z = new T[network.LayerCount][];
        a = new T[network.LayerCount][];
        delta = new T[network.LayerCount][];
        for (int l = 0; l < network.LayerCount; l++)
        {
            z[l] = new T[maxBatchSize * network.FanOut(l)];
            a[l] = new T[maxBatchSize * network.FanOut(l)];
            delta[l] = new T[maxBatchSize * network.FanOut(l)];
        }

        partialGradients = new T[BlockCount(maxBatchSize)][];
        for (int b = 0; b < partialGradients.Length; b++)
        {
            partialGradients[b] = new T[network.ParameterCount];
        }
        runSweep = RunSweep;
        var cuts = new List<(int, int, bool)>();
        for (int l = 0; l < network.LayerCount; l++)
        {
            int w = network.WeightsOffset(l), b = network.BiasesOffset(l), end = b + network.FanOut(l);
            for (int start = w; start < b; start += SweepChunk)
            {
                cuts.Add((start, Math.Min(b, start + SweepChunk), true));
            }

            cuts.Add((b, end, false));
        }

        sweepChunks = [.. cuts];
        sweepGradientSquares = new double[sweepChunks.Length];
        sweepWeightSquares = new double[sweepChunks.Length];
        team = new WorkerTeam(threads);
    }

    /// <summary>The network this works on.</summary>
    public NeuralNetwork Network => network;

    /// <summary>The largest batch the buffers hold.</summary>
    public int MaxBatchSize { get; }

    /// <summary>Gathers images <paramref name="indices"/> of <paramref name="set"/> as the batch (pixels x / 255), with their labels.</summary>
    /// <returns>The batch size, <c>indices.Length</c>.</returns>
    /// <exception cref="ArgumentException">More indices than <see cref="MaxBatchSize"/>, or the image size differs from the network's input size.</exception>
    public int LoadBatch(ImageSet set, ReadOnlySpan<int> indices)
    {
        CheckBatch(set, indices.Length);
        int m = indices.Length;
        indices.CopyTo(batchIndices);
        batchSet = set;
        gatheredRows = 0;
        return m;
    }

    /// <summary>Gathers images start .. start + count - 1 of <paramref name="set"/> as the batch.</summary>
    /// <returns>The batch size, <paramref name="count"/>.</returns>
    /// <exception cref="ArgumentException">More than <see cref="MaxBatchSize"/> images, or the image size differs from the network's input size.</exception>
    public int LoadRange(ImageSet set, int start, int count)
    {
        CheckBatch(set, count);
        for (int i = 0; i < count; i++)
        {
            batchIndices[i] = start + i;
        }

        batchSet = set;
        gatheredRows = 0;
        return count;
    }

    /// <summary>Uses arbitrary inputs (m x InputSize) and labels (m) as the batch, e.g. for gradient checks.</summary>
    /// <returns>The batch size.</returns>
    /// <exception cref="ArgumentException">The lengths disagree or exceed <see cref="MaxBatchSize"/>.</exception>
    public int LoadInputs(ReadOnlySpan<T> batchInputs, ReadOnlySpan<byte> batchLabels)
    {
        int m = batchLabels.Length;
        if (m > MaxBatchSize || batchInputs.Length != m * network.InputSize)
        {
            throw new ArgumentException($"expected {m} x {network.InputSize} inputs for {m} labels (at most {MaxBatchSize}), got {batchInputs.Length} values");
        }

        batchInputs.CopyTo(inputs);
        batchLabels.CopyTo(labels);
        batchSet = null;
        gatheredRows = m;
        return m;
    }

    /// <summary>The current batch's inputs, m x InputSize.</summary>
    public ReadOnlySpan<T> Inputs(int m)
    {
        EnsureGathered(m);
        return inputs.AsSpan(0, m * network.InputSize);
    }

    /// <summary>The current batch's labels.</summary>
    public ReadOnlySpan<byte> Labels(int m)
    {
        EnsureGathered(m);
        return labels.AsSpan(0, m);
    }

    /// <summary>Layer l's pre-activations z after <see cref="Forward"/>, m x fanOut.</summary>
    public ReadOnlySpan<T> PreActivations(int layer, int m) => z[layer].AsSpan(0, m * network.FanOut(layer));

    /// <summary>Layer l's activations a after <see cref="Forward"/>, m x fanOut (the last layer's are the outputs h).</summary>
    public ReadOnlySpan<T> Activations(int layer, int m) => a[layer].AsSpan(0, m * network.FanOut(layer));

    /// <summary>The outputs h (m x OutputSize) after <see cref="Forward"/>.</summary>
    public ReadOnlySpan<T> Outputs(int m) => Activations(network.LayerCount - 1, m);

    /// <summary>Forward pass over the current batch of m samples; returns the sum over the batch of <see cref="LabCost.SampleCost{T}"/>.</summary>
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
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
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

        int blocks = BlockCount(m);
        for (int b = 0; b < blocks; b++)
        {
            TensorPrimitives.Add(gradientSum, partialGradients[b], gradientSum);
        }

        return SumCosts(m);
    }

    /// <summary>
    /// One step of the lab's gradient descent on the current batch, fused: forward and backward
    /// pass, then a single sweep over the parameters (in fixed chunks, spread over the threads)
    /// that sums the blocks' gradients, forms the lab's gradient g = sum / m + (lambda / m) w
    /// (biases not regularized) and updates w = w - learningRate g. Gives the same weights as
    /// <see cref="AccumulateGradient"/>, <see cref="LabCost.Finish{T}"/> and the update done one
    /// after the other (DescentStepTests), in one pass instead of five over the parameter vector.
    /// </summary>
    /// <param name="parameters">The parameters; updated in place.</param>
    /// <param name="m">Batch size.</param>
    /// <param name="lambda">Regularization strength.</param>
    /// <param name="learningRate">Step size alpha.</param>
    /// <param name="gradientNorm">||g|| / len(g), the lab's convergence measure.</param>
    /// <returns>The batch's J at the parameters before the update.</returns>
    /// <exception cref="ArgumentException">Wrong parameter length or m out of 1..MaxBatchSize.</exception>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public double DescentStep(Span<T> parameters, int m, double lambda, double learningRate, out double gradientNorm)
    {
        Check(parameters.Length, m);
        sweepBlocks = BlockCount(m);
        sweepInvM = T.CreateChecked(1.0 / m);
        sweepDecay = T.CreateChecked(lambda / m);
        sweepRate = T.CreateChecked(learningRate);
        fixed (T* p = parameters)
        {
            parameterPointer = p;
            RunBlocks(m, Work.Gradient);
            team.Run(sweepChunks.Length, runSweep);
        }

        trainingStep++;

        double squares = 0, weightSquares = 0;
        for (int c = 0; c < sweepChunks.Length; c++)
        {
            squares += sweepGradientSquares[c];
            weightSquares += sweepWeightSquares[c];
        }

        gradientNorm = Math.Sqrt(squares) / parameters.Length;
        return (SumCosts(m) / m) + (lambda / (2.0 * m) * weightSquares);
    }

    // One chunk of the update sweep; the chunks are fixed by the layout, so the sums of squares are
    // added in the same order whatever thread runs which chunk.
    private void RunSweep(int chunk)
    {
        (int start, int end, bool regularized) = sweepChunks[chunk];
        var parameters = new Span<T>(parameterPointer, network.ParameterCount);
        (sweepGradientSquares[chunk], sweepWeightSquares[chunk]) = SweepStep(parameters, start, end, sweepBlocks, sweepInvM, regularized ? sweepDecay : T.Zero, sweepRate);
        if (!regularized)
        {
            sweepWeightSquares[chunk] = 0;
        }
    }

    // g = (sum of the blocks' partial gradients, in block order) * invM + decay * w; w -= rate * g;
    // returns the sums of g^2 and of the old w^2 over [start, end).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private (double GradientSquares, double WeightSquares) SweepStep(Span<T> parameters, int start, int end, int blocks, T invM, T decay, T rate)
    {
        int c = Vector256<T>.Count;
        var g2 = Vector256<T>.Zero;
        var w2 = Vector256<T>.Zero;
        var vInvM = Vector256.Create(invM);
        var vDecay = Vector256.Create(decay);
        var vRate = Vector256.Create(rate);
        int i = start;
        for (; i + c <= end; i += c)
        {
            var g = Vector256.Create<T>(partialGradients[0].AsSpan(i, c));
            for (int b = 1; b < blocks; b++)
            {
                g += Vector256.Create<T>(partialGradients[b].AsSpan(i, c));
            }

            var w = Vector256.Create<T>(parameters.Slice(i, c));
            g = (g * vInvM) + (vDecay * w);
            g2 += g * g;
            w2 += w * w;
            (w - (vRate * g)).StoreUnsafe(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(parameters), (nuint)i);
        }

        T gs = Vector256.Sum(g2), ws = Vector256.Sum(w2);
        for (; i < end; i++)
        {
            T g = partialGradients[0][i];
            for (int b = 1; b < blocks; b++)
            {
                g += partialGradients[b][i];
            }

            T w = parameters[i];
            g = (g * invM) + (decay * w);
            gs += g * g;
            ws += w * w;
            parameters[i] = w - (rate * g);
        }

        return (double.CreateTruncating(gs), double.CreateTruncating(ws));
    }

    /// <summary>
    /// Turns on the training-time regularizers for the gradient calls (<see cref="AccumulateGradient"/>,
    /// <see cref="DescentStep"/>) that follow: dropout of hidden units at <paramref name="dropout"/>
    /// (0 = off), and data augmentation of the gathered images (random shifts of up to 2 pixels in
    /// each direction and horizontal flips). <see cref="Forward"/> (evaluation) never uses them.
    /// Every random draw depends on (seed, step, row, unit), not on threads.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">dropout outside [0, 1).</exception>
    public void SetRegularizers(double dropout, bool augment, int seed)
    {
        if (!(dropout >= 0 && dropout < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "expected a rate in [0, 1)");
        }

        dropoutRate = dropout;
        augmentImages = augment;
        this.seed = (ulong)(uint)seed;
        if (augment && augmentScratch.Length == 0)
        {
            augmentScratch = new byte[MaxBatchSize * network.InputSize];
        }
        if (dropout > 0 && dropMask.Length == 0)
        {
            dropMask = new T[network.LayerCount - 1][];
            dropped = new T[network.LayerCount - 1][];
            for (int l = 0; l < network.LayerCount - 1; l++)
            {
                dropMask[l] = new T[MaxBatchSize * network.FanOut(l)];
                dropped[l] = new T[MaxBatchSize * network.FanOut(l)];
            }
        }
    }

    /// <summary>The number of training steps so far; the random draws of dropout and augmentation depend on it.</summary>
    public long TrainingStep
    {
        get => (long)trainingStep;
        set => trainingStep = (ulong)value;
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose() => team.Dispose();

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void ForwardRows(int m, int r0, int r1, bool backward)
    {
        var parameters = new ReadOnlySpan<T>(parameterPointer, network.ParameterCount);
        int layers = network.LayerCount;
        for (int l = 0; l < layers; l++)
        {
            int n = network.FanIn(l), k = network.FanOut(l);
            ReadOnlySpan<T> input = l == 0 ? inputs.AsSpan(0, m * n) : LayerOutput(l - 1).AsSpan(0, m * n);
            Span<T> zl = z[l].AsSpan(0, m * k);
            // Vector512 dot products pay off from a few chunks of 16 on; the lab's 25-input output
            // layer runs faster in Vector256 (BenchmarkDotNet, 200x25x10: 3.1 against 5.4 us).
            if (n >= 64)
            {
                MatrixKernels.MultiplyTransposedAddBias512(input, network.Weights(parameters, l), network.Biases(parameters, l), zl, m, n, k, r0, r1);
            }
            else
            {
                MatrixKernels.MultiplyTransposedAddBias(input, network.Weights(parameters, l), network.Biases(parameters, l), zl, m, n, k, r0, r1);
            }
            ReadOnlySpan<T> zRows = zl.Slice(r0 * k, (r1 - r0) * k);
            Span<T> aRows = a[l].AsSpan(r0 * k, (r1 - r0) * k);
            if (l < layers - 1)
            {
                network.HiddenActivation.Forward(zRows, aRows);
                if (dropping)
                {
                    DropUnits(l, r0, r1);
                }
            }
            else if (network.Output == OutputLayer.Softmax)
            {
                for (int i = 0; i < r1 - r0; i++)
                {
                    LabCost.Softmax(zRows.Slice(i * k, k), aRows.Slice(i * k, k));
                }
            }
            else
            {
                TensorPrimitives.Sigmoid(zRows, aRows);
            }
        }

        int outputs = network.OutputSize;
        T[] zOut = z[layers - 1], aOut = a[layers - 1], dOut = delta[layers - 1];
        SampleCosts(zOut, outputs, r0, r1);

        if (!backward)
        {
            return;
        }

        aOut.AsSpan(r0 * outputs, (r1 - r0) * outputs).CopyTo(dOut.AsSpan(r0 * outputs));
        for (int i = r0; i < r1; i++)
        {
            dOut[(i * outputs) + labels[i]] -= T.One;
        }

        for (int l = layers - 1; l > 0; l--)
        {
            int n = network.FanIn(l), k = network.FanOut(l);
            MatrixKernels.Multiply512<T>(delta[l].AsSpan(0, m * k), network.Weights(parameters, l), delta[l - 1].AsSpan(0, m * n), m, n, k, r0, r1);
            network.HiddenActivation.MultiplyByDerivative<T>(z[l - 1].AsSpan(r0 * n, (r1 - r0) * n), a[l - 1].AsSpan(r0 * n, (r1 - r0) * n), delta[l - 1].AsSpan(r0 * n, (r1 - r0) * n));
            if (dropping)
            {
                // A dropped unit passes no gradient back; a kept one is scaled like its output.
                TensorPrimitives.Multiply(delta[l - 1].AsSpan(r0 * n, (r1 - r0) * n), dropMask[l - 1].AsSpan(r0 * n, (r1 - r0) * n), delta[l - 1].AsSpan(r0 * n, (r1 - r0) * n));
            }
        }
    }

    // What layer l passes on: its activations, or, under dropout, its activations times the mask.
    private T[] LayerOutput(int l) => dropping ? dropped[l] : a[l];

    // Inverted dropout (Srivastava et al., JMLR 2014; scaled at training time so evaluation needs
    // no change): unit j of row i is kept with probability 1 - rate, scaled by 1 / (1 - rate). The
    // draw depends on (seed, step, row, unit) only, so threads do not change it.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void DropUnits(int l, int r0, int r1)
    {
        int k = network.FanOut(l);
        T keepScale = T.CreateChecked(1.0 / (1.0 - dropoutRate));
        T[] mask = dropMask[l], output = dropped[l], activation = a[l];
        for (int i = r0; i < r1; i++)
        {
            for (int j = 0; j < k; j++)
            {
                int at = (i * k) + j;
                mask[at] = CounterRandom.Uniform(seed, trainingStep, ((ulong)l << 56) | ((ulong)i << 24) | (uint)j) < dropoutRate ? T.Zero : keepScale;
                output[at] = activation[at] * mask[at];
            }
        }
    }

    // The gradient of rows r0..r1 alone, into a cleared partial buffer.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void BlockGradient(int r0, int r1, T[] partial)
    {
        Array.Clear(partial);
        int rows = r1 - r0;
        for (int l = 0; l < network.LayerCount; l++)
        {
            int n = network.FanIn(l), k = network.FanOut(l);
            ReadOnlySpan<T> input = l == 0 ? inputs.AsSpan(r0 * n, rows * n) : LayerOutput(l - 1).AsSpan(r0 * n, rows * n);
            ReadOnlySpan<T> d = delta[l].AsSpan(r0 * k, rows * k);
            // Training uses the Vector512 kernels, 1.6-2.4x faster than the Vector256 ones on the
            // large products here (README, Measured here); each falls back to Vector256 without AVX-512.
            MatrixKernels.AccumulateTransposedMultiply512<T>(d, input, network.Weights(partial.AsSpan(), l), rows, n, k, 0, n);
            Span<T> gb = network.Biases(partial.AsSpan(), l);
            for (int i = 0; i < rows; i++)
            {
                TensorPrimitives.Add(gb, d.Slice(i * k, k), gb);
            }
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void GatherBlock(int r0, int r1)
    {
        ImageSet set = batchSet!;
        ReadOnlySpan<byte> pixels = set.Pixels.Span;
        ReadOnlySpan<byte> setLabels = set.Labels.Span;
        int n = network.InputSize;
        const int Ahead = 3;
        for (int i = r0; i < Math.Min(r1, r0 + Ahead); i++)
        {
            Prefetch(pixels.Slice(batchIndices[i] * n, n));
        }

        for (int i = r0; i < r1; i++)
        {
            // Shuffled images come from all over the training set, beyond the caches: ask for the
            // ones a few rows ahead while converting this one, so the memory latency overlaps.
            if (i + Ahead < r1)
            {
                Prefetch(pixels.Slice(batchIndices[i + Ahead] * n, n));
            }

            int index = batchIndices[i];
            if (augmenting)
            {
                Span<byte> moved = augmentScratch.AsSpan(i * n, n);
                Augment(pixels.Slice(index * n, n), moved, set.Rows, set.Columns, i);
                ConvertPixels(moved, inputs.AsSpan(i * n, n));
            }
            else
            {
                ConvertPixels(pixels.Slice(index * n, n), inputs.AsSpan(i * n, n));
            }

            labels[i] = setLabels[index];
        }
    }

    // A random shift of -2..2 pixels in each direction (zeros come in at the edges) and a
    // horizontal flip with probability 1/2, drawn from (seed, step, row).
    private void Augment(ReadOnlySpan<byte> image, Span<byte> result, int rows, int columns, int row)
    {
        ulong draw = CounterRandom.Next(seed, trainingStep, (1UL << 63) | (uint)row);
        int dx = (int)(draw % 5) - 2, dy = (int)((draw >> 8) % 5) - 2;
        bool flip = ((draw >> 16) & 1) == 1;
        result.Clear();
        for (int r = 0; r < rows; r++)
        {
            int from = r - dy;
            if (from < 0 || from >= rows)
            {
                continue;
            }

            for (int c = 0; c < columns; c++)
            {
                int source = (flip ? columns - 1 - c : c) - dx;
                if (source >= 0 && source < columns)
                {
                    result[(r * columns) + c] = image[(from * columns) + source];
                }
            }
        }
    }

    private static void Prefetch(ReadOnlySpan<byte> bytes)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            return;
        }

        fixed (byte* p = bytes)
        {
            for (int offset = 0; offset < bytes.Length; offset += 64)
            {
                System.Runtime.Intrinsics.X86.Sse.Prefetch0(p + offset);
            }

            System.Runtime.Intrinsics.X86.Sse.Prefetch0(p + bytes.Length - 1);
        }
    }

    /// <summary>The number of row blocks a batch of m rows is cut into: one per 100 rows (rounded up), at most 16; it depends on m only.</summary>
    public int BlockCount(int m) => Math.Clamp((m + RowsPerBlock - 1) / RowsPerBlock, 1, MaxBlocks);

    // Runs the work for every block of the batch, the blocks handed out one at a time to the team.
    // A block gathers its own rows first, so they are converted in the cache of the core that uses
    // them. No allocation: the work is named by fields and one delegate made in the constructor.
    private void RunBlocks(int m, Work work)
    {
        gather = gatheredRows < m && batchSet is not null;
        dropping = work == Work.Gradient && dropoutRate > 0;
        augmenting = gather && work == Work.Gradient && augmentImages;
        batchRows = m;
        currentWork = work;
        team.Run(BlockCount(m), runBlock);
        if (gather)
        {
            gatheredRows = m;
        }
    }

    private void EnsureGathered(int m)
    {
        if (gatheredRows < m && batchSet is not null)
        {
            RunBlocks(m, Work.Gather);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void RunBlock(int b)
    {
        int m = batchRows, blocks = BlockCount(m);
        int r0 = BlockStart(b, blocks, m), r1 = BlockStart(b + 1, blocks, m);
        if (gather)
        {
            GatherBlock(r0, r1);
        }

        switch (currentWork)
        {
            case Work.Gather:
                break;
            case Work.Forward:
                ForwardRows(m, r0, r1, backward: false);
                break;
            default:
                ForwardRows(m, r0, r1, backward: true);
                BlockGradient(r0, r1, partialGradients[b]);
                break;
        }
    }

    // Even block boundaries keep the two-row kernels on their fast path.
    private static int BlockStart(int block, int blocks, int m) => block == blocks ? m : (int)((long)block * m / blocks) & ~1;

    // The lab's cost of each sample of rows r0..r1, sum_j softplus(z_j) - z_label, from the output
    // pre-activations. Double runs the scalar stable form (gradient checks); float uses vector
    // exp and log over the whole block, where log(1 + e^-|z|) loses nothing float can hold.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void SampleCosts(T[] zOut, int outputs, int r0, int r1)
    {
        if (network.Output == OutputLayer.Softmax)
        {
            for (int i = r0; i < r1; i++)
            {
                sampleCost[i] = LabCost.SoftmaxSampleCost<T>(zOut.AsSpan(i * outputs, outputs), labels[i]);
            }

            return;
        }

        if (typeof(T) == typeof(double))
        {
            for (int i = r0; i < r1; i++)
            {
                sampleCost[i] = LabCost.SampleCost<T>(zOut.AsSpan(i * outputs, outputs), labels[i]);
            }

            return;
        }

        int length = (r1 - r0) * outputs;
        ReadOnlySpan<T> zr = zOut.AsSpan(r0 * outputs, length);
        Span<T> s = costScratch.AsSpan(r0 * outputs, length);
        Span<T> positive = costScratch2.AsSpan(r0 * outputs, length);
        TensorPrimitives.Abs(zr, s);
        TensorPrimitives.Negate(s, s);
        TensorPrimitives.Exp(s, s);
        TensorPrimitives.LogP1(s, s);
        TensorPrimitives.Max(zr, T.Zero, positive);
        TensorPrimitives.Add(s, positive, s);
        for (int i = r0; i < r1; i++)
        {
            int row = (i - r0) * outputs;
            sampleCost[i] = double.CreateTruncating(TensorPrimitives.Sum<T>(s.Slice(row, outputs)) - zr[row + labels[i]]);
        }
    }

    private enum Work
    {
        Gather,
        Forward,
        Gradient,
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

    // x / 255 in T, exactly as NumPy's float32(x) / 255 (a division, not a multiplication by 1/255).
    private static void ConvertPixels(ReadOnlySpan<byte> source, Span<T> destination)
    {
        if (typeof(T) == typeof(float))
        {
            PixelConversion.ToSingle(source, System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(destination));
            return;
        }

        TensorPrimitives.ConvertTruncating(source, destination);
        TensorPrimitives.Divide(destination, Scale255, destination);
    }

    private void CheckBatch(ImageSet set, int count)
    {
        if (set.Features != network.InputSize)
        {
            throw new ArgumentException($"the images have {set.Features} pixels, the network {network} expects {network.InputSize} inputs", nameof(set));
        }

        if (count < 0 || count > MaxBatchSize)
        {
            throw new ArgumentException($"a batch of {count} samples does not fit the buffers of {MaxBatchSize}", nameof(count));
        }
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

/// <summary>
/// Random numbers from a counter rather than a sequence: the value for (seed, step, key) is the
/// SplitMix64 finalizer (Steele, Lea and Flood, OOPSLA 2014) of their combination, so any thread
/// can draw it in any order and get the same number.
/// </summary>
internal static class CounterRandom
{
    public static ulong Next(ulong seed, ulong step, ulong key)
    {
        ulong x = (seed * 0x9E3779B97F4A7C15UL) ^ (step * 0xD1B54A32D192ED03UL) ^ key;
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return x;
    }

    /// <summary>A double uniform in [0, 1).</summary>
    public static double Uniform(ulong seed, ulong step, ulong key) => (Next(seed, step, key) >> 11) * (1.0 / (1UL << 53));
}

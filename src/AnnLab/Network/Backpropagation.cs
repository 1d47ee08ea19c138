using System.Numerics;
using System.Numerics.Tensors;
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
/// sigmoid units, so with the lab's cross-entropy its delta is a - y; a hidden layer's delta is
/// (delta_(l+1) W_(l+1)) .* g'(z_l). Gradients are summed over the batch: dW_l += delta_l^T a_(l-1),
/// db_l += column sums of delta_l; <see cref="LabCost.Finish{T}"/> averages and regularizes.</para>
/// <para>Threads: the forward and backward passes split the batch's rows; the weight gradients
/// split the columns of each layer's weight matrix. Every element is summed over the batch in the
/// same order whatever the split, so results are bit-identical for any thread count.</para>
/// </remarks>
public sealed unsafe class Backpropagation<T> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int ColumnChunk = 64;

    private static readonly T[] PixelValues = Enumerable.Range(0, 256).Select(b => T.CreateChecked(b) / T.CreateChecked(255)).ToArray();

    private readonly NeuralNetwork network;
    private readonly int threads;
    private readonly T[] inputs;          // MaxBatchSize x InputSize
    private readonly byte[] labels;       // MaxBatchSize
    private readonly T[][] z;             // per layer: MaxBatchSize x fanOut
    private readonly T[][] a;             // per layer: MaxBatchSize x fanOut
    private readonly T[][] delta;         // per layer: MaxBatchSize x fanOut
    private readonly double[] sampleCost; // MaxBatchSize
    private readonly (int Layer, int Start, int End)[] columnTasks;
    private readonly WorkerTeam team;

    // The parameter and gradient vectors of the call under way, pinned by it: spans cannot be
    // handed to the worker threads, pointers to pinned memory can.
    private T* parameterPointer;
    private T* gradientPointer;

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
        this.threads = threads;
        MaxBatchSize = maxBatchSize;
        inputs = new T[(long)maxBatchSize * network.InputSize];
        labels = new byte[maxBatchSize];
        sampleCost = new double[maxBatchSize];
        z = new T[network.LayerCount][];
        a = new T[network.LayerCount][];
        delta = new T[network.LayerCount][];
        var tasks = new List<(int, int, int)>();
        for (int l = 0; l < network.LayerCount; l++)
        {
            z[l] = new T[maxBatchSize * network.FanOut(l)];
            a[l] = new T[maxBatchSize * network.FanOut(l)];
            delta[l] = new T[maxBatchSize * network.FanOut(l)];
            for (int c = 0; c < network.FanIn(l); c += ColumnChunk)
            {
                tasks.Add((l, c, Math.Min(c + ColumnChunk, network.FanIn(l))));
            }
        }

        columnTasks = tasks.ToArray();
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
        ReadOnlySpan<byte> pixels = set.Pixels.Span;
        ReadOnlySpan<byte> setLabels = set.Labels.Span;
        int n = network.InputSize;
        for (int i = 0; i < indices.Length; i++)
        {
            ConvertPixels(pixels.Slice(indices[i] * n, n), inputs.AsSpan(i * n, n));
            labels[i] = setLabels[indices[i]];
        }

        return indices.Length;
    }

    /// <summary>Gathers images start .. start + count - 1 of <paramref name="set"/> as the batch.</summary>
    /// <returns>The batch size, <paramref name="count"/>.</returns>
    /// <exception cref="ArgumentException">More than <see cref="MaxBatchSize"/> images, or the image size differs from the network's input size.</exception>
    public int LoadRange(ImageSet set, int start, int count)
    {
        CheckBatch(set, count);
        int n = network.InputSize;
        ConvertPixels(set.Pixels.Span.Slice(start * n, count * n), inputs.AsSpan(0, count * n));
        set.Labels.Span.Slice(start, count).CopyTo(labels);
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
        return m;
    }

    /// <summary>The current batch's inputs, m x InputSize.</summary>
    public ReadOnlySpan<T> Inputs(int m) => inputs.AsSpan(0, m * network.InputSize);

    /// <summary>The current batch's labels.</summary>
    public ReadOnlySpan<byte> Labels(int m) => labels.AsSpan(0, m);

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
            RunRows(m, backward: false);
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
        fixed (T* g = gradientSum)
        {
            parameterPointer = p;
            gradientPointer = g;
            RunRows(m, backward: true);
            int parts = Math.Min(threads, columnTasks.Length);
            team.Run(parts, part =>
            {
                for (int t = part; t < columnTasks.Length; t += parts)
                {
                    WeightGradient(t, m);
                }
            });
        }

        for (int l = 0; l < network.LayerCount; l++)
        {
            Span<T> gb = network.Biases(gradientSum, l);
            int k = network.FanOut(l);
            ReadOnlySpan<T> d = delta[l];
            for (int i = 0; i < m; i++)
            {
                TensorPrimitives.Add(gb, d.Slice(i * k, k), gb);
            }
        }

        return SumCosts(m);
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose() => team.Dispose();

    private void ForwardRows(int m, int r0, int r1, bool backward)
    {
        var parameters = new ReadOnlySpan<T>(parameterPointer, network.ParameterCount);
        int layers = network.LayerCount;
        for (int l = 0; l < layers; l++)
        {
            int n = network.FanIn(l), k = network.FanOut(l);
            ReadOnlySpan<T> input = l == 0 ? inputs.AsSpan(0, m * n) : a[l - 1].AsSpan(0, m * n);
            Span<T> zl = z[l].AsSpan(0, m * k);
            MatrixKernels.MultiplyTransposedAddBias(input, network.Weights(parameters, l), network.Biases(parameters, l), zl, m, n, k, r0, r1);
            ReadOnlySpan<T> zRows = zl.Slice(r0 * k, (r1 - r0) * k);
            Span<T> aRows = a[l].AsSpan(r0 * k, (r1 - r0) * k);
            if (l < layers - 1)
            {
                network.HiddenActivation.Forward(zRows, aRows);
            }
            else
            {
                TensorPrimitives.Sigmoid(zRows, aRows);
            }
        }

        int outputs = network.OutputSize;
        T[] zOut = z[layers - 1], aOut = a[layers - 1], dOut = delta[layers - 1];
        for (int i = r0; i < r1; i++)
        {
            sampleCost[i] = LabCost.SampleCost<T>(zOut.AsSpan(i * outputs, outputs), labels[i]);
        }

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
            MatrixKernels.Multiply<T>(delta[l].AsSpan(0, m * k), network.Weights(parameters, l), delta[l - 1].AsSpan(0, m * n), m, n, k, r0, r1);
            network.HiddenActivation.MultiplyByDerivative<T>(z[l - 1].AsSpan(r0 * n, (r1 - r0) * n), a[l - 1].AsSpan(r0 * n, (r1 - r0) * n), delta[l - 1].AsSpan(r0 * n, (r1 - r0) * n));
        }
    }

    private void WeightGradient(int taskIndex, int m)
    {
        var gradientSum = new Span<T>(gradientPointer, network.ParameterCount);
        var task = columnTasks[taskIndex];
        int l = task.Layer, n = network.FanIn(l), k = network.FanOut(l);
        ReadOnlySpan<T> input = l == 0 ? inputs.AsSpan(0, m * n) : a[l - 1].AsSpan(0, m * n);
        MatrixKernels.AccumulateTransposedMultiply<T>(delta[l].AsSpan(0, m * k), input, network.Weights(gradientSum, l), m, n, k, task.Start, task.End);
    }

    private void RunRows(int m, bool backward)
    {
        int parts = Math.Min(threads, Math.Max(1, m / 8));
        if (parts == 1)
        {
            ForwardRows(m, 0, m, backward);
            return;
        }

        // Even row counts per part keep the two-row kernels on their fast path.
        int per = ((m / parts) + 1) & ~1;
        team.Run(parts, t =>
        {
            int r0 = Math.Min(m, t * per), r1 = t == parts - 1 ? m : Math.Min(m, (t + 1) * per);
            ForwardRows(m, r0, r1, backward);
        });
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

    private static void ConvertPixels(ReadOnlySpan<byte> source, Span<T> destination)
    {
        T[] table = PixelValues;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = table[source[i]];
        }
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

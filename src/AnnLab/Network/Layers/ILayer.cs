using System.Numerics;

namespace AnnLab.Network;

/// <summary>Whether a pass trains (dropout draws masks, gradients follow) or only predicts.</summary>
public enum Phase
{
    /// <summary>Evaluation and prediction: dropout passes its input through.</summary>
    Inference,

    /// <summary>A training step: dropout drops, and the backward pass follows.</summary>
    Training,
}

/// <summary>
/// What every layer of one pass shares: the parameters, the gradient the pass adds into, the batch
/// size, the phase, and the counter the random draws depend on. Built by
/// <see cref="Backpropagation{T}"/> for each row block.
/// </summary>
/// <param name="Parameters">The whole flat parameter vector (see <see cref="ParameterLayout"/>).</param>
/// <param name="Gradient">The row block's own gradient buffer (same layout), not cleared: each layer's backward pass writes the gradient of its own parameters over their slices; empty in inference.</param>
/// <param name="Rows">m, the batch size; every activation and delta buffer is m x (layer width), row-major.</param>
/// <param name="First">The block's first row.</param>
/// <param name="End">One past the block's last row.</param>
/// <param name="Phase">Training or inference.</param>
/// <param name="Seed">The run's seed, for counter-based random numbers.</param>
/// <param name="Step">The training step, for counter-based random numbers.</param>
public readonly ref struct LayerPass<T>(ReadOnlySpan<T> Parameters, Span<T> Gradient, int Rows, int First, int End, Phase Phase, ulong Seed, ulong Step)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The whole flat parameter vector.</summary>
    public ReadOnlySpan<T> Parameters { get; } = Parameters;

    /// <summary>The block's gradient buffer, same layout as the parameters.</summary>
    public Span<T> Gradient { get; } = Gradient;

    /// <summary>The batch size m.</summary>
    public int Rows { get; } = Rows;

    /// <summary>The block's first row.</summary>
    public int First { get; } = First;

    /// <summary>One past the block's last row.</summary>
    public int End { get; } = End;

    /// <summary>Training or inference.</summary>
    public Phase Phase { get; } = Phase;

    /// <summary>The run's seed.</summary>
    public ulong Seed { get; } = Seed;

    /// <summary>The training step.</summary>
    public ulong Step { get; } = Step;

    /// <summary>The block's rows of an m x width buffer.</summary>
    public Span<T> BlockRows(Span<T> buffer, int width) => buffer.Slice(First * width, (End - First) * width);

    /// <inheritdoc cref="BlockRows(Span{T}, int)"/>
    public ReadOnlySpan<T> BlockRows(ReadOnlySpan<T> buffer, int width) => buffer.Slice(First * width, (End - First) * width);
}

/// <summary>
/// One layer of the network, its forward pass and its backward pass side by side in one file
/// (llm.c's <c>*_forward</c> / <c>*_backward</c>). A layer works on the rows
/// <see cref="LayerPass{T}.First"/>..<see cref="LayerPass{T}.End"/> of m x width buffers that the
/// engine owns, so one thread runs one row block through every layer.
/// </summary>
/// <remarks>
/// A layer that needs the whole batch at once (batch normalization's mean and variance) cannot run
/// block by block: it would say so with a flag, and the engine would end the block pass before it,
/// let the layer reduce over all m rows between two runs of the worker team, and continue in blocks
/// after it; <see cref="LayerPass{T}.Phase"/> tells it whether to use the batch's statistics
/// (training) or its running ones (inference).
/// </remarks>
public interface ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Values per row of the input.</summary>
    int InputWidth { get; }

    /// <summary>Values per row of the output.</summary>
    int OutputWidth { get; }

    /// <summary>
    /// Whether the backward pass works element by element in place: then the engine gives it the
    /// same buffer as the output delta and the input delta, and it turns one into the other.
    /// </summary>
    bool InPlaceDelta { get; }

    /// <summary>output = layer(input) for the block's rows.</summary>
    /// <param name="pass">The pass.</param>
    /// <param name="input">m x <see cref="InputWidth"/>.</param>
    /// <param name="output">m x <see cref="OutputWidth"/>.</param>
    void Forward(in LayerPass<T> pass, ReadOnlySpan<T> input, Span<T> output);

    /// <summary>
    /// From dC/d(output) of the block's rows: writes dC/d(its parameters) over their slices of <see cref="LayerPass{T}.Gradient"/>
    /// and writes dC/d(input) (skipped when <paramref name="inputDelta"/> is empty: the first layer).
    /// </summary>
    /// <param name="pass">The pass, after <see cref="Forward"/>.</param>
    /// <param name="input">m x InputWidth, as given to Forward.</param>
    /// <param name="output">m x OutputWidth, as Forward left it.</param>
    /// <param name="outputDelta">m x OutputWidth.</param>
    /// <param name="inputDelta">m x InputWidth, or empty; the same memory as outputDelta when <see cref="InPlaceDelta"/>.</param>
    void Backward(in LayerPass<T> pass, ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputDelta, Span<T> inputDelta);
}

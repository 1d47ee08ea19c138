using System.Numerics;
using AnnLab.Kernels;

namespace AnnLab.Network;

/// <summary>
/// A fully connected layer z = a W^T + b: W is fanOut x fanIn (unit j's incoming weights in row j),
/// b has fanOut values, both views of the parameter vector (<see cref="ParameterLayout"/>).
/// Backward: dW = delta^T a, db = column sums of delta (written over the block's gradient), and delta_in = delta W (Nielsen, Neural
/// Networks and Deep Learning, ch. 2, equations BP2-BP4).
/// </summary>
/// <param name="weights">The layer's weights segment.</param>
/// <param name="biases">The layer's biases segment.</param>
public sealed class DenseLayer<T>(ParameterSegment weights, ParameterSegment biases) : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Inputs per row below which the Vector256 forward kernel beats the Vector512 one
    /// (BenchmarkDotNet, 200x25x10: 3.1 against 5.4 us).</summary>
    private const int Vector512ForwardFrom = 64;

    /// <inheritdoc/>
    public int InputWidth => weights.Columns;

    /// <inheritdoc/>
    public int OutputWidth => weights.Rows;

    /// <inheritdoc/>
    public bool InPlaceDelta => false;

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Forward(in LayerPass<T> pass, ReadOnlySpan<T> input, Span<T> output)
    {
        int n = InputWidth, k = OutputWidth, m = pass.Rows;
        ReadOnlySpan<T> w = pass.Parameters.Slice(weights.Offset, weights.Length);
        ReadOnlySpan<T> b = pass.Parameters.Slice(biases.Offset, biases.Length);
        if (n <= MatrixKernels.NarrowForwardMaxInputs && k <= System.Runtime.Intrinsics.Vector512<T>.Count)
        {
            // The lab's 25 -> 10: 1.2 against 2.4 us (BenchmarkDotNet, 200x25x10).
            MatrixKernels.MultiplyTransposedAddBiasNarrow(input[..(m * n)], w, b, output[..(m * k)], m, n, k, pass.First, pass.End);
        }
        else if (n >= Vector512ForwardFrom)
        {
            MatrixKernels.MultiplyTransposedAddBias512(input[..(m * n)], w, b, output[..(m * k)], m, n, k, pass.First, pass.End);
        }
        else
        {
            MatrixKernels.MultiplyTransposedAddBias(input[..(m * n)], w, b, output[..(m * k)], m, n, k, pass.First, pass.End);
        }
    }

    /// <inheritdoc/>
    public void Backward(in LayerPass<T> pass, ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputDelta, Span<T> inputDelta)
    {
        BackwardWeights(pass, input, outputDelta);
        BackwardInputs(pass, outputDelta, inputDelta);
    }

    /// <summary>The first half of <see cref="Backward"/>: dW = delta^T a and db = column sums of delta over the block's rows (BP3, BP4), written over the layer's slices of the gradient.</summary>
    /// <param name="pass">The pass, after <see cref="Forward"/>.</param>
    /// <param name="input">m x InputWidth, as given to Forward.</param>
    /// <param name="outputDelta">m x OutputWidth.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void BackwardWeights(in LayerPass<T> pass, ReadOnlySpan<T> input, ReadOnlySpan<T> outputDelta)
    {
        int n = InputWidth, k = OutputWidth, rows = pass.End - pass.First;
        ReadOnlySpan<T> d = pass.BlockRows(outputDelta, k);

        // Training uses the Vector512 kernels, 1.6-2.6x faster than the Vector256 ones on the large
        // products (README, Measured here); each falls back to Vector256 without AVX-512.
        // Written, not added: the block's gradient buffer is not cleared first (a pass over it that,
        // with two threads, also waits on the lines the other core's sweep has just read).
        MatrixKernels.TransposedMultiply512<T>(d, pass.BlockRows(input, n), pass.Gradient.Slice(weights.Offset, weights.Length), rows, n, k, 0, n);
        MatrixKernels.ColumnSums<T>(d, pass.Gradient.Slice(biases.Offset, biases.Length), rows, k);
    }

    /// <summary>The second half of <see cref="Backward"/>: delta_in = delta W for the block's rows (BP2 before the activation's derivative); nothing when <paramref name="inputDelta"/> is empty.</summary>
    /// <param name="pass">The pass, after <see cref="Forward"/>.</param>
    /// <param name="outputDelta">m x OutputWidth.</param>
    /// <param name="inputDelta">m x InputWidth, or empty (the first layer).</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void BackwardInputs(in LayerPass<T> pass, ReadOnlySpan<T> outputDelta, Span<T> inputDelta)
    {
        int n = InputWidth, k = OutputWidth, m = pass.Rows;
        if (!inputDelta.IsEmpty)
        {
            MatrixKernels.Multiply512<T>(outputDelta[..(m * k)], pass.Parameters.Slice(weights.Offset, weights.Length), inputDelta[..(m * n)], m, n, k, pass.First, pass.End);
        }
    }
}

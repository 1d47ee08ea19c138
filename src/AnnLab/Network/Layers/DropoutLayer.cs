using System.Numerics;
using System.Numerics.Tensors;

namespace AnnLab.Network;

/// <summary>
/// Inverted dropout (Srivastava et al., JMLR 2014; scaled at training time so inference needs no
/// change): while training, unit j of row i is kept with probability 1 - rate and scaled by
/// 1 / (1 - rate), else set to 0; in inference the input passes through. Backward: a dropped unit
/// passes no gradient back, a kept one is scaled like its output.
/// </summary>
/// <remarks>The draw for (seed, step, layer, row, unit) comes from <see cref="CounterRandom"/>, so threads do not change it.</remarks>
public sealed class DropoutLayer<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int width;
    private readonly int index;
    private readonly double rate;
    private readonly T keepScale;
    private readonly T[] mask; // maxRows x width: 0 or 1 / (1 - rate), as drawn by the last training pass

    /// <summary>Creates the layer and its mask buffer.</summary>
    /// <param name="rate">Probability of dropping a unit, in [0, 1).</param>
    /// <param name="width">Values per row.</param>
    /// <param name="index">Which hidden layer it follows (a key of the random draws).</param>
    /// <param name="maxRows">The largest batch.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> outside [0, 1).</exception>
    public DropoutLayer(double rate, int width, int index, int maxRows)
    {
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "expected a rate in [0, 1)");
        }

        this.rate = rate;
        this.width = width;
        this.index = index;
        keepScale = T.CreateChecked(1.0 / (1.0 - rate));
        mask = new T[maxRows * width];
    }

    /// <inheritdoc/>
    public int InputWidth => width;

    /// <inheritdoc/>
    public int OutputWidth => width;

    /// <inheritdoc/>
    public bool InPlaceDelta => true;

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Forward(in LayerPass<T> pass, ReadOnlySpan<T> input, Span<T> output)
    {
        ReadOnlySpan<T> a = pass.BlockRows(input, width);
        Span<T> dropped = pass.BlockRows(output, width);
        if (pass.Phase == Phase.Inference)
        {
            a.CopyTo(dropped);
            return;
        }

        Span<T> m = pass.BlockRows(mask.AsSpan(), width);
        for (int i = pass.First; i < pass.End; i++)
        {
            int row = (i - pass.First) * width;
            for (int j = 0; j < width; j++)
            {
                ulong key = ((ulong)index << 56) | ((ulong)i << 24) | (uint)j;
                m[row + j] = CounterRandom.Uniform(pass.Seed, pass.Step, key) < rate ? T.Zero : keepScale;
                dropped[row + j] = a[row + j] * m[row + j];
            }
        }
    }

    /// <inheritdoc/>
    public void Backward(in LayerPass<T> pass, ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputDelta, Span<T> inputDelta)
    {
        Span<T> d = pass.BlockRows(inputDelta, width);
        TensorPrimitives.Multiply(d, pass.BlockRows(mask.AsSpan(), width), d);
    }
}

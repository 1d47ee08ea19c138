using System.Numerics;
using System.Numerics.Tensors;

namespace AnnLab.Network;

/// <summary>What a slice of the flat parameter vector holds.</summary>
public enum ParameterKind
{
    /// <summary>A dense layer's weights W, <c>fanOut x fanIn</c> row-major (the lab's Theta rows 1..fanIn, transposed).</summary>
    Weights,

    /// <summary>A dense layer's biases b, <c>fanOut</c> values (the lab's Theta row 0).</summary>
    Biases,
}

/// <summary>One slice of the flat parameter vector.</summary>
/// <param name="Layer">The dense layer it belongs to, 0-based.</param>
/// <param name="Kind">Weights or biases.</param>
/// <param name="Offset">Index of its first value in the parameter vector.</param>
/// <param name="Length">Number of values.</param>
/// <param name="Rows">Rows of its matrix view (fanOut).</param>
/// <param name="Columns">Columns of its matrix view (fanIn for weights, 1 for biases).</param>
/// <param name="Regularized">Whether the ridge (L2) term and AdamW's weight decay apply to it: true for weights, false for biases (the lab's J skips the bias row of Theta).</param>
public readonly record struct ParameterSegment(int Layer, ParameterKind Kind, int Offset, int Length, int Rows, int Columns, bool Regularized)
{
    /// <summary>One past its last index.</summary>
    public int End => Offset + Length;
}

/// <summary>
/// The one table of what each slice of the flat parameter vector is (llm.c's <c>param_sizes</c>):
/// layer after layer, its weights then its biases. The single source for the ridge term, the
/// AdamW decay mask, initialization, the update sweep's chunks and the lab's Theta view.
/// </summary>
/// <remarks>
/// For dense layer l with fanIn inputs and fanOut units: weights at <c>Offset</c>, fanOut x fanIn
/// row-major (row j holds unit j's incoming weights), then fanOut biases. The lab's Theta_(l+1),
/// (fanIn + 1) x fanOut with row 0 = biases, is this transposed with the biases put on top.
/// </remarks>
public sealed class ParameterLayout
{
    private readonly ParameterSegment[] segments;

    /// <summary>Lays out dense layers of the given sizes.</summary>
    /// <param name="layerSizes">Input size, hidden sizes..., output size; each at least 1.</param>
    /// <exception cref="ArgumentException">Fewer than two sizes, a size below 1, or more than int.MaxValue parameters.</exception>
    public ParameterLayout(IReadOnlyList<int> layerSizes)
    {
        ArgumentNullException.ThrowIfNull(layerSizes);
        if (layerSizes.Count < 2)
        {
            throw new ArgumentException($"a network needs at least an input and an output size, got {layerSizes.Count} size(s)", nameof(layerSizes));
        }

        if (layerSizes.Any(s => s < 1))
        {
            throw new ArgumentException($"layer sizes must be at least 1, got {string.Join("-", layerSizes)}", nameof(layerSizes));
        }

        var list = new List<ParameterSegment>();
        long offset = 0;
        for (int l = 0; l + 1 < layerSizes.Count; l++)
        {
            int fanIn = layerSizes[l], fanOut = layerSizes[l + 1];
            long weights = (long)fanIn * fanOut;
            if (offset + weights + fanOut > int.MaxValue)
            {
                throw new ArgumentException($"the network {string.Join("-", layerSizes)} has more than {int.MaxValue} parameters", nameof(layerSizes));
            }

            list.Add(new ParameterSegment(l, ParameterKind.Weights, (int)offset, (int)weights, fanOut, fanIn, Regularized: true));
            offset += weights;
            list.Add(new ParameterSegment(l, ParameterKind.Biases, (int)offset, fanOut, fanOut, 1, Regularized: false));
            offset += fanOut;
        }

        segments = [.. list];
        Count = (int)offset;
    }

    /// <summary>Every segment, in vector order.</summary>
    public IReadOnlyList<ParameterSegment> Segments => segments;

    /// <summary>Length of the parameter vector.</summary>
    public int Count { get; }

    /// <summary>Layer l's weights segment.</summary>
    public ParameterSegment Weights(int layer) => segments[2 * layer];

    /// <summary>Layer l's biases segment.</summary>
    public ParameterSegment Biases(int layer) => segments[(2 * layer) + 1];

    /// <summary>The sum of squares of every regularized value (every weight, no bias): the sum W^2 of the ridge term.</summary>
    /// <exception cref="ArgumentException">Wrong length.</exception>
    public double RegularizedSumOfSquares<T>(ReadOnlySpan<T> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLength(parameters.Length);
        double sum = 0;
        foreach (ParameterSegment s in segments)
        {
            if (s.Regularized)
            {
                sum += double.CreateTruncating(TensorPrimitives.SumOfSquares(parameters.Slice(s.Offset, s.Length)));
            }
        }

        return sum;
    }

    /// <summary>gradient += scale * parameters on every regularized segment (the ridge gradient lambda/m W).</summary>
    /// <exception cref="ArgumentException">Wrong length.</exception>
    public void AddRegularizedMultiple<T>(ReadOnlySpan<T> parameters, T scale, Span<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLength(parameters.Length);
        CheckLength(gradient.Length);
        foreach (ParameterSegment s in segments)
        {
            if (s.Regularized)
            {
                Span<T> g = gradient.Slice(s.Offset, s.Length);
                TensorPrimitives.MultiplyAdd(parameters.Slice(s.Offset, s.Length), scale, g, g);
            }
        }
    }

    /// <summary>One flag per parameter: true where <see cref="ParameterSegment.Regularized"/> (AdamW's decay mask).</summary>
    public bool[] RegularizedMask()
    {
        var mask = new bool[Count];
        foreach (ParameterSegment s in segments)
        {
            mask.AsSpan(s.Offset, s.Length).Fill(s.Regularized);
        }

        return mask;
    }

    /// <summary>
    /// The vector cut into pieces of at most <paramref name="maxLength"/> values that never cross a
    /// segment, each with its segment's <see cref="ParameterSegment.Regularized"/> flag; the work
    /// items of a parallel sweep. Depends on the layout only, so sums taken piece by piece are added
    /// in the same order on any number of threads.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> below 1.</exception>
    public (int Start, int End, bool Regularized)[] Chunks(int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var chunks = new List<(int, int, bool)>();
        foreach (ParameterSegment s in segments)
        {
            for (int start = s.Offset; start < s.End; start += maxLength)
            {
                chunks.Add((start, Math.Min(s.End, start + maxLength), s.Regularized));
            }
        }

        return [.. chunks];
    }

    internal void CheckLength(int length)
    {
        if (length != Count)
        {
            throw new ArgumentException($"the parameter vector has {length} values, the layout needs {Count}");
        }
    }
}

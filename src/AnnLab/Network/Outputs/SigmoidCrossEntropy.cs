using System.Numerics;
using System.Numerics.Tensors;

namespace AnnLab.Network;

/// <summary>
/// The lab's output: independent sigmoid units h = 1 / (1 + e^-z) with the cross-entropy
/// C = -sum_k [y_k log h_k + (1 - y_k) log(1 - h_k)] (Ng's Machine Learning, exercise 4; Bishop,
/// PRML section 5.2), and delta = h - y.
/// </summary>
/// <remarks>
/// With h = sigmoid(z) each term equals softplus(z) - y z = max(z, 0) - y z + log(1 + e^-|z|), which is
/// what is computed: no log(0), so saturated outputs give finite costs where the textbook formula
/// gives NaN or infinity. A row's cost is sum_k softplus(z_k) - z_label, vectorized over the block.
/// </remarks>
public sealed class SigmoidCrossEntropy : OutputLayer
{
    /// <inheritdoc/>
    public override string Name => "sigmoid";

    /// <inheritdoc/>
    public override string CostName => "binary cross-entropy, summed over the output units (the lab's J)";

    /// <inheritdoc/>
    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> h, int k)
    {
        // TensorPrimitives.Sigmoid throws on empty spans.
        if (!z.IsEmpty)
        {
            TensorPrimitives.Sigmoid(z, h);
        }
    }

    /// <inheritdoc/>
    public override void SampleCosts<T>(ReadOnlySpan<T> z, ReadOnlySpan<byte> labels, Span<double> costs, Span<T> scratch, int k)
    {
        int length = z.Length;
        if (length == 0)
        {
            return;
        }

        Span<T> s = scratch[..length];
        Span<T> positive = scratch.Slice(length, length);
        TensorPrimitives.Abs(z, s);
        TensorPrimitives.Negate(s, s);
        TensorPrimitives.Exp(s, s);
        TensorPrimitives.LogP1(s, s);
        TensorPrimitives.Max(z, T.Zero, positive);
        TensorPrimitives.Add(s, positive, s);
        for (int i = 0; i < labels.Length; i++)
        {
            int row = i * k;
            costs[i] = double.CreateTruncating(TensorPrimitives.Sum<T>(s.Slice(row, k)) - z[row + labels[i]]);
        }
    }

    /// <inheritdoc/>
    public override double SampleCost(ReadOnlySpan<double> z, int label) => LabCost.SampleCost(z, label);
}

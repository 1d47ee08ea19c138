using System.Numerics;

namespace AnnLab.Network;

/// <summary>
/// Softmax over the outputs, h = e^(z - max z) / sum e^(z - max z), with the categorical
/// cross-entropy C = -log h_label = logsumexp(z) - z_label, taken around the largest z so no
/// exponential overflows and no log(0) is taken (Goodfellow, Bengio and Courville, Deep Learning,
/// section 6.2.2.3 and eq. 4.2); delta = h - y.
/// </summary>
public sealed class SoftmaxCrossEntropy : OutputLayer
{
    /// <inheritdoc/>
    public override string Name => "softmax";

    /// <inheritdoc/>
    public override string CostName => "categorical cross-entropy";

    /// <inheritdoc/>
    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> h, int k)
    {
        for (int row = 0; row + k <= z.Length; row += k)
        {
            LabCost.Softmax(z.Slice(row, k), h.Slice(row, k));
        }
    }

    /// <inheritdoc/>
    public override void SampleCosts<T>(ReadOnlySpan<T> z, ReadOnlySpan<byte> labels, Span<double> costs, Span<T> scratch, int k)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            costs[i] = LabCost.SoftmaxSampleCost(z.Slice(i * k, k), labels[i]);
        }
    }

    /// <inheritdoc/>
    public override double SampleCost(ReadOnlySpan<double> z, int label) => LabCost.SoftmaxSampleCost(z, label);
}

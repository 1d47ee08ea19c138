using System.Numerics;

namespace AnnLab.Network;

/// <summary>
/// An output layer with the cost that goes with it: the activation h = f(z) of the last layer's
/// pre-activations, each sample's cost C(z, y), and the delta dC/dz that backpropagation starts
/// from (Nielsen's network2.py <c>cost</c> classes, <c>fn</c> and <c>delta</c>). The instances are
/// in <see cref="OutputLayers"/>; one file each.
/// </summary>
/// <remarks>
/// Buffers hold rows of <c>k</c> values, one row per sample, row-major. Every method is generic:
/// the same code runs in float (training) and double (gradient checks), so the gradient check
/// tests what trains.
/// </remarks>
public abstract class OutputLayer
{
    /// <summary>The lab's sigmoid units with their cross-entropy.</summary>
    public static OutputLayer Sigmoid => OutputLayers.Sigmoid;

    /// <summary>Softmax with the categorical cross-entropy.</summary>
    public static OutputLayer Softmax => OutputLayers.Softmax;

    /// <summary>The name used on the command line and in model files, e.g. <c>sigmoid</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The cost in words, as Keras names its losses, e.g. <c>binary cross-entropy</c>.</summary>
    public abstract string CostName { get; }

    /// <summary>h = f(z), row by row.</summary>
    /// <param name="z">rows x k pre-activations.</param>
    /// <param name="h">rows x k outputs (may not overlap z).</param>
    /// <param name="k">Outputs per row (classes).</param>
    public abstract void Forward<T>(ReadOnlySpan<T> z, Span<T> h, int k) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Each row's cost C(z, y) with y one-hot at its label, computed from z so that no log(0) is taken.</summary>
    /// <param name="z">rows x k pre-activations.</param>
    /// <param name="labels">rows labels, each in 0..k-1.</param>
    /// <param name="costs">rows costs, written.</param>
    /// <param name="scratch">At least 2 x rows x k values of scratch space.</param>
    /// <param name="k">Outputs per row.</param>
    public abstract void SampleCosts<T>(ReadOnlySpan<T> z, ReadOnlySpan<byte> labels, Span<double> costs, Span<T> scratch, int k) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// delta = dC/dz, row by row. Both outputs here pair their activation with its matching cost,
    /// for which delta = h - y (Bishop, PRML eq. 5.18, for the logistic and the softmax cases); an
    /// output whose cost does not cancel the activation's derivative overrides this.
    /// </summary>
    /// <param name="h">rows x k outputs.</param>
    /// <param name="labels">rows labels.</param>
    /// <param name="delta">rows x k deltas, written.</param>
    /// <param name="k">Outputs per row.</param>
    public virtual void Delta<T>(ReadOnlySpan<T> h, ReadOnlySpan<byte> labels, Span<T> delta, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        h.CopyTo(delta);
        for (int i = 0; i < labels.Length; i++)
        {
            delta[(i * k) + labels[i]] -= T.One;
        }
    }

    /// <summary>One sample's cost in double by the textbook-stable formula: the scalar reference the vector form is tested against.</summary>
    /// <param name="z">k pre-activations.</param>
    /// <param name="label">The true class.</param>
    public abstract double SampleCost(ReadOnlySpan<double> z, int label);

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>The one table of output layers, by name (command line, model files).</summary>
public static class OutputLayers
{
    /// <summary>The lab's: independent sigmoid units, cost -sum_k [y_k log h_k + (1 - y_k) log(1 - h_k)].</summary>
    public static OutputLayer Sigmoid { get; } = new SigmoidCrossEntropy();

    /// <summary>Softmax over the outputs, cost -log h_label (categorical cross-entropy), from log-softmax.</summary>
    public static OutputLayer Softmax { get; } = new SoftmaxCrossEntropy();

    /// <summary>Every output layer, in the order the help text lists them.</summary>
    public static IReadOnlyList<OutputLayer> Available { get; } = [Sigmoid, Softmax];

    /// <summary>The names, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = Available.Select(o => o.Name).ToArray();

    /// <summary>The name of an output layer.</summary>
    public static string Name(OutputLayer output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Name;
    }

    /// <summary>The output layer called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static OutputLayer Parse(string name)
        => Available.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"unknown output layer '{name}'; expected one of: {string.Join(", ", Names)}", nameof(name));
}

using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace AnnLab.Network;

/// <summary>
/// A hidden-layer activation function g with its derivative g'. The vector forms work on spans of
/// float (training) or double (gradient checks); the scalar forms are for plots and tests.
/// </summary>
/// <remarks>
/// Derivatives are written in terms of the forward output where the math allows
/// (sigmoid a(1 - a), tanh 1 - a^2, elu a + 1, swish a + s(1 - a), selu a + lambda alpha), as
/// scikit-learn's <c>DERIVATIVES</c> table does.
/// <see cref="Activations"/> maps names to implementations.
/// </remarks>
public interface IActivation
{
    /// <summary>The name used on the command line and in model files, e.g. <c>sigmoid</c>.</summary>
    string Name { get; }

    /// <summary>a = g(z), element-wise. <paramref name="z"/> and <paramref name="a"/> have the same length and may be the same span.</summary>
    void Forward<T>(ReadOnlySpan<T> z, Span<T> a) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>delta = delta * g'(z), element-wise, given z and a = g(z) (all three the same length).</summary>
    void MultiplyByDerivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>g(z) for one value.</summary>
    double Value(double z);

    /// <summary>g'(z) for one value.</summary>
    double Derivative(double z);
}

/// <summary>The logistic sigmoid g(z) = 1 / (1 + e^-z), g' = a(1 - a). The lab's activation.</summary>
public readonly struct Sigmoid : IActivation
{
    /// <inheritdoc/>
    public string Name => "sigmoid";

    /// <inheritdoc/>
    public void Forward<T>(ReadOnlySpan<T> z, Span<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // TensorPrimitives.Sigmoid throws on empty spans.
        if (!z.IsEmpty)
        {
            TensorPrimitives.Sigmoid(z, a);
        }
    }

    /// <inheritdoc/>
    public void MultiplyByDerivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<T>.Count <= delta.Length; i += Vector256<T>.Count)
            {
                var av = Vector256.Create(a.Slice(i, Vector256<T>.Count));
                var dv = Vector256.Create(delta.Slice(i, Vector256<T>.Count));
                (dv * (av * (Vector256<T>.One - av))).CopyTo(delta.Slice(i, Vector256<T>.Count));
            }
        }

        for (; i < delta.Length; i++)
        {
            delta[i] *= a[i] * (T.One - a[i]);
        }
    }

    /// <inheritdoc/>
    public double Value(double z) => 1.0 / (1.0 + Math.Exp(-z));

    /// <inheritdoc/>
    public double Derivative(double z)
    {
        double a = Value(z);
        return a * (1.0 - a);
    }
}

/// <summary>The hyperbolic tangent g(z) = tanh z, g' = 1 - a^2.</summary>
public readonly struct Tanh : IActivation
{
    /// <inheritdoc/>
    public string Name => "tanh";

    /// <inheritdoc/>
    public void Forward<T>(ReadOnlySpan<T> z, Span<T> a) where T : unmanaged, IFloatingPointIeee754<T>
        => TensorPrimitives.Tanh(z, a);

    /// <inheritdoc/>
    public void MultiplyByDerivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<T>.Count <= delta.Length; i += Vector256<T>.Count)
            {
                var av = Vector256.Create(a.Slice(i, Vector256<T>.Count));
                var dv = Vector256.Create(delta.Slice(i, Vector256<T>.Count));
                (dv * (Vector256<T>.One - (av * av))).CopyTo(delta.Slice(i, Vector256<T>.Count));
            }
        }

        for (; i < delta.Length; i++)
        {
            delta[i] *= T.One - a[i] * a[i];
        }
    }

    /// <inheritdoc/>
    public double Value(double z) => Math.Tanh(z);

    /// <inheritdoc/>
    public double Derivative(double z)
    {
        double a = Math.Tanh(z);
        return 1.0 - a * a;
    }
}

/// <summary>The rectified linear unit g(z) = max(0, z), g' = 1 for z &gt; 0 else 0 (Nair and Hinton, 2010).</summary>
public readonly struct Relu : IActivation
{
    /// <inheritdoc/>
    public string Name => "relu";

    /// <inheritdoc/>
    public void Forward<T>(ReadOnlySpan<T> z, Span<T> a) where T : unmanaged, IFloatingPointIeee754<T>
        => TensorPrimitives.Max(z, T.Zero, a);

    /// <inheritdoc/>
    public void MultiplyByDerivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < delta.Length; i++)
        {
            if (!(z[i] > T.Zero))
            {
                delta[i] = T.Zero;
            }
        }
    }

    /// <inheritdoc/>
    public double Value(double z) => z > 0 ? z : 0;

    /// <inheritdoc/>
    public double Derivative(double z) => z > 0 ? 1 : 0;
}

/// <summary>The leaky ReLU g(z) = z for z &gt; 0 else 0.01 z (Maas, Hannun and Ng, 2013).</summary>
public readonly struct LeakyRelu : IActivation
{
    /// <summary>The slope for z &lt;= 0.</summary>
    public const double Slope = 0.01;

    /// <inheritdoc/>
    public string Name => "leaky-relu";

    /// <inheritdoc/>
    public void Forward<T>(ReadOnlySpan<T> z, Span<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T slope = T.CreateChecked(Slope);
        for (int i = 0; i < a.Length; i++)
        {
            T v = z[i];
            a[i] = v > T.Zero ? v : slope * v;
        }
    }

    /// <inheritdoc/>
    public void MultiplyByDerivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T slope = T.CreateChecked(Slope);
        for (int i = 0; i < delta.Length; i++)
        {
            if (!(z[i] > T.Zero))
            {
                delta[i] *= slope;
            }
        }
    }

    /// <inheritdoc/>
    public double Value(double z) => z > 0 ? z : Slope * z;

    /// <inheritdoc/>
    public double Derivative(double z) => z > 0 ? 1 : Slope;
}

/// <summary>The exponential linear unit g(z) = z for z &gt; 0 else e^z - 1, g' = 1 or a + 1 (Clevert, Unterthiner and Hochreiter, 2015; alpha = 1).</summary>
public readonly struct Elu : IActivation
{
    /// <inheritdoc/>
    public string Name => "elu";

    /// <inheritdoc/>
    public void Forward<T>(ReadOnlySpan<T> z, Span<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < a.Length; i++)
        {
            T v = z[i];
            a[i] = v > T.Zero ? v : T.ExpM1(v);
        }
    }

    /// <inheritdoc/>
    public void MultiplyByDerivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < delta.Length; i++)
        {
            if (!(z[i] > T.Zero))
            {
                delta[i] *= a[i] + T.One;
            }
        }
    }

    /// <inheritdoc/>
    public double Value(double z) => z > 0 ? z : Math.Exp(z) - 1.0;

    /// <inheritdoc/>
    public double Derivative(double z) => z > 0 ? 1 : Math.Exp(z);
}

/// <summary>The one table that maps activation names (command line, model files) to implementations.</summary>
public static class Activations
{
    /// <summary>Elements per stack buffer in the vector forms that need scratch space (2 KB of double).</summary>
    internal const int ChunkLength = 256;

    private static readonly IActivation[] All =
    [
        new Sigmoid(), new Tanh(), new Relu(), new LeakyRelu(), new Elu(),
        new Softplus(), new Swish(), new Gelu(), new Selu(), new Identity(),
    ];

    /// <summary>Other names <see cref="Get"/> accepts, each with the name it stands for.</summary>
    private static readonly (string Alias, string Name)[] Aliases = [("silu", "swish")];

    /// <summary>Every hidden activation, in the order the help text lists them.</summary>
    public static IReadOnlyList<IActivation> Available => All;

    /// <summary>The names of <see cref="Available"/>, the ones model files store. <see cref="Get"/> also accepts <c>silu</c> for <c>swish</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(a => a.Name).ToArray();

    /// <summary>Looks an activation up by name or alias (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No activation has that name; the message lists the valid names.</exception>
    public static IActivation Get(string name)
        => TryGet(name, out IActivation? activation)
            ? activation
            : throw new ArgumentException($"unknown activation '{name}'; expected one of: {string.Join(", ", Names)} (or {string.Join(", ", Aliases.Select(a => $"{a.Alias} for {a.Name}"))})", nameof(name));

    /// <summary>Looks an activation up by name or alias (case-insensitive), without throwing.</summary>
    /// <returns>Whether <paramref name="name"/> names an activation.</returns>
    public static bool TryGet(string? name, [NotNullWhen(true)] out IActivation? activation)
    {
        foreach ((string alias, string canonical) in Aliases)
        {
            if (string.Equals(alias, name, StringComparison.OrdinalIgnoreCase))
            {
                name = canonical;
            }
        }

        foreach (IActivation a in All)
        {
            if (string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                activation = a;
                return true;
            }
        }

        activation = null;
        return false;
    }
}

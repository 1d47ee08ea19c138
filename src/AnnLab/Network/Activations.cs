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

/// <summary>
/// The softplus g(z) = log(1 + e^z), a smooth ReLU, g' = sigmoid(z) (Dugas, Bengio, Belisle, Nadeau
/// and Garcia, "Incorporating second-order functional knowledge for better option pricing", NIPS 2001).
/// </summary>
/// <remarks>
/// Computed as max(z, 0) + log1p(e^-|z|), which neither overflows for large z (softplus(800) = 800)
/// nor loses the tiny values of very negative z (softplus(-40) = 4.2e-18, not 0). The derivative
/// uses sigmoid(z) rather than the equal 1 - e^-a: for very negative z, a is tiny and 1 - e^-a
/// cancels to a few digits, or to 0.
/// </remarks>
public readonly struct Softplus : IActivation
{
    /// <inheritdoc/>
    public string Name => "softplus";

    /// <inheritdoc/>
    public void Forward<T>(ReadOnlySpan<T> z, Span<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < a.Length; i++)
        {
            T v = z[i];
            a[i] = T.Max(v, T.Zero) + SpecialFunctions.Log1P(T.Exp(-T.Abs(v)));
        }
    }

    /// <inheritdoc/>
    public void MultiplyByDerivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> sigmoid = stackalloc T[Activations.ChunkLength];
        for (int i = 0; i < delta.Length; i += sigmoid.Length)
        {
            int n = Math.Min(sigmoid.Length, delta.Length - i);
            Span<T> d = delta.Slice(i, n), s = sigmoid[..n];
            TensorPrimitives.Sigmoid(z.Slice(i, n), s);
            TensorPrimitives.Multiply(d, s, d);
        }
    }

    /// <inheritdoc/>
    public double Value(double z) => Math.Max(z, 0) + SpecialFunctions.Log1P(Math.Exp(-Math.Abs(z)));

    /// <inheritdoc/>
    public double Derivative(double z) => 1.0 / (1.0 + Math.Exp(-z));
}

/// <summary>
/// The swish or SiLU (sigmoid-weighted linear unit) g(z) = z sigmoid(z) = z s, g' = s + z s (1 - s)
/// = a + s (1 - a) (Ramachandran, Zoph and Le, "Searching for activation functions", 2017,
/// arXiv:1710.05941, with beta = 1; Elfwing, Uchibe and Doya, "Sigmoid-weighted linear units for
/// neural network function approximation in reinforcement learning", Neural Networks 107, 2018).
/// <see cref="Activations.Get"/> also accepts the name <c>silu</c>.
/// </summary>
public readonly struct Swish : IActivation
{
    /// <inheritdoc/>
    public string Name => "swish";

    /// <inheritdoc/>
    public void Forward<T>(ReadOnlySpan<T> z, Span<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // s goes to its own buffer, not to a: a may be z, still needed for z s.
        Span<T> sigmoid = stackalloc T[Activations.ChunkLength];
        for (int i = 0; i < a.Length; i += sigmoid.Length)
        {
            int n = Math.Min(sigmoid.Length, a.Length - i);
            ReadOnlySpan<T> zi = z.Slice(i, n);
            Span<T> s = sigmoid[..n];
            TensorPrimitives.Sigmoid(zi, s);
            TensorPrimitives.Multiply(zi, s, a.Slice(i, n));
        }
    }

    /// <inheritdoc/>
    public void MultiplyByDerivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> sigmoid = stackalloc T[Activations.ChunkLength];
        Span<T> oneMinusA = stackalloc T[Activations.ChunkLength];
        for (int i = 0; i < delta.Length; i += sigmoid.Length)
        {
            int n = Math.Min(sigmoid.Length, delta.Length - i);
            ReadOnlySpan<T> ai = a.Slice(i, n);
            Span<T> d = delta.Slice(i, n), s = sigmoid[..n], c = oneMinusA[..n];
            TensorPrimitives.Sigmoid(z.Slice(i, n), s);
            TensorPrimitives.Subtract(T.One, ai, c);
            TensorPrimitives.MultiplyAdd(s, c, ai, s);  // g' = s (1 - a) + a
            TensorPrimitives.Multiply(d, s, d);
        }
    }

    /// <inheritdoc/>
    public double Value(double z) => z / (1.0 + Math.Exp(-z));

    /// <inheritdoc/>
    public double Derivative(double z)
    {
        double s = 1.0 / (1.0 + Math.Exp(-z));
        return s + (z * s * (1.0 - s));
    }
}

/// <summary>
/// The Gaussian error linear unit in its exact form g(z) = z Phi(z) = z (1 + erf(z / sqrt 2)) / 2,
/// g' = Phi(z) + z phi(z) = a / z + z phi(z), with Phi and phi the standard normal distribution and density (Hendrycks
/// and Gimpel, "Gaussian error linear units (GELUs)", 2016, arXiv:1606.08415). Not the tanh
/// approximation.
/// </summary>
/// <remarks>
/// Phi comes from <see cref="SpecialFunctions.NormalCdf"/> (Cody's erfc), accurate to about 1e-16,
/// so the gradient check sees no approximation error. Both vector forms compute in double, element
/// by element, also for float; the derivative takes Phi(z) as a / z from the forward output, which
/// costs one exp instead of another erfc (in float, a / z carries a's rounding, 6e-8 relative).
/// </remarks>
public readonly struct Gelu : IActivation
{
    /// <inheritdoc/>
    public string Name => "gelu";

    /// <inheritdoc/>
    public void Forward<T>(ReadOnlySpan<T> z, Span<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = T.CreateTruncating(Value(double.CreateTruncating(z[i])));
        }
    }

    /// <inheritdoc/>
    public void MultiplyByDerivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < delta.Length; i++)
        {
            // Phi(z) = a / z saves a second erfc; at z = 0, Phi = 1/2.
            double v = double.CreateTruncating(z[i]);
            double cdf = v == 0 ? 0.5 : double.CreateTruncating(a[i]) / v;
            delta[i] = T.CreateTruncating(double.CreateTruncating(delta[i]) * (cdf + (v * SpecialFunctions.NormalPdf(v))));
        }
    }

    /// <inheritdoc/>
    public double Value(double z) => z * SpecialFunctions.NormalCdf(z);

    /// <inheritdoc/>
    public double Derivative(double z) => SpecialFunctions.NormalCdf(z) + (z * SpecialFunctions.NormalPdf(z));
}

/// <summary>
/// The scaled exponential linear unit g(z) = lambda z for z &gt; 0 else lambda alpha (e^z - 1),
/// g' = lambda or lambda alpha e^z = a + lambda alpha (Klambauer, Unterthiner, Mayr and Hochreiter,
/// "Self-normalizing neural networks", NeurIPS 2017).
/// </summary>
/// <remarks>
/// <see cref="Lambda"/> and <see cref="Alpha"/> are the paper's values for zero mean and unit
/// variance, which make activations self-normalizing when the weights are drawn from N(0, 1 / fanIn)
/// (LeCun normal); the <c>he</c> initialization (N(0, 2 / fanIn)) is the nearest one in
/// <see cref="Initializers"/>.
/// </remarks>
public readonly struct Selu : IActivation
{
    /// <summary>The scale lambda (Klambauer et al. 2017, eq. 14).</summary>
    public const double Lambda = 1.0507009873554804934193349852946;

    /// <summary>The negative saturation alpha (Klambauer et al. 2017, eq. 14).</summary>
    public const double Alpha = 1.6732632423543772848170429916717;

    /// <inheritdoc/>
    public string Name => "selu";

    /// <inheritdoc/>
    public void Forward<T>(ReadOnlySpan<T> z, Span<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T lambda = T.CreateChecked(Lambda), lambdaAlpha = T.CreateChecked(Lambda * Alpha);
        for (int i = 0; i < a.Length; i++)
        {
            T v = z[i];
            a[i] = v > T.Zero ? lambda * v : lambdaAlpha * SpecialFunctions.ExpM1(v);
        }
    }

    /// <inheritdoc/>
    public void MultiplyByDerivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T lambda = T.CreateChecked(Lambda), lambdaAlpha = T.CreateChecked(Lambda * Alpha);
        for (int i = 0; i < delta.Length; i++)
        {
            delta[i] *= z[i] > T.Zero ? lambda : a[i] + lambdaAlpha;
        }
    }

    /// <inheritdoc/>
    public double Value(double z) => z > 0 ? Lambda * z : Lambda * Alpha * SpecialFunctions.ExpM1(z);

    /// <inheritdoc/>
    public double Derivative(double z) => z > 0 ? Lambda : Lambda * Alpha * Math.Exp(z);
}

/// <summary>
/// The identity g(z) = z, g' = 1: hidden layers without a nonlinearity, so the whole network is
/// logistic regression on a linear map of the inputs; a baseline for the nonlinear ones.
/// </summary>
public readonly struct Identity : IActivation
{
    /// <inheritdoc/>
    public string Name => "identity";

    /// <inheritdoc/>
    public void Forward<T>(ReadOnlySpan<T> z, Span<T> a) where T : unmanaged, IFloatingPointIeee754<T>
        => z.CopyTo(a);

    /// <inheritdoc/>
    public void MultiplyByDerivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // g' = 1: delta stays as it is.
    }

    /// <inheritdoc/>
    public double Value(double z) => z;

    /// <inheritdoc/>
    public double Derivative(double z) => 1;
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

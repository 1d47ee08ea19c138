using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace AnnLab.Network;

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

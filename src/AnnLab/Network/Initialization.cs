using System.Numerics;

namespace AnnLab.Network;

/// <summary>
/// A way to draw a network's initial weights and biases. <see cref="Initializers"/> maps names
/// (command line) to implementations.
/// </summary>
public interface IInitializer
{
    /// <summary>The name used on the command line, e.g. <c>glorot</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Fills <paramref name="parameters"/> (the network's flat vector, <see cref="NeuralNetwork.ParameterCount"/>
    /// values) from <c>new Random(seed)</c>: the same seed gives the same numbers.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="parameters"/> has the wrong length.</exception>
    void Initialize<T>(NeuralNetwork network, Span<T> parameters, int seed) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>
/// The lab's initialization: every weight and bias uniform in [-epsilon, epsilon], epsilon = 0.12 by
/// default (Ng's Machine Learning, exercise 4, <c>randInitializeWeights</c>). Exactly the numbers of
/// <see cref="NeuralNetwork.Initialize{T}"/>, which it calls.
/// </summary>
public sealed class UniformInitializer : IInitializer
{
    /// <summary>The lab's epsilon_init.</summary>
    public const double DefaultEpsilon = 0.12;

    /// <summary>Creates the initializer.</summary>
    /// <param name="epsilon">Half-width of the interval; finite and &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is not finite and positive.</exception>
    public UniformInitializer(double epsilon = DefaultEpsilon)
    {
        if (!(epsilon > 0) || !double.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"epsilon must be finite and > 0, got {epsilon}");
        }

        Epsilon = epsilon;
    }

    /// <summary>Half-width of the interval.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public string Name => "uniform";

    /// <inheritdoc/>
    public void Initialize<T>(NeuralNetwork network, Span<T> parameters, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Initialize(parameters, Epsilon, seed);
    }
}

/// <summary>
/// Glorot (Xavier) uniform: layer l's weights uniform in [-r, r], r = sqrt(6 / (fanIn + fanOut)),
/// so their variance is 2 / (fanIn + fanOut); biases 0 (Glorot and Bengio, "Understanding the
/// difficulty of training deep feedforward neural networks", AISTATS 2010, eq. 16, the "normalized
/// initialization"). Made for tanh and sigmoid units.
/// </summary>
/// <remarks>Weights are drawn layer after layer, in parameter-vector order, from one <c>new Random(seed)</c>.</remarks>
public sealed class GlorotUniformInitializer : IInitializer
{
    /// <inheritdoc/>
    public string Name => "glorot";

    /// <summary>The half-width r = sqrt(6 / (fanIn + fanOut)) of layer <paramref name="layer"/>'s weights.</summary>
    public static double Limit(NeuralNetwork network, int layer)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Math.Sqrt(6.0 / (network.FanIn(layer) + network.FanOut(layer)));
    }

    /// <inheritdoc/>
    public void Initialize<T>(NeuralNetwork network, Span<T> parameters, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        InitializerSegments.FillWeightsClearBiases(network, parameters, seed, (values, layer, random) =>
        {
            double r = Limit(network, layer);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = T.CreateChecked(((random.NextDouble() * 2) - 1) * r);
            }
        });
    }
}

/// <summary>
/// He (Kaiming) normal: layer l's weights from N(0, 2 / fanIn), biases 0 (He, Zhang, Ren and Sun,
/// "Delving deep into rectifiers", ICCV 2015, eq. 10: keeps the variance of ReLU layers' outputs
/// constant from layer to layer). Made for ReLU-like units.
/// </summary>
/// <remarks>
/// Normal deviates come in pairs from the Box-Muller transform of two uniforms from one
/// <c>new Random(seed)</c> (Box and Muller, "A note on the generation of random normal deviates",
/// Ann. Math. Statist. 29, 1958): sqrt(-2 ln u1) (cos 2 pi u2, sin 2 pi u2), u1 in (0, 1]. Weights are
/// filled layer after layer in parameter-vector order; a layer with an odd number of weights drops
/// the last pair's second deviate. Not truncated.
/// </remarks>
public sealed class HeNormalInitializer : IInitializer
{
    /// <inheritdoc/>
    public string Name => "he";

    /// <summary>The standard deviation sqrt(2 / fanIn) of layer <paramref name="layer"/>'s weights.</summary>
    public static double StandardDeviation(NeuralNetwork network, int layer)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Math.Sqrt(2.0 / network.FanIn(layer));
    }

    /// <inheritdoc/>
    public void Initialize<T>(NeuralNetwork network, Span<T> parameters, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        InitializerSegments.FillWeightsClearBiases(network, parameters, seed, (w, layer, random) =>
        {
            double sd = StandardDeviation(network, layer);
            for (int i = 0; i < w.Length; i += 2)
            {
                double radius = sd * Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
                (double sin, double cos) = Math.SinCos(2.0 * Math.PI * random.NextDouble());
                w[i] = T.CreateChecked(radius * cos);
                if (i + 1 < w.Length)
                {
                    w[i + 1] = T.CreateChecked(radius * sin);
                }
            }
        });
    }
}

// What Glorot and He share: the layout's weight segments filled in vector order from one
// new Random(seed), the bias segments set to 0.
internal static class InitializerSegments
{
    public delegate void WeightFiller<T>(Span<T> weights, int layer, Random random);

    public static void FillWeightsClearBiases<T>(NeuralNetwork network, Span<T> parameters, int seed, WeightFiller<T> fill) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        network.CheckLength(parameters.Length);
        var random = new Random(seed);
        foreach (ParameterSegment segment in network.Layout.Segments)
        {
            Span<T> values = parameters.Slice(segment.Offset, segment.Length);
            if (segment.Kind == ParameterKind.Weights)
            {
                fill(values, segment.Layer, random);
            }
            else
            {
                values.Clear();
            }
        }
    }
}

/// <summary>The one table that maps initialization names (command line) to implementations.</summary>
public static class Initializers
{
    private static readonly (string Name, Func<double, IInitializer> Create)[] All =
    [
        ("uniform", epsilon => new UniformInitializer(epsilon)),
        ("glorot", _ => new GlorotUniformInitializer()),
        ("he", _ => new HeNormalInitializer()),
    ];

    /// <summary>The names accepted by <see cref="Get"/>: <c>uniform</c> (the lab's), <c>glorot</c>, <c>he</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(i => i.Name).ToArray();

    /// <summary>Looks an initialization up by name (case-insensitive).</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="epsilon">Half-width for <c>uniform</c>; the others ignore it.</param>
    /// <exception cref="ArgumentException">No initialization has that name; the message lists the valid names.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><c>uniform</c> with an epsilon that is not finite and positive.</exception>
    public static IInitializer Get(string name, double epsilon = UniformInitializer.DefaultEpsilon)
    {
        foreach ((string candidate, Func<double, IInitializer> create) in All)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return create(epsilon);
            }
        }

        throw new ArgumentException($"unknown initialization '{name}'; expected one of: {string.Join(", ", Names)}", nameof(name));
    }
}

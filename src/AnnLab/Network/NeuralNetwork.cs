using System.Numerics;

namespace AnnLab.Network;

/// <summary>
/// A fully connected feed-forward network: its layer sizes, its hidden activation and the layout
/// of all its weights and biases in one flat parameter vector (the lab's "unrolled theta").
/// Holds no parameters itself: they live in a <c>float[]</c> (or <c>double[]</c>) the caller owns,
/// so optimizers see one vector.
/// </summary>
/// <remarks>
/// <para>Layer sizes are input, hidden..., output; the lab's network is its images' pixels, 25 hidden units and its 10 classes. Layer
/// <c>l</c> (0-based, <see cref="LayerCount"/> of them) maps <c>fanIn = LayerSizes[l]</c> inputs to
/// <c>fanOut = LayerSizes[l + 1]</c> units.</para>
/// <para>Layout, layer after layer in order: layer l's weights, <c>fanOut x fanIn</c> row-major
/// (row j holds unit j's incoming weights, contiguous, so the forward pass is a dot product of an
/// input row with a weight row), then its <c>fanOut</c> biases.</para>
/// <para>The lab's view of layer l is the matrix Theta_(l+1) of shape <c>(fanIn + 1) x fanOut</c>
/// with row 0 = biases: Theta[0, j] = bias j, Theta[p + 1, j] = weight of input p into unit j
/// (Theta1 is 785 x 25 and Theta2 26 x 10 for the lab). <see cref="ToLabMatrix{T}"/> and
/// <see cref="FromLabUnrolled{T}"/> convert.</para>
/// <para>Hidden layers use <see cref="HiddenActivation"/>; the output layer and its cost are
/// <see cref="Output"/>. <see cref="Layout"/> is the table of parameter segments;
/// <see cref="Backpropagation{T}"/> builds the layer list (dense, activation, ..., dense) from this
/// description.</para>
/// </remarks>
public sealed class NeuralNetwork
{
    private readonly int[] sizes;
    private readonly LayerSpec[] layers;
    private readonly int[] inputShape;

    /// <summary>Creates the network for the given layer sizes: dense, activation, ..., dense.</summary>
    /// <param name="layerSizes">Input size, hidden sizes..., output size: at least two entries, each at least 1.</param>
    /// <param name="hiddenActivation">Activation of every hidden layer.</param>
    /// <param name="output">The output layer and its cost (<see cref="OutputLayers"/>); null for the lab's sigmoid units.</param>
    /// <param name="inputShape">The shape of one input, e.g. rows and columns of an image, whose product is the input size; null for a flat vector.</param>
    /// <exception cref="ArgumentException">Fewer than two sizes, a size below 1, more than int.MaxValue parameters, or a shape whose product is not the input size.</exception>
    public NeuralNetwork(IReadOnlyList<int> layerSizes, IActivation hiddenActivation, OutputLayer? output = null, IReadOnlyList<int>? inputShape = null)
        : this(inputShape ?? (layerSizes is { Count: > 0 } ? [layerSizes[0]] : []), Describe(layerSizes, hiddenActivation), output ?? OutputLayers.Sigmoid, layerSizes)
    {
    }

    /// <summary>Creates the network from its description.</summary>
    /// <param name="inputShape">The shape of one input (e.g. [rows, columns]); its product is the input size.</param>
    /// <param name="layers">The layers in order: the first and the last a <see cref="DenseSpec"/> (the last one's units are the classes).</param>
    /// <param name="output">The output layer and its cost.</param>
    /// <exception cref="ArgumentException">An empty or non-positive shape, no layers, a first or last layer that is not dense, a dense layer of fewer than 1 unit, a dropout rate outside [0, 1), more than <see cref="MaxWeightLayers"/> dense layers, or more than int.MaxValue parameters.</exception>
    public NeuralNetwork(IReadOnlyList<int> inputShape, IReadOnlyList<LayerSpec> layers, OutputLayer output)
        : this(inputShape, layers, output, null)
    {
    }

    /// <summary>
    /// The most dense (weight) layers a network has: the one limit that the hidden-layer option
    /// (at most this less one hidden layers) and <see cref="ModelFile.Load"/> both apply, so every
    /// network that can be trained can be read back.
    /// </summary>
    public const int MaxWeightLayers = 1000;

    private NeuralNetwork(IReadOnlyList<int> inputShape, IReadOnlyList<LayerSpec> layers, OutputLayer output, IReadOnlyList<int>? layerSizes)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(output);
        if (inputShape.Count == 0 || inputShape.Any(d => d < 1) || inputShape.Aggregate(1L, (p, d) => p * d) > int.MaxValue)
        {
            throw new ArgumentException($"an input shape needs 1 or more dimensions of at least 1, got [{string.Join(", ", inputShape)}]", nameof(inputShape));
        }

        if (layers.Count == 0 || layers[0] is not DenseSpec || layers[^1] is not DenseSpec)
        {
            throw new ArgumentException($"a network's layers start and end with a dense layer, got [{string.Join(", ", layers.Select(l => l.Kind))}]", nameof(layers));
        }

        int dense = layers.Count(l => l is DenseSpec);
        if (dense > MaxWeightLayers)
        {
            throw new ArgumentException($"a network has at most {MaxWeightLayers} dense layers, got {dense}", nameof(layers));
        }

        foreach (LayerSpec layer in layers)
        {
            if (layer is DropoutSpec { Rate: var rate } && !(rate >= 0 && rate < 1))
            {
                throw new ArgumentException($"a dropout rate must be in [0, 1), got {rate}", nameof(layers));
            }

            if (layer is ActivationSpec { Function: null })
            {
                throw new ArgumentException("an activation layer needs a function", nameof(layers));
            }
        }

        int inputSize = (int)inputShape.Aggregate(1L, (p, d) => p * d);
        sizes = [inputSize, .. layers.OfType<DenseSpec>().Select(d => d.Units)];
        if (layerSizes is not null && layerSizes[0] != inputSize)
        {
            throw new ArgumentException($"the input shape [{string.Join(", ", inputShape)}] holds {inputSize} values, the first layer size is {layerSizes[0]}", nameof(inputShape));
        }

        Layout = new ParameterLayout(sizes);
        this.layers = [.. layers];
        this.inputShape = [.. inputShape];
        HiddenActivation = layers.OfType<ActivationSpec>().FirstOrDefault()?.Function ?? new Identity();
        Output = output;
    }

    /// <summary>The shape of one input (e.g. [28, 28] for the lab's images); its product is <see cref="InputSize"/>.</summary>
    public IReadOnlyList<int> InputShape => inputShape;

    /// <summary>The description: the layers in order, the output layer not included.</summary>
    public IReadOnlyList<LayerSpec> Layers => layers;

    /// <summary>What each slice of the flat parameter vector is: the one table for L2, weight decay, initialization and the update sweep.</summary>
    public ParameterLayout Layout { get; }

    /// <summary>Input size, hidden sizes..., output size.</summary>
    public IReadOnlyList<int> LayerSizes => sizes;

    /// <summary>Number of weight layers (one less than the number of sizes).</summary>
    public int LayerCount => sizes.Length - 1;

    /// <summary>Number of inputs (the pixels of an image: the product of <see cref="InputShape"/>).</summary>
    public int InputSize => sizes[0];

    /// <summary>Number of output units (classes).</summary>
    public int OutputSize => sizes[^1];

    /// <summary>The activation of the hidden layers (the first <see cref="ActivationSpec"/>; identity when there is none).</summary>
    public IActivation HiddenActivation { get; }

    /// <summary>The output layer and its cost.</summary>
    public OutputLayer Output { get; }

    /// <summary>The output layer's name: <c>sigmoid</c> or <c>softmax</c>.</summary>
    public string OutputActivationName => Output.Name;

    /// <summary>Length of the flat parameter vector: sum over layers of (fanIn + 1) * fanOut.</summary>
    public int ParameterCount => Layout.Count;

    /// <summary>
    /// Floating-point operations (multiplies and adds) to train on one sample: the forward products
    /// 2 fanIn fanOut per layer, the weight gradients as many again, and the deltas passed back
    /// through every layer but the first (2 fanIn fanOut each); element-wise work not counted.
    /// About 80,000 for the lab's network.
    /// </summary>
    public long TrainingFlopsPerSample
    {
        get
        {
            long flops = 0;
            for (int l = 0; l < LayerCount; l++)
            {
                long product = 2L * sizes[l] * sizes[l + 1];
                flops += (l == 0 ? 2 : 3) * product;
            }

            return flops;
        }
    }

    /// <summary>fanIn of layer l.</summary>
    public int FanIn(int layer) => sizes[layer];

    /// <summary>fanOut of layer l.</summary>
    public int FanOut(int layer) => sizes[layer + 1];

    /// <summary>Offset of layer l's weights in the parameter vector.</summary>
    public int WeightsOffset(int layer) => Layout.Weights(layer).Offset;

    /// <summary>Offset of layer l's biases in the parameter vector.</summary>
    public int BiasesOffset(int layer) => Layout.Biases(layer).Offset;

    /// <summary>Layer l's weights, fanOut x fanIn row-major, as a view of <paramref name="parameters"/>.</summary>
    public Span<T> Weights<T>(Span<T> parameters, int layer) => parameters.Slice(WeightsOffset(layer), sizes[layer] * sizes[layer + 1]);

    /// <inheritdoc cref="Weights{T}(Span{T}, int)"/>
    public ReadOnlySpan<T> Weights<T>(ReadOnlySpan<T> parameters, int layer) => parameters.Slice(WeightsOffset(layer), sizes[layer] * sizes[layer + 1]);

    /// <summary>Layer l's biases (fanOut) as a view of <paramref name="parameters"/>.</summary>
    public Span<T> Biases<T>(Span<T> parameters, int layer) => parameters.Slice(BiasesOffset(layer), sizes[layer + 1]);

    /// <inheritdoc cref="Biases{T}(Span{T}, int)"/>
    public ReadOnlySpan<T> Biases<T>(ReadOnlySpan<T> parameters, int layer) => parameters.Slice(BiasesOffset(layer), sizes[layer + 1]);

    /// <summary>A short description: the layer sizes joined by dashes, then the activation (e.g. <c>4-5-3 sigmoid</c>), the output when not sigmoid, the dropout rate.</summary>
    public override string ToString()
    {
        string activations = string.Join("/", layers.OfType<ActivationSpec>().Select(a => a.Function.Name).Distinct());
        string dropout = layers.OfType<DropoutSpec>().FirstOrDefault() is { } d ? $" dropout {d.Rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "";
        return $"{string.Join("-", sizes)} {(activations.Length > 0 ? activations : HiddenActivation.Name)}" + (Output == OutputLayers.Sigmoid ? "" : " " + Output.Name) + dropout;
    }

    /// <summary>
    /// The lab's random initialization: every weight and bias drawn uniformly from
    /// [-epsilon, epsilon] (the lab's epsilon_init = 0.12), in parameter-vector order, from
    /// <c>new Random(seed)</c>: the same seed gives the same numbers.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong length, or epsilon not finite and positive.</exception>
    public void Initialize<T>(Span<T> parameters, double epsilon, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLength(parameters.Length);
        if (!(epsilon > 0) || !double.IsFinite(epsilon))
        {
            throw new ArgumentException($"epsilon must be finite and > 0, got {epsilon}", nameof(epsilon));
        }

        var random = new Random(seed);
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = T.CreateChecked(((random.NextDouble() * 2) - 1) * epsilon);
        }
    }

    /// <summary>Layer l in the lab's notation: Theta of shape (fanIn + 1) x fanOut, row 0 = biases.</summary>
    /// <exception cref="ArgumentException">The parameter vector has the wrong length.</exception>
    public double[,] ToLabMatrix<T>(ReadOnlySpan<T> parameters, int layer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLength(parameters.Length);
        int fanIn = sizes[layer], fanOut = sizes[layer + 1];
        ReadOnlySpan<T> w = Weights(parameters, layer);
        ReadOnlySpan<T> b = Biases(parameters, layer);
        var theta = new double[fanIn + 1, fanOut];
        for (int j = 0; j < fanOut; j++)
        {
            theta[0, j] = double.CreateChecked(b[j]);
            for (int p = 0; p < fanIn; p++)
            {
                theta[p + 1, j] = double.CreateChecked(w[(j * fanIn) + p]);
            }
        }

        return theta;
    }

    /// <summary>
    /// Converts the lab's unrolled theta (Theta1 flattened row-major, then Theta2, ...; each
    /// (fanIn + 1) x fanOut with row 0 = biases, as NumPy's <c>ravel</c> gives) into this layout.
    /// </summary>
    /// <exception cref="ArgumentException">Either vector has the wrong length.</exception>
    public void FromLabUnrolled<T>(ReadOnlySpan<double> theta, Span<T> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLength(parameters.Length);
        if (theta.Length != ParameterCount)
        {
            throw new ArgumentException($"the unrolled theta has {theta.Length} values, the network {this} needs {ParameterCount}", nameof(theta));
        }

        int t = 0;
        for (int l = 0; l < LayerCount; l++)
        {
            int fanIn = sizes[l], fanOut = sizes[l + 1];
            Span<T> w = Weights(parameters, l);
            Span<T> b = Biases(parameters, l);
            for (int row = 0; row <= fanIn; row++)
            {
                for (int j = 0; j < fanOut; j++, t++)
                {
                    T v = T.CreateChecked(theta[t]);
                    if (row == 0)
                    {
                        b[j] = v;
                    }
                    else
                    {
                        w[(j * fanIn) + row - 1] = v;
                    }
                }
            }
        }
    }

    // dense, activation, dense, activation, ..., dense.
    private static LayerSpec[] Describe(IReadOnlyList<int> layerSizes, IActivation hiddenActivation)
    {
        ArgumentNullException.ThrowIfNull(layerSizes);
        ArgumentNullException.ThrowIfNull(hiddenActivation);
        _ = new ParameterLayout(layerSizes); // checks the sizes, with its messages
        var specs = new List<LayerSpec>();
        for (int l = 1; l < layerSizes.Count; l++)
        {
            specs.Add(new DenseSpec(layerSizes[l]));
            if (l < layerSizes.Count - 1)
            {
                specs.Add(new ActivationSpec(hiddenActivation));
            }
        }

        return [.. specs];
    }

    internal void CheckLength(int length)
    {
        if (length != Layout.Count)
        {
            throw new ArgumentException($"the parameter vector has {length} values, the network {this} needs {ParameterCount}");
        }
    }
}

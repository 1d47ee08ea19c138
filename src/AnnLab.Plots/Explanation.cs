namespace AnnLab.Plots;

/// <summary>
/// One image's path through a network, for <see cref="Figures.Explain"/>: the lab's one hidden layer (the image's
/// pixels, 25 hidden units, one output per class) or more (<see cref="DeeperLayers"/>). "units" below is the number
/// of units of the first hidden layer (25 in the lab), "last units" that of the last hidden layer (the same layer when
/// there is one), "classes" the number of outputs (the data set's class count), "pixels" =
/// <paramref name="ImageRows"/> x <paramref name="ImageColumns"/>.
/// </summary>
/// <param name="Index">The image's index in its set, shown in the title.</param>
/// <param name="Image">pixels bytes, row-major, 0 black .. 255 white.</param>
/// <param name="ImageRows">Image height in pixels.</param>
/// <param name="ImageColumns">Image width in pixels.</param>
/// <param name="TrueClass">The label, 0 .. classes - 1.</param>
/// <param name="PredictedClass">The network's answer (the output with the largest h), 0 .. classes - 1.</param>
/// <param name="ClassNames">classes names, one per output unit.</param>
/// <param name="HiddenPreActivations">units values: z of the (first) hidden layer.</param>
/// <param name="HiddenActivations">units values: a = g(z) of the (first) hidden layer.</param>
/// <param name="HiddenWeights">units x pixels: each hidden unit's incoming weights, unit j's contiguous
/// (the first layer's weights in AnnLab's layout, fanOut x fanIn row-major; the lab's Theta1 without its bias row, transposed).</param>
/// <param name="OutputWeightsCompared">last units values: the weights from each unit of the last hidden layer into output <see cref="ComparedClass"/>
/// (class 0 unless that is the predicted one), drawn beside the predicted class's.</param>
/// <param name="OutputWeightsPredicted">last units values: the weights from each unit of the last hidden layer into output <paramref name="PredictedClass"/>.</param>
/// <param name="OutputScores">classes values: the output layer's z.</param>
/// <param name="OutputProbabilities">classes values: the output layer's h = sigmoid(z).</param>
public sealed record Explanation(
    int Index,
    byte[] Image,
    int ImageRows,
    int ImageColumns,
    int TrueClass,
    int PredictedClass,
    IReadOnlyList<string> ClassNames,
    float[] HiddenPreActivations,
    float[] HiddenActivations,
    float[] HiddenWeights,
    float[] OutputWeightsCompared,
    float[] OutputWeightsPredicted,
    float[] OutputScores,
    float[] OutputProbabilities)
{
    /// <summary>
    /// The hidden layers after the first, in order (empty for the lab's network): hidden layer 2 first. Layer l's
    /// <see cref="HiddenLayerValues.IncomingWeights"/> are those of the weight layer hidden l - 1 -> hidden l.
    /// </summary>
    public IReadOnlyList<HiddenLayerValues> DeeperLayers { get; init; } = [];

    /// <summary>How many hidden layers the network has: 1 + <see cref="DeeperLayers"/>.Count.</summary>
    public int HiddenLayerCount => 1 + DeeperLayers.Count;

    /// <summary>The units of the last hidden layer, the one the output weights come from.</summary>
    public int LastHiddenUnits => DeeperLayers.Count == 0 ? HiddenPreActivations.Length : DeeperLayers[^1].PreActivations.Length;

    /// <summary>Hidden layer <paramref name="layer"/>'s name (0-based): "hidden" when there is one hidden layer, else "hidden 1", "hidden 2", ...</summary>
    public string HiddenLayerName(int layer) => HiddenLayerCount == 1 ? "hidden" : $"hidden {layer + 1}";

    /// <summary>
    /// The name of weight layer <paramref name="layer"/> (0-based, <see cref="HiddenLayerCount"/> + 1 of them), from the layer
    /// it leaves to the layer it enters: "input → hidden", "hidden → output" for the lab's network;
    /// "input → hidden 1", "hidden 1 → hidden 2", ..., "hidden L → output" for L hidden layers.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is outside 0 .. <see cref="HiddenLayerCount"/>.</exception>
    public string WeightLayerName(int layer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(layer, HiddenLayerCount);
        string from = layer == 0 ? "input" : HiddenLayerName(layer - 1);
        string to = layer == HiddenLayerCount ? "output" : HiddenLayerName(layer);
        return $"{from} \u2192 {to}";
    }

    /// <summary>The output layer that turned the scores into h: <c>sigmoid</c> (each h in 0..1, not summing to 1) or <c>softmax</c> (probabilities).</summary>
    public string OutputActivation { get; init; } = "sigmoid";

    /// <summary>The hidden layer's activation g (<c>sigmoid</c>, <c>relu</c>, <c>tanh</c>, ...): it says when a unit counts as on.</summary>
    public string HiddenActivation { get; init; } = "sigmoid";

    /// <summary>When a hidden unit counts as on: a &gt;= 0.5 for the sigmoid (the lab's, its midpoint), a &gt; 0 for every other activation (ReLU's and tanh's sign).</summary>
    public string OnRule => HiddenActivation == "sigmoid" ? "a \u2265 0.5" : "a > 0";

    /// <summary>Whether activation <paramref name="a"/> is on by <see cref="OnRule"/>.</summary>
    public bool IsOn(float a) => HiddenActivation == "sigmoid" ? a >= 0.5f : a > 0f;

    /// <summary>The title of h's panel: probabilities for softmax; for the sigmoid, outputs each in 0..1, which need not sum to 1.</summary>
    public string OutputTitle => OutputActivation == "softmax" ? "output probabilities h = softmax(z)" : $"outputs h = {OutputActivation}(z), each in 0..1 (not summing to 1)";

    /// <summary>
    /// The class whose weights <see cref="OutputWeightsCompared"/> holds, 0 .. classes - 1: class 0, or, when the network
    /// predicts class 0, the true class if it is another, else class 1 (so that the figure's two panels differ whenever
    /// there are two classes or more).
    /// </summary>
    public int ComparedClass { get; init; }

    /// <summary>The class to compare a prediction with: see <see cref="ComparedClass"/>.</summary>
    public static int CompareWith(int predictedClass, int trueClass, int classes)
        => predictedClass != 0 ? 0 : trueClass != 0 ? trueClass : Math.Min(1, classes - 1);
}

/// <summary>The values of one hidden layer after the first, for <see cref="Explanation.DeeperLayers"/>: "units" is its
/// number of units, "fanIn" that of the hidden layer before it.</summary>
/// <param name="PreActivations">units values: z of the layer.</param>
/// <param name="Activations">units values: a = g(z) of the layer.</param>
/// <param name="IncomingWeights">units x fanIn: the weights from the layer before into this one, unit j's contiguous
/// (AnnLab's layout, fanOut x fanIn row-major; the lab's Theta without its bias row, transposed).</param>
public sealed record HiddenLayerValues(float[] PreActivations, float[] Activations, float[] IncomingWeights);

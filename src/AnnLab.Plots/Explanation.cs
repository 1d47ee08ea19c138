namespace AnnLab.Plots;

/// <summary>
/// One image's path through a network with one hidden layer (the lab's: the image's pixels, 25 hidden
/// units, one output per class), for <see cref="Figures.Explain"/>. "units" below is the number of hidden
/// units (25 in the lab), "classes" the number of outputs (the data set's class count), "pixels" =
/// <paramref name="ImageRows"/> x <paramref name="ImageColumns"/>.
/// </summary>
/// <param name="Index">The image's index in its set, shown in the title.</param>
/// <param name="Image">pixels bytes, row-major, 0 black .. 255 white.</param>
/// <param name="ImageRows">Image height in pixels.</param>
/// <param name="ImageColumns">Image width in pixels.</param>
/// <param name="TrueClass">The label, 0 .. classes - 1.</param>
/// <param name="PredictedClass">The network's answer (the output with the largest h), 0 .. classes - 1.</param>
/// <param name="ClassNames">classes names, one per output unit.</param>
/// <param name="HiddenPreActivations">units values: z of the hidden layer.</param>
/// <param name="HiddenActivations">units values: a = g(z) of the hidden layer.</param>
/// <param name="HiddenWeights">units x pixels: each hidden unit's incoming weights, unit j's contiguous
/// (the first layer's weights in AnnLab's layout, fanOut x fanIn row-major; the lab's Theta1 without its bias row, transposed).</param>
/// <param name="OutputWeightsCompared">units values: the weights from each hidden unit into output <see cref="ComparedClass"/>
/// (class 0 unless that is the predicted one), drawn beside the predicted class's.</param>
/// <param name="OutputWeightsPredicted">units values: the weights from each hidden unit into output <paramref name="PredictedClass"/>.</param>
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

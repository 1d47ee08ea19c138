using System.Globalization;
using AnnLab.Data;
using AnnLab.Metrics;
using AnnLab.Network;
using AnnLab.Training;

namespace AnnLab.Plots;

/// <summary>
/// The lab's figures made from AnnLab's own types: which images, which titles, which numbers go
/// into each of <see cref="Figures"/>' drawings. File names are the ones the run folder uses.
/// </summary>
public static class LabFigures
{
    /// <summary>The first 100 training images in a 10x10 grid (samples.png) and the same with class names (samples-labeled.png);
    /// images far from square get fewer or more columns (<see cref="Figures.ImageGridColumns"/>).</summary>
    /// <returns>The two paths written.</returns>
    public static IReadOnlyList<string> Samples(string folder, ImageSet images, IReadOnlyList<string> classNames)
    {
        int count = Math.Min(100, images.Count);
        ReadOnlySpan<byte> pixels = images.Pixels.Span[..(count * images.Features)];
        string plain = Path.Combine(folder, "samples.png");
        string labeled = Path.Combine(folder, "samples-labeled.png");
        int columns = Figures.ImageGridColumns(10, images.Rows, images.Columns);
        Figures.ImageGrid(plain, pixels, images.Rows, images.Columns, count, columns, title: $"The first {count} training images");
        var titles = new string[count];
        for (int i = 0; i < count; i++)
        {
            titles[i] = classNames[images.Labels.Span[i]];
        }

        Figures.ImageGrid(labeled, pixels, images.Rows, images.Columns, count, columns, titles, title: $"The first {count} training images and their classes");
        return [plain, labeled];
    }

    /// <summary>The first 25 images of a part (validation-predictions.png, or &lt;part&gt;-predictions.png) titled "predicted (true)", wrong ones marked in red.</summary>
    /// <param name="folder">The folder to write to.</param>
    /// <param name="images">The part's images.</param>
    /// <param name="predictions">The predicted class of each.</param>
    /// <param name="classNames">One name per class.</param>
    /// <param name="part">The part's name, for the file name and the title: validation, test or training.</param>
    public static string ValidationPredictions(string folder, ImageSet images, byte[] predictions, IReadOnlyList<string> classNames, string part = "validation")
    {
        int count = Math.Min(25, images.Count);
        var titles = new string[count];
        var marked = new bool[count];
        ReadOnlySpan<byte> labels = images.Labels.Span;
        int wrong = 0;
        for (int i = 0; i < count; i++)
        {
            titles[i] = $"{classNames[predictions[i]]} ({classNames[labels[i]]})";
            marked[i] = predictions[i] != labels[i];
            wrong += marked[i] ? 1 : 0;
        }

        string path = Path.Combine(folder, $"{part}-predictions.png");
        Figures.ImageGrid(path, images.Pixels.Span[..(count * images.Features)], images.Rows, images.Columns, count,
            Figures.ImageGridColumns(5, images.Rows, images.Columns), titles, marked,
            $"The first {count} {part} images: predicted (true); {wrong} wrong, in red");
        return path;
    }

    /// <summary>
    /// The misclassified images of a part (misclassified.png): their count and fraction in the title,
    /// the first 25 titled with their index in the data set (what <c>explain</c> takes) over "true -> predicted".
    /// </summary>
    /// <param name="folder">The folder to write to.</param>
    /// <param name="images">The part's images.</param>
    /// <param name="predictions">The predicted class of each.</param>
    /// <param name="classNames">One name per class.</param>
    /// <param name="indices">Each image's index in the data set (<see cref="SplitImages.Indices"/>).</param>
    /// <param name="part">The part's name for the title: validation, test or training.</param>
    /// <exception cref="ArgumentException"><paramref name="indices"/> is not one per image.</exception>
    public static string Misclassified(string folder, ImageSet images, byte[] predictions, IReadOnlyList<string> classNames, IReadOnlyList<int> indices, string part = "validation")
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count != images.Count)
        {
            throw new ArgumentException($"expected one index per image ({images.Count}), got {indices.Count}", nameof(indices));
        }

        ReadOnlySpan<byte> labels = images.Labels.Span;
        var wrong = new List<int>();
        for (int i = 0; i < images.Count; i++)
        {
            if (predictions[i] != labels[i])
            {
                wrong.Add(i);
            }
        }

        int shown = Math.Min(25, wrong.Count);
        var pixels = new byte[shown * images.Features];
        var titles = new string[shown];
        for (int s = 0; s < shown; s++)
        {
            int i = wrong[s];
            images.Image(i).CopyTo(pixels.AsSpan(s * images.Features));
            titles[s] = $"#{indices[i]}\n{classNames[labels[i]]} -> {classNames[predictions[i]]}";
        }

        string path = Path.Combine(folder, "misclassified.png");
        Figures.ImageGrid(path, pixels, images.Rows, images.Columns, shown, Figures.ImageGridColumns(5, images.Rows, images.Columns), titles, null, Figures.MisclassifiedTitle(wrong.Count, images.Count, part));
        return path;
    }

    /// <summary>Each first-layer hidden unit's incoming weights as an image (the lab's hidden-unit visualization).</summary>
    public static string HiddenWeights(string folder, NeuralNetwork network, float[] parameters, int imageRows, int imageColumns)
    {
        string path = Path.Combine(folder, "hidden-weights.png");
        Figures.HiddenWeights(path, network.Weights<float>(parameters, 0), network.FanOut(0), imageRows, imageColumns,
            $"What each of the {network.FanOut(0)} hidden units looks for: its {network.FanIn(0)} incoming weights");
        return path;
    }

    /// <summary>The confusion matrix of a classification report.</summary>
    public static string ConfusionMatrix(string folder, ClassificationReport report, IReadOnlyList<string> classNames, string setName)
    {
        string path = Path.Combine(folder, "confusion-matrix.png");
        Figures.ConfusionMatrix(path, report.Counts, classNames, $"Confusion matrix, {report.Total} {setName} images, accuracy {report.Accuracy * 100:F2}%");
        return path;
    }

    /// <summary>Cost and accuracy per epoch or iteration from a training history (the points a <see cref="LearningCurveMonitor"/> measured).</summary>
    /// <returns>The path, or null when the history holds no measured point.</returns>
    public static string? LearningCurves(string folder, TrainingResult result, string stepName)
    {
        if (LearningCurve.FromHistory(result, stepName) is not { } curve)
        {
            return null;
        }

        string path = Path.Combine(folder, "learning-curves.png");
        Figures.LearningCurves(path, curve);
        return path;
    }

    /// <summary>
    /// One image's path through the network: the numbers behind the explain figure (hidden z and a,
    /// hidden weights, second-layer weights into <see cref="Explanation.ComparedClass"/> and the predicted class, output scores and
    /// probabilities), from a forward pass in float.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">index outside the set.</exception>
    public static Explanation Explain(NeuralNetwork network, float[] parameters, ImageSet images, int index, IReadOnlyList<string> classNames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, images.Count);
        using var forward = new Backpropagation<float>(network, 1);
        forward.LoadBatch(images, [index]);
        forward.Forward(parameters, 1);
        int last = network.LayerCount - 1;
        float[] scores = forward.PreActivations(last, 1).ToArray();
        float[] probabilities = forward.Outputs(1).ToArray();
        int predicted = Prediction.ArgMax<float>(probabilities);
        int units = network.FanOut(0);

        // Second-layer weights into an output, one per first-hidden-layer unit (for a deeper
        // network, the weights of the layer after the first hidden layer into its unit 0 / predicted).
        ReadOnlySpan<float> w2 = network.Weights<float>(parameters, 1);
        int fanIn2 = network.FanIn(1);
        int into = Math.Min(predicted, network.FanOut(1) - 1);
        int compared = Math.Min(Explanation.CompareWith(predicted, images.Labels.Span[index], classNames.Count), network.FanOut(1) - 1);
        return new Explanation(
            index,
            images.Image(index).ToArray(),
            images.Rows,
            images.Columns,
            images.Labels.Span[index],
            predicted,
            classNames,
            forward.PreActivations(0, 1).ToArray(),
            forward.Activations(0, 1).ToArray(),
            network.Weights<float>(parameters, 0).ToArray(),
            w2.Slice(compared * fanIn2, fanIn2).ToArray(),
            w2.Slice(into * fanIn2, fanIn2).ToArray(),
            scores,
            probabilities)
        {
            OutputActivation = network.OutputActivationName,
            HiddenActivation = network.HiddenActivation.Name,
            ComparedClass = compared,
        };
    }

    /// <summary>The numbers of an explanation as text lines, for the command's output.</summary>
    public static IReadOnlyList<string> Describe(Explanation e)
    {
        var lines = new List<string>
        {
            $"image #{e.Index}: true class {e.TrueClass} {e.ClassNames[e.TrueClass]}, predicted {e.PredictedClass} {e.ClassNames[e.PredictedClass]}",
            $"hidden unit: z, a, on ({e.OnRule.Replace("\u2265", ">=", StringComparison.Ordinal)})",
        };
        for (int j = 0; j < e.HiddenActivations.Length; j++)
        {
            lines.Add(FormattableString.Invariant($"  {j,3}: z {e.HiddenPreActivations[j],9:F4}  a {e.HiddenActivations[j],7:F4}  {(e.IsOn(e.HiddenActivations[j]) ? "on" : "off")}"));
        }

        lines.Add(e.OutputActivation == "softmax" ? "class: score z, probability h = softmax(z)" : $"class: score z, output h = {e.OutputActivation}(z) (each in 0..1; they need not sum to 1)");
        int nameWidth = e.ClassNames.Max(name => name.Length);
        int numberWidth = (e.OutputScores.Length - 1).ToString(CultureInfo.InvariantCulture).Length;
        for (int k = 0; k < e.OutputScores.Length; k++)
        {
            lines.Add(FormattableString.Invariant($"  {k.ToString(CultureInfo.InvariantCulture).PadLeft(numberWidth)} {e.ClassNames[k].PadRight(nameWidth)} z {e.OutputScores[k],9:F4}  h {e.OutputProbabilities[k],7:F4}{(k == e.PredictedClass ? "  <- predicted" : "")}"));
        }

        return lines;
    }
}

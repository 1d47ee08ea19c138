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
    /// <summary>The first 100 training images in a 10x10 grid (samples.png) and the same titled "index: class" (samples-labeled.png);
    /// images far from square get fewer or more columns (<see cref="Figures.ImageGridColumns"/>).</summary>
    /// <param name="folder">The folder to write to.</param>
    /// <param name="images">The training images.</param>
    /// <param name="classNames">One name per class.</param>
    /// <param name="indices">Each image's index in the data set (<see cref="DataSplit.IndicesOf"/>), for the titles; null: 0, 1, 2, ...</param>
    /// <returns>The two paths written.</returns>
    public static IReadOnlyList<string> Samples(string folder, ImageSet images, IReadOnlyList<string> classNames, IReadOnlyList<int>? indices = null)
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
            titles[i] = string.Create(CultureInfo.InvariantCulture, $"{indices?[i] ?? i}: {classNames[images.Labels.Span[i]]}");
        }

        Figures.ImageGrid(labeled, pixels, images.Rows, images.Columns, count, columns, titles, title: $"The first {count} training images, index: class");
        return [plain, labeled];
    }

    /// <summary>
    /// The first 25 images of a part (validation-predictions.png, or &lt;part&gt;-predictions.png), each titled
    /// <see cref="Figures.ImageCaption"/>'s "index: true -> predicted", wrong ones marked in red; the figure's title says which
    /// images (<see cref="PredictionsTitle"/>).
    /// </summary>
    /// <param name="folder">The folder to write to.</param>
    /// <param name="images">The part's images.</param>
    /// <param name="predictions">The predicted class of each.</param>
    /// <param name="classNames">One name per class.</param>
    /// <param name="indices">Each image's index in the data set (<see cref="SplitImages.Indices"/>).</param>
    /// <param name="part">The part's name, for the file name and the title: validation, test or training.</param>
    /// <exception cref="ArgumentException"><paramref name="indices"/> is not one per image.</exception>
    public static string ValidationPredictions(string folder, ImageSet images, byte[] predictions, IReadOnlyList<string> classNames, IReadOnlyList<int> indices, string part = "validation")
    {
        CheckIndices(images, indices);
        int count = Math.Min(25, images.Count);
        var titles = new string[count];
        var marked = new bool[count];
        ReadOnlySpan<byte> labels = images.Labels.Span;
        int wrong = 0;
        for (int i = 0; i < count; i++)
        {
            titles[i] = Figures.ImageCaption(indices[i], classNames[labels[i]], classNames[predictions[i]]);
            marked[i] = predictions[i] != labels[i];
            wrong += marked[i] ? 1 : 0;
        }

        string path = Path.Combine(folder, $"{part}-predictions.png");
        Figures.ImageGrid(path, images.Pixels.Span[..(count * images.Features)], images.Rows, images.Columns, count,
            Figures.ImageGridColumns(5, images.Rows, images.Columns), titles, marked,
            PredictionsTitle(count, images.Count, wrong, part));
        return path;
    }

    /// <summary>The title of &lt;part&gt;-predictions.png, e.g. "Validation images: the first 25 of 1000, index: true -> predicted; 4 wrong, in red".</summary>
    /// <param name="shown">Images drawn.</param>
    /// <param name="total">Images in the part.</param>
    /// <param name="wrong">Drawn images predicted wrong.</param>
    /// <param name="part">The part's name: validation, test or training.</param>
    public static string PredictionsTitle(int shown, int total, int wrong, string part)
    {
        string which = shown == total ? $"all {total}" : $"the first {shown} of {total}";
        return string.Create(CultureInfo.InvariantCulture, $"{char.ToUpperInvariant(part[0])}{part[1..]} images: {which}, {Figures.CaptionConvention}; {wrong} wrong, in red");
    }

    private static void CheckIndices(ImageSet images, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count != images.Count)
        {
            throw new ArgumentException($"expected one index per image ({images.Count}), got {indices.Count}", nameof(indices));
        }
    }

    /// <summary>
    /// The misclassified images of a part (misclassified.png): their count and fraction in the title,
    /// the first 25 titled <see cref="Figures.ImageCaption"/>'s "index: true -> predicted" with their index in the data set (what <c>explain</c> takes).
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
        CheckIndices(images, indices);
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
            titles[s] = Figures.ImageCaption(indices[i], classNames[labels[i]], classNames[predictions[i]]);
        }

        string path = Path.Combine(folder, "misclassified.png");
        Figures.ImageGrid(path, pixels, images.Rows, images.Columns, shown, Figures.ImageGridColumns(5, images.Rows, images.Columns), titles, null, Figures.MisclassifiedTitle(wrong.Count, images.Count, part, shown));
        return path;
    }

    /// <summary>
    /// Each first-hidden-layer unit's incoming weights as an image (the lab's hidden-unit visualization), in hidden-weights.png.
    /// Up to <see cref="HiddenWeightsLayout.UnitsPerFigure"/> units (100 by default; the lab's 25 give its 5 x 5 figure) all
    /// units in index order; with more, by <see cref="HiddenWeightsLayout.Units"/>: the most important ones by
    /// <see cref="UnitImportance"/>, most important first, each titled with its index, the title saying which and how many;
    /// or all of them in pages hidden-weights-1.png, hidden-weights-2.png, ... (units 0-99, 100-199, ...).
    /// </summary>
    /// <param name="folder">The folder to write to.</param>
    /// <param name="network">The network; its first weight layer's fanIn must be imageRows x imageColumns.</param>
    /// <param name="parameters">Its parameters.</param>
    /// <param name="imageRows">Input image height in pixels.</param>
    /// <param name="imageColumns">Input image width in pixels.</param>
    /// <param name="layout">Which units, how many per figure, which colour scale; null: <see cref="HiddenWeightsLayout"/>'s defaults.</param>
    /// <returns>The paths written, in order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="HiddenWeightsLayout.UnitsPerFigure"/> is less than 1.</exception>
    public static IReadOnlyList<string> HiddenWeights(string folder, NeuralNetwork network, float[] parameters, int imageRows, int imageColumns, HiddenWeightsLayout? layout = null)
    {
        layout ??= new HiddenWeightsLayout();
        ArgumentOutOfRangeException.ThrowIfLessThan(layout.UnitsPerFigure, 1, nameof(layout));
        int units = network.FanOut(0);
        int fanIn = network.FanIn(0);
        ReadOnlySpan<float> weights = network.Weights<float>(parameters, 0);
        string Draw(string file, int[] chosen, string title, string? note)
        {
            var picked = new float[chosen.Length * fanIn];
            for (int s = 0; s < chosen.Length; s++)
            {
                network.Weights<float>(parameters, 0).Slice(chosen[s] * fanIn, fanIn).CopyTo(picked.AsSpan(s * fanIn));
            }

            string path = Path.Combine(folder, file);
            Figures.HiddenWeights(path, picked, chosen.Length, imageRows, imageColumns, title, chosen, layout.Scale, note);
            return path;
        }

        int per = layout.UnitsPerFigure;
        if (units <= per)
        {
            string path = Path.Combine(folder, "hidden-weights.png");
            Figures.HiddenWeights(path, weights, units, imageRows, imageColumns,
                $"What each of the {units} hidden units looks for: its {fanIn} incoming weights", colorScale: layout.Scale);
            return [path];
        }

        if (layout.Units == HiddenUnitSelection.MostImportant)
        {
            float[] importance = UnitImportance(network, parameters);
            int[] top = Enumerable.Range(0, units).OrderByDescending(j => importance[j]).ThenBy(j => j).Take(per).ToArray();
            return [Draw("hidden-weights.png", top, $"The {per} most important of the {units} hidden units: their {fanIn} incoming weights",
                $"most important first; importance = L2 norm of the unit's incoming weights x L2 norm of its outgoing weights")];
        }

        int pages = (units + per - 1) / per;
        var paths = new List<string>(pages);
        for (int page = 0; page < pages; page++)
        {
            int[] chosen = Enumerable.Range(page * per, Math.Min(per, units - (page * per))).ToArray();
            paths.Add(Draw($"hidden-weights-{page + 1}.png", chosen, $"Hidden units {chosen[0]}-{chosen[^1]} of {units} (page {page + 1} of {pages}): each unit's {fanIn} incoming weights", null));
        }

        return paths;
    }

    /// <summary>
    /// How much each unit of the first hidden layer matters, by its weights alone: importance_j = ||w_in_j||_2 x ||w_out_j||_2,
    /// the L2 norm of unit j's fanIn incoming weights (how strongly the input can drive it) times that of its outgoing
    /// weights into the next layer (how strongly it drives that layer); biases left out. A weight-magnitude saliency as
    /// in Garson's (1991) connection-weight products (G. D. Garson, "Interpreting neural-network connection weights",
    /// AI Expert 6(4)) and in magnitude pruning (Han et al., "Learning both Weights and Connections for Efficient Neural
    /// Networks", NeurIPS 2015). A network without a hidden layer has no outgoing weights: the incoming norm alone.
    /// </summary>
    /// <returns>One value &gt;= 0 per unit of the first hidden layer (network.FanOut(0) values).</returns>
    public static float[] UnitImportance(NeuralNetwork network, float[] parameters)
    {
        int units = network.FanOut(0);
        int fanIn = network.FanIn(0);
        ReadOnlySpan<float> incoming = network.Weights<float>(parameters, 0);
        var importance = new float[units];
        for (int j = 0; j < units; j++)
        {
            double sum = 0;
            foreach (float w in incoming.Slice(j * fanIn, fanIn))
            {
                sum += (double)w * w;
            }

            importance[j] = (float)Math.Sqrt(sum);
        }

        if (network.LayerCount > 1)
        {
            // Layer 1 is fanOut(1) x units row-major: unit j's outgoing weights are column j.
            ReadOnlySpan<float> outgoing = network.Weights<float>(parameters, 1);
            int next = network.FanOut(1);
            for (int j = 0; j < units; j++)
            {
                double sum = 0;
                for (int k = 0; k < next; k++)
                {
                    double w = outgoing[(k * units) + j];
                    sum += w * w;
                }

                importance[j] *= (float)Math.Sqrt(sum);
            }
        }

        return importance;
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
    /// One image's path through the network: the numbers behind the explain figure (every hidden layer's z and a,
    /// the first layer's weights, each later hidden layer's incoming weights, the output layer's weights into
    /// <see cref="Explanation.ComparedClass"/> and the predicted class, output scores and h), from a forward pass in float.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">index outside the set.</exception>
    /// <exception cref="ArgumentException">The network has no hidden layer.</exception>
    public static Explanation Explain(NeuralNetwork network, float[] parameters, ImageSet images, int index, IReadOnlyList<string> classNames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, images.Count);
        if (network.LayerCount < 2)
        {
            throw new ArgumentException($"expected a network with a hidden layer, found {network.LayerCount} weight layer ({string.Join("-", network.LayerSizes)})", nameof(network));
        }

        using var forward = new Backpropagation<float>(network, 1);
        forward.LoadBatch(images, [index]);
        forward.Forward(parameters, 1);
        int last = network.LayerCount - 1;
        float[] scores = forward.PreActivations(last, 1).ToArray();
        float[] probabilities = forward.Outputs(1).ToArray();
        int predicted = Prediction.ArgMax<float>(probabilities);
        var deeper = new HiddenLayerValues[last - 1];
        for (int l = 1; l < last; l++)
        {
            deeper[l - 1] = new HiddenLayerValues(forward.PreActivations(l, 1).ToArray(), forward.Activations(l, 1).ToArray(), network.Weights<float>(parameters, l).ToArray());
        }

        // The output layer's weights, one per unit of the last hidden layer, into two outputs.
        ReadOnlySpan<float> wOut = network.Weights<float>(parameters, last);
        int fanIn = network.FanIn(last);
        int compared = Math.Min(Explanation.CompareWith(predicted, images.Labels.Span[index], classNames.Count), network.OutputSize - 1);
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
            wOut.Slice(compared * fanIn, fanIn).ToArray(),
            wOut.Slice(predicted * fanIn, fanIn).ToArray(),
            scores,
            probabilities)
        {
            OutputActivation = network.OutputActivationName,
            HiddenActivation = network.HiddenActivation.Name,
            ComparedClass = compared,
            DeeperLayers = deeper,
        };
    }

    /// <summary>The numbers of an explanation as text lines, for the command's output.</summary>
    public static IReadOnlyList<string> Describe(Explanation e)
    {
        string Ascii(string text) => text.Replace("\u2265", ">=", StringComparison.Ordinal).Replace("\u2192", "->", StringComparison.Ordinal);
        var lines = new List<string>
        {
            $"image {Figures.ImageCaption(e.Index, e.ClassNames[e.TrueClass], e.ClassNames[e.PredictedClass])} ({Figures.CaptionConvention}; classes {e.TrueClass} -> {e.PredictedClass}, {(e.TrueClass == e.PredictedClass ? "right" : "misclassified")})",
        };
        if (e.HiddenLayerCount > 1)
        {
            int[] sizes = [e.ImageRows * e.ImageColumns, e.HiddenPreActivations.Length, .. e.DeeperLayers.Select(d => d.PreActivations.Length), e.OutputScores.Length];
            lines.Add("weight layers: " + string.Join(", ", Enumerable.Range(0, sizes.Length - 1).Select(l => $"{Ascii(e.WeightLayerName(l))} ({sizes[l]} x {sizes[l + 1]})")));
        }

        for (int l = 0; l < e.HiddenLayerCount; l++)
        {
            (float[] z, float[] a) = l == 0 ? (e.HiddenPreActivations, e.HiddenActivations) : (e.DeeperLayers[l - 1].PreActivations, e.DeeperLayers[l - 1].Activations);
            lines.Add($"{e.HiddenLayerName(l)} unit: z, a, on ({Ascii(e.OnRule)})" + (e.HiddenLayerCount > 1 ? $"; {a.Count(e.IsOn)} of {a.Length} on" : ""));
            for (int j = 0; j < a.Length; j++)
            {
                lines.Add(FormattableString.Invariant($"  {j,3}: z {z[j],9:F4}  a {a[j],7:F4}  {(e.IsOn(a[j]) ? "on" : "off")}"));
            }
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

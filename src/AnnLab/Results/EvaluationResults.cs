using AnnLab.Data;
using AnnLab.Metrics;
using AnnLab.Network;

namespace AnnLab.Results;

/// <summary>One image as <c>evaluation.json</c> records it.</summary>
/// <param name="Index">The image's index in the data set, training part first (what <c>annlab explain --index</c> takes).</param>
/// <param name="TrueClass">Its label.</param>
/// <param name="PredictedClass">The class of the largest output.</param>
/// <param name="Probability">That class's output h, 0..1 (softmax: its probability; the lab's sigmoid units: that unit's own score).</param>
public sealed record ImagePrediction(int Index, int TrueClass, int PredictedClass, float Probability);

/// <summary>
/// What <c>annlab evaluate</c> writes (<c>--json FILE</c> and <c>evaluation.json</c> in its run
/// folder): a model measured on one part of a split (training, validation or test), the confusion
/// matrix and per-class scores, and every image's prediction. Accuracies are fractions 0..1.
/// </summary>
public sealed record EvaluationResults
{
    /// <summary>The model file measured.</summary>
    public required string? Model { get; init; }

    /// <summary>The split: <c>lab</c>, <c>official</c> or <c>stratified</c>.</summary>
    public required string Split { get; init; }

    /// <summary>The part of the split measured: <c>training</c>, <c>validation</c> or <c>test</c>.</summary>
    public required string Part { get; init; }

    /// <summary>The first m images of train ++ test the split was cut from.</summary>
    public required int Samples { get; init; }

    /// <summary>The fraction of them that trained.</summary>
    public required double TrainFraction { get; init; }

    /// <summary>Accuracy on the part, 0..1.</summary>
    public required double Accuracy { get; init; }

    /// <summary>J over the part's images, with the lambda given to evaluate.</summary>
    public required double Cost { get; init; }

    /// <summary>Images measured.</summary>
    public required int Images { get; init; }

    /// <summary>Unweighted mean of the classes' F1.</summary>
    public required double MacroF1 { get; init; }

    /// <summary>Row t, column p = images of true class t predicted as p.</summary>
    public required IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix { get; init; }

    /// <summary>Precision, recall and F1 per class.</summary>
    public required IReadOnlyList<ClassScores> Classes { get; init; }

    /// <summary>Every image measured, in the part's order (ascending index); the confusion matrix counts them.</summary>
    public required IReadOnlyList<ImagePrediction> Predictions { get; init; }

    /// <summary>The results of measuring <paramref name="model"/> on <paramref name="images"/>.</summary>
    /// <param name="report">The confusion matrix and per-class scores of <paramref name="evaluation"/>.</param>
    /// <param name="evaluation">Cost, predictions and the predicted classes' outputs, one per image.</param>
    /// <param name="images">The part measured and its images' indices in the data set.</param>
    /// <param name="split">The split's name.</param>
    /// <param name="model">The model file.</param>
    /// <param name="samples">The first m images the split was cut from.</param>
    /// <param name="trainFraction">The fraction of them that trained.</param>
    /// <exception cref="ArgumentException">The evaluation's predictions or probabilities are not one per image.</exception>
    public static EvaluationResults Create(ClassificationReport report, Evaluation evaluation, SplitImages images, string split, string? model, int samples, double trainFraction)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(images);
        int n = images.Images.Count;
        if (evaluation.Predictions.Length != n || evaluation.Probabilities.Length != n || images.Indices.Count != n)
        {
            throw new ArgumentException($"expected one prediction, probability and index per image ({n}), got {evaluation.Predictions.Length}, {evaluation.Probabilities.Length} and {images.Indices.Count}", nameof(evaluation));
        }

        ReadOnlySpan<byte> labels = images.Images.Labels.Span;
        var predictions = new ImagePrediction[n];
        for (int i = 0; i < n; i++)
        {
            predictions[i] = new ImagePrediction(images.Indices[i], labels[i], evaluation.Predictions[i], evaluation.Probabilities[i]);
        }

        return new EvaluationResults
        {
            Model = model,
            Split = split,
            Part = images.Name,
            Samples = samples,
            TrainFraction = trainFraction,
            Accuracy = report.Accuracy,
            Cost = evaluation.Cost,
            Images = report.Total,
            MacroF1 = report.MacroF1,
            ConfusionMatrix = ResultsFile.Rows(report),
            Classes = report.Classes,
            Predictions = predictions,
        };
    }

    /// <summary>The results as indented JSON, snake_case keys.</summary>
    public string ToJson() => ResultsFile.ToJson(this);

    /// <summary>Writes the results to <paramref name="path"/> atomically.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path) => ResultsFile.Save(this, path);

    /// <summary>Reads a file written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, lacks a key, holds a wrong value, or predictions that do not add up to its confusion matrix; the message names the file and the key.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static EvaluationResults Load(string path) => ResultsFile.Load<EvaluationResults>(path, "evaluation file", e =>
        ResultsFile.FirstProblem(
            ("accuracy", e.Accuracy, ResultsFile.IsFraction(e.Accuracy), "a fraction in 0..1"),
            ("macro_f1", e.MacroF1, ResultsFile.IsFraction(e.MacroF1), "a number in 0..1"),
            ("images", e.Images, e.Images >= 0, "an integer >= 0"),
            ("part", e.Part, Dataset.PartNames.Contains(e.Part), $"one of {string.Join(", ", Dataset.PartNames)}"),
            ("split", e.Split, Dataset.SplitNames.Contains(e.Split), $"one of {string.Join(", ", Dataset.SplitNames)}"),
            ("predictions", e.Predictions.Count, e.Predictions.Count == e.Images, $"one per image ({e.Images})"))
        ?? ResultsFile.MatrixProblem("confusion_matrix", e.ConfusionMatrix, e.Classes.Count, e.Images)
        ?? PredictionsProblem(e));

    // Each prediction in range, and together exactly the confusion matrix.
    private static string? PredictionsProblem(EvaluationResults e)
    {
        int k = e.Classes.Count;
        var counts = new int[k, k];
        for (int i = 0; i < e.Predictions.Count; i++)
        {
            ImagePrediction p = e.Predictions[i];
            if (p.Index < 0 || p.TrueClass < 0 || p.TrueClass >= k || p.PredictedClass < 0 || p.PredictedClass >= k || !(p.Probability is >= 0 and <= 1))
            {
                return $"predictions[{i}]: got index {p.Index}, true class {p.TrueClass}, predicted class {p.PredictedClass}, probability {p.Probability.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, expected an index >= 0, classes in 0..{k - 1} and a probability in 0..1";
            }

            counts[p.TrueClass, p.PredictedClass]++;
        }

        for (int t = 0; t < k; t++)
        {
            for (int p = 0; p < k; p++)
            {
                if (counts[t, p] != e.ConfusionMatrix[t][p])
                {
                    return $"predictions: {counts[t, p]} of true class {t} predicted as {p}, expected the confusion matrix's {e.ConfusionMatrix[t][p]}";
                }
            }
        }

        return null;
    }
}

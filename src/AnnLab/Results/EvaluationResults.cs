using AnnLab.Metrics;

namespace AnnLab.Results;

/// <summary>
/// What <c>annlab evaluate</c> writes (<c>--json FILE</c> and <c>evaluation.json</c> in its run
/// folder): a model measured on the validation part of a split. Accuracies are fractions 0..1.
/// </summary>
public sealed record EvaluationResults
{
    /// <summary>The model file measured.</summary>
    public required string? Model { get; init; }

    /// <summary>The part of the split measured: always <c>validation</c>.</summary>
    public required string Split { get; init; }

    /// <summary>The first m images of train ++ test the split was cut from.</summary>
    public required int Samples { get; init; }

    /// <summary>The fraction of them that trained.</summary>
    public required double TrainFraction { get; init; }

    /// <summary>Validation accuracy, 0..1.</summary>
    public required double ValidationAccuracy { get; init; }

    /// <summary>J over the validation images, with the lambda given to evaluate.</summary>
    public required double ValidationCost { get; init; }

    /// <summary>Validation images measured.</summary>
    public required int ValidationImages { get; init; }

    /// <summary>Unweighted mean of the classes' F1.</summary>
    public required double MacroF1 { get; init; }

    /// <summary>Row t, column p = images of true class t predicted as p.</summary>
    public required IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix { get; init; }

    /// <summary>Precision, recall and F1 per class.</summary>
    public required IReadOnlyList<ClassScores> Classes { get; init; }

    /// <summary>The results of measuring <paramref name="model"/>.</summary>
    /// <param name="report">The confusion matrix and per-class scores on the validation images.</param>
    /// <param name="cost">J over them.</param>
    /// <param name="model">The model file.</param>
    /// <param name="samples">The first m images the split was cut from.</param>
    /// <param name="trainFraction">The fraction of them that trained.</param>
    public static EvaluationResults Create(ClassificationReport report, double cost, string? model, int samples, double trainFraction)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new EvaluationResults
        {
            Model = model,
            Split = "validation",
            Samples = samples,
            TrainFraction = trainFraction,
            ValidationAccuracy = report.Accuracy,
            ValidationCost = cost,
            ValidationImages = report.Total,
            MacroF1 = report.MacroF1,
            ConfusionMatrix = ResultsFile.Rows(report),
            Classes = report.Classes,
        };
    }

    /// <summary>The results as indented JSON, snake_case keys.</summary>
    public string ToJson() => ResultsFile.ToJson(this);

    /// <summary>Writes the results to <paramref name="path"/> atomically.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path) => ResultsFile.Save(this, path);

    /// <summary>Reads a file written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, lacks a key, or holds a wrong value; the message names the file and the key.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static EvaluationResults Load(string path) => ResultsFile.Load<EvaluationResults>(path, "evaluation file", e =>
        ResultsFile.FirstProblem(
            ("validation_accuracy", e.ValidationAccuracy, ResultsFile.IsFraction(e.ValidationAccuracy), "a fraction in 0..1"),
            ("macro_f1", e.MacroF1, ResultsFile.IsFraction(e.MacroF1), "a number in 0..1"),
            ("validation_images", e.ValidationImages, e.ValidationImages >= 0, "an integer >= 0"))
        ?? ResultsFile.MatrixProblem("confusion_matrix", e.ConfusionMatrix, e.Classes.Count, e.ValidationImages));
}

using System.Text.Json.Serialization;
using AnnLab.Training;

namespace AnnLab.Results;

/// <summary>One model of a comparison, trained and measured on the comparison's split.</summary>
public sealed record ComparedModel
{
    /// <summary>Its name, e.g. "logistic regression" or "network P-25-K" (P pixels, K classes).</summary>
    public required string Model { get; init; }

    /// <summary>Units per layer, input to output.</summary>
    public required IReadOnlyList<int> LayerSizes { get; init; }

    /// <summary>Weights and biases.</summary>
    public required int ParameterCount { get; init; }

    /// <summary>Training accuracy, 0..1.</summary>
    public required double TrainAccuracy { get; init; }

    /// <summary>Validation accuracy, 0..1.</summary>
    public required double ValidationAccuracy { get; init; }

    /// <summary>J over the training set.</summary>
    public required double TrainCost { get; init; }

    /// <summary>J over the validation set.</summary>
    public required double ValidationCost { get; init; }

    /// <summary>Wall-clock seconds spent training.</summary>
    public required double TrainSeconds { get; init; }

    /// <summary>Why its training stopped.</summary>
    [JsonConverter(typeof(KebabCaseEnumConverter<StopReason>))]
    public required StopReason StopReason { get; init; }
}

/// <summary>What <c>annlab compare</c> writes to <c>compare.json</c>: the shared settings and one entry per model.</summary>
public sealed record ComparisonResults
{
    /// <summary>The split's name.</summary>
    public required string Split { get; init; }

    /// <summary>The solver.</summary>
    [JsonConverter(typeof(KebabCaseEnumConverter<Solver>))]
    public required Solver Solver { get; init; }

    /// <summary>The first m images used.</summary>
    public required int Samples { get; init; }

    /// <summary>The fraction of them that trains.</summary>
    public required double TrainFraction { get; init; }

    /// <summary>sgd epochs at most.</summary>
    public required int MaxEpochs { get; init; }

    /// <summary>sgd step size.</summary>
    public required double LearningRate { get; init; }

    /// <summary>Ridge strength lambda.</summary>
    public required double Lambda { get; init; }

    /// <summary>The m of sgd's ridge term: <c>batch</c> or <c>training-set</c>.</summary>
    public required string LambdaScale { get; init; }

    /// <summary>Seed of the initialization and the shuffles.</summary>
    public required int Seed { get; init; }

    /// <summary>The models, in the order trained.</summary>
    public required IReadOnlyList<ComparedModel> Models { get; init; }

    /// <summary>The results as indented JSON, snake_case keys.</summary>
    public string ToJson() => ResultsFile.ToJson(this);

    /// <summary>Writes the results to <paramref name="path"/> atomically.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path) => ResultsFile.Save(this, path);

    /// <summary>Reads a file written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, lacks a key, or holds a wrong value; the message names the file and the key.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ComparisonResults Load(string path) => ResultsFile.Load<ComparisonResults>(path, "comparison file", c =>
        ResultsFile.FirstProblem(
            ("models", c.Models.Count, c.Models.Count >= 1, "at least one model"),
            ("models[].validation_accuracy", c.Models.Select(m => m.ValidationAccuracy).FirstOrDefault(a => !ResultsFile.IsFraction(a), 0), c.Models.All(m => ResultsFile.IsFraction(m.ValidationAccuracy) && ResultsFile.IsFraction(m.TrainAccuracy)), "fractions in 0..1")));
}

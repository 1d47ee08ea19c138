namespace AnnLab.Results;

/// <summary>One image predicted: where it came from, what the network saw and every class's score.</summary>
public sealed record PredictedImage
{
    /// <summary>The image file, or null for an image of the data set.</summary>
    public required string? File { get; init; }

    /// <summary>The image's index in the data set (training part first), or null for a file.</summary>
    public required int? Index { get; init; }

    /// <summary>The data set image's label, or null for a file.</summary>
    public required int? TrueClass { get; init; }

    /// <summary>Whether the file's grays were inverted (a light background); false for a data set image.</summary>
    public required bool Inverted { get; init; }

    /// <summary>The class with the largest score, 0 .. classes - 1.</summary>
    public required int Predicted { get; init; }

    /// <summary>Its name.</summary>
    public required string PredictedName { get; init; }

    /// <summary>The output layer's h, one per class: softmax probabilities, or independent sigmoid scores each in 0..1.</summary>
    public required IReadOnlyList<float> Scores { get; init; }

    /// <summary>The scores divided by their sum (for softmax the probabilities again, up to rounding).</summary>
    public required IReadOnlyList<float> Normalized { get; init; }
}

/// <summary>What <c>annlab predict --json FILE</c> writes: the model, its classes and one entry per image, in the order given.</summary>
public sealed record PredictionResults
{
    /// <summary>The model file.</summary>
    public required string Model { get; init; }

    /// <summary>The output layer: <c>softmax</c> (scores are probabilities) or <c>sigmoid</c> (independent scores).</summary>
    public required string OutputActivation { get; init; }

    /// <summary>True for softmax: the scores sum to 1.</summary>
    public required bool ScoresAreProbabilities { get; init; }

    /// <summary>One name per class.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>The images.</summary>
    public required IReadOnlyList<PredictedImage> Images { get; init; }

    /// <summary>The results as indented JSON, snake_case keys.</summary>
    public string ToJson() => ResultsFile.ToJson(this);

    /// <summary>Writes the results to <paramref name="path"/> atomically.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path) => ResultsFile.Save(this, path);

    /// <summary>Reads a file written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, lacks a key, or holds a wrong value; the message names the file and the key.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static PredictionResults Load(string path) => ResultsFile.Load<PredictionResults>(path, "prediction file", r => r.Problem());

    private string? Problem()
    {
        int classes = ClassNames.Count;
        for (int i = 0; i < Images.Count; i++)
        {
            PredictedImage image = Images[i];
            string? problem = ResultsFile.FirstProblem(
                ($"images[{i}].predicted", image.Predicted, image.Predicted >= 0 && image.Predicted < classes, $"a class in 0..{classes - 1}"),
                ($"images[{i}].scores", image.Scores.Count, image.Scores.Count == classes, $"{classes} scores, one per class"),
                ($"images[{i}].normalized", image.Normalized.Count, image.Normalized.Count == classes, $"{classes} values, one per class"),
                ($"images[{i}].scores", image.Scores.Count, image.Scores.All(s => s is >= 0 and <= 1), "values in 0..1"),
                ($"images[{i}]", image.File ?? "null", (image.File is null) != (image.Index is null), "a file or an index, one of them"));
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }
}

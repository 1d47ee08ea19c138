namespace AnnLab.Results;

/// <summary>
/// The settings of a training run as <c>results.json</c> records them under <c>"configuration"</c>:
/// the options as the command line names them (choices as their option strings, e.g.
/// <c>"sgd"</c>, <c>"cosine"</c>, <c>"validation-cost"</c>), so that the file reads without AnnLab.
/// </summary>
public sealed record RunConfiguration
{
    /// <summary>The data folder (or file).</summary>
    public required string Data { get; init; }

    /// <summary>The data set's or format's name (<c>fashion-mnist</c>, <c>mnist</c>, <c>csv</c>, ...); null in files written before AnnLab knew more than one.</summary>
    public string? Dataset { get; init; }

    /// <summary>What reads the same data again (AnnLab.Data.DataRequest.ToRecord: dataset, data and the format's files and sizes); null in older files.</summary>
    public IReadOnlyDictionary<string, string>? DataRequest { get; init; }

    /// <summary>The first m images of the data set used, training part first (2 up to its image count).</summary>
    public required int Samples { get; init; }

    /// <summary>The fraction of them that trains, in (0, 1).</summary>
    public required double TrainFraction { get; init; }

    /// <summary>Units per layer, input to output: the data set's pixels per image, the hidden sizes, its class count.</summary>
    public required IReadOnlyList<int> LayerSizes { get; init; }

    /// <summary>The hidden activation's name, as given (<c>sigmoid</c>, <c>relu</c>, ...).</summary>
    public required string Activation { get; init; }

    /// <summary>The output layer: <c>sigmoid</c> or <c>softmax</c>.</summary>
    public required string OutputActivation { get; init; }

    /// <summary><c>sgd</c>, <c>cg</c> or <c>lbfgs</c>.</summary>
    public required string Solver { get; init; }

    /// <summary>sgd step size alpha.</summary>
    public required double LearningRate { get; init; }

    /// <summary>Ridge (L2) strength lambda.</summary>
    public required double Lambda { get; init; }

    /// <summary>The m of sgd's ridge term: <c>batch</c> or <c>training-set</c>.</summary>
    public required string LambdaScale { get; init; }

    /// <summary>sgd samples per batch.</summary>
    public required int BatchSize { get; init; }

    /// <summary>sgd epochs at most.</summary>
    public required int MaxEpochs { get; init; }

    /// <summary>sgd's convergence tolerance on ||g|| / len(g) (0 = off).</summary>
    public required double Tolerance { get; init; }

    /// <summary>cg and lbfgs iterations at most.</summary>
    public required int MaxIterations { get; init; }

    /// <summary>cg and lbfgs converge when max |g_i| is at most this.</summary>
    public required double GradientTolerance { get; init; }

    /// <summary>Initialization: <c>uniform</c>, <c>glorot</c> or <c>he</c>.</summary>
    public required string Init { get; init; }

    /// <summary>uniform's epsilon: weights and biases in [-epsilon, epsilon].</summary>
    public required double InitEpsilon { get; init; }

    /// <summary>sgd's update rule: <c>sgd</c>, <c>momentum</c>, <c>nesterov</c>, <c>adam</c>, <c>adamw</c>, <c>rmsprop</c>.</summary>
    public required string Optimizer { get; init; }

    /// <summary>The momentum coefficient.</summary>
    public required double Momentum { get; init; }

    /// <summary>adamw's decoupled weight decay.</summary>
    public required double WeightDecay { get; init; }

    /// <summary>Learning-rate schedule: <c>constant</c>, <c>step</c> or <c>cosine</c>.</summary>
    public required string Schedule { get; init; }

    /// <summary>Epochs of linear warm-up.</summary>
    public required int WarmupEpochs { get; init; }

    /// <summary>Global gradient-norm clip (0 = off).</summary>
    public required double ClipNorm { get; init; }

    /// <summary>Early stopping's patience in epochs (0 = off).</summary>
    public required int Patience { get; init; }

    /// <summary>What early stopping watches: <c>validation-cost</c> or <c>validation-accuracy</c>.</summary>
    public required string Monitor { get; init; }

    /// <summary>Hidden-unit dropout rate.</summary>
    public required double Dropout { get; init; }

    /// <summary>Whether training images were shifted and flipped.</summary>
    public required bool Augment { get; init; }

    /// <summary>Seed of the initialization and the shuffles.</summary>
    public required int Seed { get; init; }

    /// <summary>Threads used.</summary>
    public required int Threads { get; init; }

    // The first wrong value, or null.
    internal string? Problem() => ResultsFile.FirstProblem(
        ("configuration.samples", Samples, Samples >= 2, "an integer >= 2"),
        ("configuration.train_fraction", TrainFraction, TrainFraction is > 0 and < 1, "a number strictly between 0 and 1"),
        ("configuration.lambda", Lambda, double.IsFinite(Lambda) && Lambda >= 0, "a finite number >= 0"),
        ("configuration.layer_sizes", LayerSizes, LayerSizes.Count >= 2 && LayerSizes.All(s => s > 0), "at least two sizes, each >= 1"));
    /// <summary>
    /// Every setting as results.json writes it under <c>"configuration"</c>: key (snake_case, a
    /// nested record's keys joined by dots, e.g. <c>data_request.limit</c>) and value (its JSON text,
    /// strings unquoted, lists joined by commas, null as "none"), in the file's order.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings()
    {
        var rows = new List<KeyValuePair<string, string>>();
        using var document = System.Text.Json.JsonDocument.Parse(ResultsFile.ToJson(this));
        Flatten(document.RootElement, "", rows);
        return rows;
    }

    private static void Flatten(System.Text.Json.JsonElement element, string prefix, List<KeyValuePair<string, string>> rows)
    {
        foreach (System.Text.Json.JsonProperty p in element.EnumerateObject())
        {
            string key = prefix + p.Name;
            switch (p.Value.ValueKind)
            {
                case System.Text.Json.JsonValueKind.Object:
                    Flatten(p.Value, key + ".", rows);
                    break;
                case System.Text.Json.JsonValueKind.Array:
                    rows.Add(new(key, string.Join(",", p.Value.EnumerateArray().Select(Text))));
                    break;
                default:
                    rows.Add(new(key, Text(p.Value)));
                    break;
            }
        }
    }

    private static string Text(System.Text.Json.JsonElement value) => value.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => value.GetString() ?? "",
        System.Text.Json.JsonValueKind.Null => "none",
        _ => value.GetRawText(),
    };
}

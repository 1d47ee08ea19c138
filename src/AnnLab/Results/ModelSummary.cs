using AnnLab.Network;

namespace AnnLab.Results;

/// <summary>One layer of a network as <see cref="ModelSummary"/> lists it (a row of Keras's <c>model.summary()</c>).</summary>
/// <param name="Index">Its place in the layer list, from 0; null for the output layer, which follows the last dense layer.</param>
/// <param name="Kind">dense, activation, dropout or output.</param>
/// <param name="OutputShape">The shape of what it passes on, per image: [units].</param>
/// <param name="Parameters">Its weights and biases: (fanIn + 1) x fanOut for a dense layer, 0 for the others.</param>
/// <param name="Activation">The function it applies (activation and output layers); null for the others.</param>
/// <param name="DropoutRate">A dropout layer's rate (while training); null for the others.</param>
public sealed record LayerSummary(int? Index, string Kind, IReadOnlyList<int> OutputShape, int Parameters, string? Activation, double? DropoutRate);

/// <summary>How a model was trained, from the <c>results.json</c> that <c>annlab train</c> wrote beside it.</summary>
/// <param name="Results">That results.json.</param>
/// <param name="Solver">sgd, cg or lbfgs.</param>
/// <param name="Optimizer">sgd's update rule (sgd, momentum, adam, ...).</param>
/// <param name="Split">lab, official or stratified.</param>
/// <param name="SplitDescription">The split in words.</param>
/// <param name="LearningRate">sgd's step size alpha.</param>
/// <param name="Lambda">Ridge (L2) strength.</param>
/// <param name="BatchSize">sgd samples per batch.</param>
/// <param name="Epochs">Epochs run (0 for cg and lbfgs).</param>
/// <param name="Iterations">Parameter updates: mini-batch steps or iterations.</param>
/// <param name="StopReason">Why training stopped (max-epochs, converged, ...).</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="TrainAccuracy">Training accuracy, 0..1.</param>
/// <param name="ValidationAccuracy">Validation accuracy, 0..1.</param>
/// <param name="TestAccuracy">Test accuracy, 0..1; null when the split had no test part.</param>
/// <param name="TrainSeconds">Wall-clock seconds of training.</param>
public sealed record TrainingSummary(
    string Results, string Solver, string Optimizer, string Split, string SplitDescription, double LearningRate, double Lambda, int BatchSize,
    int Epochs, int Iterations, string StopReason, int Seed, double TrainAccuracy, double ValidationAccuracy, double? TestAccuracy, double TrainSeconds);

/// <summary>
/// What <c>annlab info</c> shows and writes (<c>--json FILE</c>): a model's layers with their output
/// shapes and parameter counts, its input shape, output layer and cost, class names, model-file
/// version, and how it was trained when a <c>results.json</c> of the same network sits beside it.
/// Keys are the property names in snake_case.
/// </summary>
public sealed record ModelSummary
{
    /// <summary>The model file.</summary>
    public required string? Model { get; init; }

    /// <summary>The model file's format version (<see cref="ModelFile.FormatVersion"/> or 1).</summary>
    public required int FormatVersion { get; init; }

    /// <summary>The shape of one input, e.g. rows and columns of an image (a version 1 file knows only its length).</summary>
    public required IReadOnlyList<int> InputShape { get; init; }

    /// <summary>Inputs per image: the product of <see cref="InputShape"/> (the first dense layer takes them flattened).</summary>
    public required int InputSize { get; init; }

    /// <summary>The layers in order, then the output layer.</summary>
    public required IReadOnlyList<LayerSummary> Layers { get; init; }

    /// <summary>The output layer: sigmoid or softmax.</summary>
    public required string OutputLayer { get; init; }

    /// <summary>Its cost (<see cref="Network.OutputLayer.CostName"/>).</summary>
    public required string Cost { get; init; }

    /// <summary>Every weight and bias: the length of the parameter vector.</summary>
    public required int Parameters { get; init; }

    /// <summary>Of them, weights (regularized).</summary>
    public required int Weights { get; init; }

    /// <summary>Of them, biases (not regularized).</summary>
    public required int Biases { get; init; }

    /// <summary>One name per output, indexed by class.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>How it was trained; null when no results.json of this network sits beside it.</summary>
    public required TrainingSummary? Training { get; init; }

    /// <summary>Why <see cref="Training"/> is null although a results.json is there (it records another network); else null.</summary>
    public required string? TrainingNote { get; init; }

    /// <summary>The summary of <paramref name="model"/>.</summary>
    /// <param name="model">The model read.</param>
    /// <param name="path">Its file (or null).</param>
    /// <param name="formatVersion">The file's format version (<see cref="ModelFile.ReadFormatVersion"/>).</param>
    /// <param name="resultsPath">The results.json beside it, or null when there is none.</param>
    /// <param name="results">That file read (<see cref="RunResults.Load"/>), or null.</param>
    public static ModelSummary Create(Model model, string? path, int formatVersion, string? resultsPath, RunResults? results)
    {
        ArgumentNullException.ThrowIfNull(model);
        NeuralNetwork network = model.Network;
        var layers = new List<LayerSummary>();
        int units = network.InputSize;
        int dense = 0;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            switch (network.Layers[i])
            {
                case DenseSpec d:
                    int parameters = network.Layout.Weights(dense).Length + network.Layout.Biases(dense).Length;
                    dense++;
                    units = d.Units;
                    layers.Add(new LayerSummary(i, d.Kind, [units], parameters, null, null));
                    break;
                case ActivationSpec a:
                    layers.Add(new LayerSummary(i, a.Kind, [units], 0, a.Function.Name, null));
                    break;
                case DropoutSpec r:
                    layers.Add(new LayerSummary(i, r.Kind, [units], 0, null, r.Rate));
                    break;
            }
        }

        layers.Add(new LayerSummary(null, "output", [units], 0, network.Output.Name, null));
        int weights = network.Layout.Segments.Where(s => s.Kind == ParameterKind.Weights).Sum(s => s.Length);
        TrainingSummary? training = null;
        string? note = null;
        if (results is not null && resultsPath is not null)
        {
            note = results.OtherNetwork(resultsPath, network);
            if (note is null)
            {
                RunConfiguration c = results.Configuration;
                training = new TrainingSummary(
                    resultsPath, ResultNames.Of(results.Solver), c.Optimizer, results.Split, results.SplitDescription, c.LearningRate, c.Lambda, c.BatchSize,
                    results.Epochs, results.Iterations, ResultNames.Of(results.StopReason), results.Seed, results.TrainAccuracy, results.ValidationAccuracy, results.TestAccuracy, results.TrainSeconds);
            }
        }

        return new ModelSummary
        {
            Model = path,
            FormatVersion = formatVersion,
            InputShape = network.InputShape,
            InputSize = network.InputSize,
            Layers = layers,
            OutputLayer = network.Output.Name,
            Cost = network.Output.CostName,
            Parameters = network.ParameterCount,
            Weights = weights,
            Biases = network.ParameterCount - weights,
            ClassNames = model.ClassNames,
            Training = training,
            TrainingNote = note,
        };
    }

    /// <summary>The summary as indented JSON, snake_case keys.</summary>
    public string ToJson() => ResultsFile.ToJson(this);

    /// <summary>Writes the summary to <paramref name="path"/> atomically.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path) => ResultsFile.Save(this, path);

    /// <summary>Reads a file written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, lacks a key, or holds a wrong value; the message names the file and the key.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ModelSummary Load(string path) => ResultsFile.Load<ModelSummary>(path, "model summary", s =>
        ResultsFile.FirstProblem(
            ("parameters", s.Parameters, s.Parameters >= 1 && s.Parameters == s.Weights + s.Biases && s.Parameters == s.Layers.Sum(l => (long)l.Parameters), "an integer >= 1, the weights plus the biases and the sum over the layers"),
            ("layers", s.Layers.Count, s.Layers.Count >= 2, "at least a dense and the output layer"),
            ("class_names", s.ClassNames.Count, s.ClassNames.Count >= 1, "at least one class"),
            ("input_size", s.InputSize, s.InputSize >= 1 && s.InputSize == s.InputShape.Aggregate(1L, (p, d) => p * d), "the product of input_shape")));
}

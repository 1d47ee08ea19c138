using System.Text.Json.Serialization;
using AnnLab.Data;
using AnnLab.Metrics;
using AnnLab.Network;
using AnnLab.Training;

namespace AnnLab.Results;

/// <summary>One point of a run's history as <c>results.json</c> records it (<see cref="TrainingProgress"/> without its total).</summary>
/// <param name="Step">Epoch (sgd) or iteration (cg, lbfgs), from 1.</param>
/// <param name="Cost">sgd: mean of the epoch's batch costs J; cg and lbfgs: J over the training set.</param>
/// <param name="GradientNorm">sgd: ||g|| / len(g) of the epoch's last batch; cg and lbfgs: max |g_i|.</param>
/// <param name="ElapsedSeconds">Seconds of training so far.</param>
/// <param name="TrainCost">J over the training set, where the learning curve measured it; else null.</param>
/// <param name="TrainAccuracy">Training accuracy 0..1, where measured.</param>
/// <param name="ValidationCost">J over the validation set, where measured.</param>
/// <param name="ValidationAccuracy">Validation accuracy 0..1, where measured.</param>
public sealed record HistoryPoint(int Step, double Cost, double GradientNorm, double ElapsedSeconds, double? TrainCost, double? TrainAccuracy, double? ValidationCost, double? ValidationAccuracy)
{
    /// <summary>The point of <paramref name="progress"/>.</summary>
    public static HistoryPoint From(TrainingProgress progress)
        => new(progress.Step, progress.Cost, progress.GradientNorm, progress.ElapsedSeconds, progress.TrainCost, progress.TrainAccuracy, progress.ValidationCost, progress.ValidationAccuracy);
}

/// <summary>
/// What <c>annlab train</c> writes to a run folder's <c>results.json</c> and <c>annlab evaluate</c>
/// reads back: how the run stopped, accuracy and cost J on each part of the split, the
/// configuration, the validation confusion matrix and per-class scores, and the history.
/// Accuracies are fractions 0..1; keys are the property names in snake_case.
/// </summary>
public sealed record RunResults
{
    /// <summary>The solver.</summary>
    [JsonConverter(typeof(KebabCaseEnumConverter<Solver>))]
    public required Solver Solver { get; init; }

    /// <summary>Why training stopped, written as <c>"max-epochs"</c>, <c>"converged"</c>, ...</summary>
    [JsonConverter(typeof(KebabCaseEnumConverter<StopReason>))]
    public required StopReason StopReason { get; init; }

    /// <summary>One sentence on how it stopped.</summary>
    public required string Message { get; init; }

    /// <summary>Epochs run (sgd; 0 for cg and lbfgs).</summary>
    public required int Epochs { get; init; }

    /// <summary>Parameter updates: mini-batch steps (sgd) or iterations.</summary>
    public required int Iterations { get; init; }

    /// <summary>Full-batch cost-and-gradient evaluations (cg, lbfgs; 0 for sgd).</summary>
    public required int FunctionEvaluations { get; init; }

    /// <summary>Training accuracy, 0..1.</summary>
    public required double TrainAccuracy { get; init; }

    /// <summary>Validation accuracy, 0..1.</summary>
    public required double ValidationAccuracy { get; init; }

    /// <summary>Test accuracy, 0..1; null when the split has no test part.</summary>
    public required double? TestAccuracy { get; init; }

    /// <summary>J over the training set.</summary>
    public required double TrainCost { get; init; }

    /// <summary>J over the validation set.</summary>
    public required double ValidationCost { get; init; }

    /// <summary>J over the test set; null when the split has no test part.</summary>
    public required double? TestCost { get; init; }

    /// <summary>The split's name: <c>lab</c>, <c>official</c> or <c>stratified</c>.</summary>
    public required string Split { get; init; }

    /// <summary>The split in words, e.g. "the first 5000 images: 4000 training, 1000 validation".</summary>
    public required string SplitDescription { get; init; }

    /// <summary>Images in the test part (0 when none).</summary>
    public required int TestSamples { get; init; }

    /// <summary>Wall-clock seconds spent training.</summary>
    public required double TrainSeconds { get; init; }

    /// <summary>Samples passed forward and backward per second of training.</summary>
    public required double SamplesPerSecond { get; init; }

    /// <summary>Seed of the initialization, the shuffles and a stratified split.</summary>
    public required int Seed { get; init; }

    /// <summary>Training images.</summary>
    public required int TrainSamples { get; init; }

    /// <summary>Validation images.</summary>
    public required int ValidationSamples { get; init; }

    /// <summary>Path of the saved model; null when the run saved none (it diverged).</summary>
    public required string? Model { get; init; }

    /// <summary>The settings of the run.</summary>
    public required RunConfiguration Configuration { get; init; }

    /// <summary>Validation confusion matrix: row t, column p = images of true class t predicted as p.</summary>
    public required IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix { get; init; }

    /// <summary>Validation precision, recall and F1 per class.</summary>
    public required IReadOnlyList<ClassScores> ValidationClasses { get; init; }

    /// <summary>One entry per epoch or iteration.</summary>
    public required IReadOnlyList<HistoryPoint> History { get; init; }

    /// <summary>The results of a finished run.</summary>
    /// <param name="solver">The solver used.</param>
    /// <param name="result">How training ended.</param>
    /// <param name="train">Cost and accuracy on the training part.</param>
    /// <param name="validation">On the validation part.</param>
    /// <param name="test">On the test part; null when the split has none.</param>
    /// <param name="split">The split trained on.</param>
    /// <param name="report">The validation confusion matrix and per-class scores.</param>
    /// <param name="configuration">The settings.</param>
    /// <param name="modelPath">The saved model; null when none was saved.</param>
    public static RunResults Create(Solver solver, TrainingResult result, Evaluation train, Evaluation validation, Evaluation? test, DataSplit split, ClassificationReport report, RunConfiguration configuration, string? modelPath)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(configuration);
        return new RunResults
        {
            Solver = solver,
            StopReason = result.StopReason,
            Message = result.Message,
            Epochs = result.Epochs,
            Iterations = result.Iterations,
            FunctionEvaluations = result.FunctionEvaluations,
            TrainAccuracy = train.Accuracy,
            ValidationAccuracy = validation.Accuracy,
            TestAccuracy = test?.Accuracy,
            TrainCost = train.Cost,
            ValidationCost = validation.Cost,
            TestCost = test?.Cost,
            Split = split.Name,
            SplitDescription = split.Description,
            TestSamples = split.Test?.Count ?? 0,
            TrainSeconds = result.TrainSeconds,
            SamplesPerSecond = result.SamplesPerSecond,
            Seed = configuration.Seed,
            TrainSamples = train.Predictions.Length,
            ValidationSamples = validation.Predictions.Length,
            Model = modelPath,
            Configuration = configuration,
            ConfusionMatrix = ResultsFile.Rows(report),
            ValidationClasses = report.Classes,
            History = result.History.Select(HistoryPoint.From).ToArray(),
        };
    }

    /// <summary>The results as indented JSON, snake_case keys.</summary>
    public string ToJson() => ResultsFile.ToJson(this);

    /// <summary>Writes the results to <paramref name="path"/> atomically (complete or untouched).</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path) => ResultsFile.Save(this, path);

    /// <summary>
    /// Why this results file is not the record of the network <paramref name="layerSizes"/> gives,
    /// as one sentence ("run/results.json records a 784-64-10 network, not this 784-25-10 one"):
    /// a results.json of another run beside a model; null when <see cref="RunConfiguration.LayerSizes"/>
    /// are <paramref name="layerSizes"/>.
    /// </summary>
    /// <param name="path">Where the file was read, for the sentence.</param>
    /// <param name="layerSizes">The model's layer sizes: inputs, each hidden layer, outputs.</param>
    public string? OtherNetwork(string path, IReadOnlyList<int> layerSizes)
        => Configuration.LayerSizes.SequenceEqual(layerSizes) ? null
            : $"{path} records a {string.Join("-", Configuration.LayerSizes)} network, not this {string.Join("-", layerSizes)} one";

    /// <summary>
    /// Why this results file is not the record of <paramref name="network"/>, as one sentence: other layer sizes (as
    /// <see cref="OtherNetwork(string, IReadOnlyList{int})"/>), else another hidden activation ("run/results.json records
    /// a 784-25-10 network of relu units, not this one of sigmoid units"), else another output layer; null when the
    /// file records this network's sizes, <see cref="RunConfiguration.Activation"/> and <see cref="RunConfiguration.OutputActivation"/>.
    /// </summary>
    /// <param name="path">Where the file was read, for the sentence.</param>
    /// <param name="network">The model's network.</param>
    public string? OtherNetwork(string path, AnnLab.Network.NeuralNetwork network)
    {
        string sizes = string.Join("-", network.LayerSizes);
        return OtherNetwork(path, network.LayerSizes)
            ?? (Configuration.Activation != network.HiddenActivation.Name && network.LayerSizes.Count > 2
                ? $"{path} records a {sizes} network of {Configuration.Activation} units, not this one of {network.HiddenActivation.Name} units"
                : Configuration.OutputActivation != network.OutputActivationName
                    ? $"{path} records a {sizes} network with {Configuration.OutputActivation} outputs, not this one with {network.OutputActivationName} outputs"
                    : null);
    }

    /// <summary>Reads a results file written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, lacks a key, holds a value of the wrong type, or a value out of range; the message names the file and the key.</exception>
    /// <exception cref="IOException">The file cannot be read (<see cref="FileNotFoundException"/> when it is missing).</exception>
    public static RunResults Load(string path) => ResultsFile.Load<RunResults>(path, "results file", r => r.Problem());

    private string? Problem() => ResultsFile.FirstProblem(
            ("train_accuracy", TrainAccuracy, ResultsFile.IsFraction(TrainAccuracy), "a fraction in 0..1"),
            ("validation_accuracy", ValidationAccuracy, ResultsFile.IsFraction(ValidationAccuracy), "a fraction in 0..1"),
            ("test_accuracy", TestAccuracy, ResultsFile.IsFraction(TestAccuracy), "a fraction in 0..1 or null"),
            ("epochs", Epochs, Epochs >= 0, "an integer >= 0"),
            ("iterations", Iterations, Iterations >= 0, "an integer >= 0"),
            ("function_evaluations", FunctionEvaluations, FunctionEvaluations >= 0, "an integer >= 0"),
            ("train_samples", TrainSamples, TrainSamples >= 1, "an integer >= 1"),
            ("validation_samples", ValidationSamples, ValidationSamples >= 1, "an integer >= 1"),
            ("test_samples", TestSamples, TestSamples >= 0, "an integer >= 0"),
            ("validation_classes", ValidationClasses.Count, ValidationClasses.Count >= 1, "at least one class"),
            ("split", Split, AnnLab.Data.Dataset.SplitNames.Contains(Split), $"one of {string.Join(", ", AnnLab.Data.Dataset.SplitNames)}"))
        ?? Configuration.Problem()
        ?? ResultsFile.MatrixProblem("confusion_matrix", ConfusionMatrix, ValidationClasses.Count, ValidationSamples);
}

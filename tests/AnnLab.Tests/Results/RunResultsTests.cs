using AnnLab.Data;
using AnnLab.Metrics;
using AnnLab.Network;
using AnnLab.Results;
using AnnLab.Training;

namespace AnnLab.Tests.Results;

public class RunResultsTests
{
    // A cg run on a split with a test part: every nullable field set, and a history point without measurements.
    internal static RunResults Sample() => new()
    {
        Solver = Solver.Cg,
        StopReason = StopReason.LineSearchFailed,
        Message = "line search failed in iteration 7",
        Epochs = 0,
        Iterations = 7,
        FunctionEvaluations = 19,
        TrainAccuracy = 0.75,
        ValidationAccuracy = 0.5,
        TestAccuracy = 1.0 / 3,
        TrainCost = 0.9972280490100384,
        ValidationCost = 1.0351281039118767,
        TestCost = 2.5e-7,
        Split = "official",
        SplitDescription = "60,000 training images: 4 training, 4 validation; 3 test",
        TestSamples = 3,
        TrainSeconds = 4.6234262,
        SamplesPerSecond = 432579.63109695574,
        Seed = 7,
        TrainSamples = 4,
        ValidationSamples = 4,
        Model = "/runs/x/model.annlab",
        Configuration = new RunConfiguration
        {
            Data = "/data/fashion-mnist", Samples = 11, TrainFraction = 0.5, LayerSizes = [784, 512, 256, 10], Activation = "relu", OutputActivation = "softmax",
            Solver = "cg", LearningRate = 0.001, Lambda = 0.5, LambdaScale = "training-set", BatchSize = 128, MaxEpochs = 30, Tolerance = 1e-5, MaxIterations = 7,
            GradientTolerance = 1e-5, Init = "he", InitEpsilon = 0.12, Optimizer = "adamw", Momentum = 0.9, WeightDecay = 0.05, Schedule = "cosine", WarmupEpochs = 2,
            ClipNorm = 1.5, Patience = 3, Monitor = "validation-accuracy", Dropout = 0.2, Augment = true, Seed = 7, Threads = 2,
        },
        ConfusionMatrix = [[2, 0], [2, 0]],
        ValidationClasses = [new ClassScores(0, "T-shirt/top", 0.5, 1, 2.0 / 3, 2), new ClassScores(1, "Trouser", 0, 0, 0, 2)],
        History =
        [
            new HistoryPoint(1, 4.079061520293355, 1.3527715432525933e-05, 0.0278332, 3.2342394896149633, 0.14625, 3.2687664351463317, 0.158),
            new HistoryPoint(2, 3.5, 1e-3, 0.05, null, null, null, null),
        ],
    };

    private static string Saved(RunResults results)
    {
        string path = Path.Combine(TestPaths.NewTempDirectory(), "results.json");
        results.Save(path);
        return path;
    }

    [Fact]
    public void Save_then_load_gives_the_same_values()
    {
        RunResults sample = Sample();
        string path = Saved(sample);
        RunResults back = RunResults.Load(path);
        Assert.Equivalent(sample, back, strict: true);
        Assert.Equal(sample.TestAccuracy, back.TestAccuracy); // bit for bit, not only close
        Assert.Null(back.History[1].ValidationAccuracy);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));

        // A run with no test part and no model keeps its nulls.
        RunResults lab = sample with { TestAccuracy = null, TestCost = null, TestSamples = 0, Model = null, Solver = Solver.Sgd, StopReason = StopReason.MaxEpochs };
        Assert.Equivalent(lab, RunResults.Load(Saved(lab)), strict: true);
    }

    [Fact]
    public void Enums_are_written_under_their_option_names()
    {
        string json = (Sample() with { Solver = Solver.Lbfgs, StopReason = StopReason.MaxEpochs }).ToJson();
        Assert.Contains("\"solver\": \"lbfgs\"", json);
        Assert.Contains("\"stop_reason\": \"max-epochs\"", json);
        Assert.Equal("line-search-failed", ResultNames.Of(StopReason.LineSearchFailed));
        Assert.Equal("early-stopped", ResultNames.Of(StopReason.EarlyStopped));
    }

    [Fact]
    public void A_truncated_file_is_refused_with_its_name()
    {
        string path = Saved(Sample());
        string text = File.ReadAllText(path);
        File.WriteAllText(path, text[..(text.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => RunResults.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not a valid results file", e.Message);

        File.WriteAllText(path, "");
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => RunResults.Load(path)).Message);
        File.WriteAllText(path, "null");
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => RunResults.Load(path)).Message);
    }

    [Theory]
    [InlineData("\"epochs\": 0,", "\"epochs\": \"none\",", "$.epochs")]
    [InlineData("\"samples\": 11,", "\"samples\": 1.5,", "$.configuration.samples")]
    [InlineData("\"stop_reason\": \"line-search-failed\",", "\"stop_reason\": \"tired\",", "$.stop_reason")]
    [InlineData("\"stop_reason\": \"line-search-failed\",", "\"stop_reason\": 3,", "$.stop_reason")]
    [InlineData("\"message\": \"line search failed in iteration 7\",", "\"message\": null,", "$.message")]
    [InlineData("\"seed\": 7,\n  \"train_samples\"", "\"train_samples\"", "missing key seed")]
    [InlineData("\"lambda_scale\": \"training-set\",", "", "missing key configuration.lambda_scale")]
    [InlineData("\"validation_accuracy\": 0.5,", "\"validation_accuracy\": 1.5,", "validation_accuracy: got 1.5, expected a fraction in 0..1")]
    [InlineData("\"train_fraction\": 0.5,", "\"train_fraction\": 1,", "configuration.train_fraction: got 1, expected a number strictly between 0 and 1")]
    [InlineData("\"validation_samples\": 4,", "\"validation_samples\": 5,", "confusion_matrix: got counts summing to 4, expected the 5 images")]
    public void A_missing_or_wrong_value_is_refused_naming_the_file_and_the_key(string find, string replace, string expected)
    {
        string path = Saved(Sample());
        string text = File.ReadAllText(path);
        Assert.Contains(find, text);
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
        var e = Assert.Throws<InvalidDataException>(() => RunResults.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_missing_file_is_an_io_error()
        => Assert.Throws<FileNotFoundException>(() => RunResults.Load(Path.Combine(TestPaths.NewTempDirectory(), "none.json")));

    [Fact]
    public void Evaluation_and_comparison_results_round_trip()
    {
        byte[] labels = [0, 0, 1, 1, 1], predicted = [0, 1, 1, 1, 0];
        var report = ClassificationReport.Create(labels, predicted, ["left", "right"]);
        var images = new SplitImages(SplitPart.Test, new ImageSet(new byte[5], labels, 1, 1, 1), [60000, 60001, 60002, 60003, 60004]);
        var measured = new Evaluation(0.25, 0.6, predicted) { Probabilities = [0.9f, 0.6f, 0.75f, 0.5f, 0.5f] };
        EvaluationResults evaluation = EvaluationResults.Create(report, measured, images, "lab", "m.annlab", 600, 0.8);
        string path = Path.Combine(TestPaths.NewTempDirectory(), "evaluation.json");
        evaluation.Save(path);
        EvaluationResults back = EvaluationResults.Load(path);
        Assert.Equivalent(evaluation, back, strict: true);
        Assert.Equal(0.6, back.Accuracy);
        Assert.Equal("test", back.Part);
        Assert.Equal("lab", back.Split);
        Assert.Equal([[1, 1], [1, 2]], back.ConfusionMatrix.Select(r => r.ToArray()).ToArray());
        Assert.Equal(new ImagePrediction(60001, 0, 1, 0.6f), back.Predictions[1]);

        // Predictions that do not add up to the confusion matrix are refused, naming the key.
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"predicted_class\": 1,\n      \"probability\": 0.6", "\"predicted_class\": 0,\n      \"probability\": 0.6", StringComparison.Ordinal));
        Assert.Contains("predictions: 2 of true class 0 predicted as 0, expected the confusion matrix's 1", Assert.Throws<InvalidDataException>(() => EvaluationResults.Load(path)).Message);

        var comparison = new ComparisonResults
        {
            Split = "lab", Solver = Solver.Sgd, Samples = 600, TrainFraction = 0.8, MaxEpochs = 5, LearningRate = 0.1, Lambda = 1, LambdaScale = "training-set", Seed = 1,
            Models = [new ComparedModel { Model = "logistic regression", LayerSizes = [784, 10], ParameterCount = 7850, TrainAccuracy = 0.64, ValidationAccuracy = 0.65, TrainCost = 2.28, ValidationCost = 2.39, TrainSeconds = 0.2, StopReason = StopReason.MaxEpochs }],
        };
        comparison.Save(path);
        Assert.Equivalent(comparison, ComparisonResults.Load(path), strict: true);
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => EvaluationResults.Load(path)).Message); // a compare.json is not an evaluation
    }
}

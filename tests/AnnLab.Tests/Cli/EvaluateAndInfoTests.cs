using System.Globalization;
using System.Text.RegularExpressions;
using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Results;

namespace AnnLab.Tests.Cli;

/// <summary>
/// Issue 11 at the command line: <c>evaluate --part test</c> on the held-out test images, the
/// per-image predictions of evaluation.json and their indices taken by <c>explain</c>, and
/// <c>annlab info</c> on good, bad and missing model files.
/// </summary>
public class EvaluateAndInfoTests
{
    // One tiny model for the whole class: 300 images (240 training), 2 epochs.
    private static readonly Lazy<string> Run = new(() =>
    {
        string run = Path.Combine(TestPaths.NewTempDirectory(), "run");
        (int code, _, string stderr) = Annlab("train", "--samples", "300", "--max-epochs", "2", "--no-figures", "--output", run);
        Assert.True(code == 0, stderr);
        return run;
    });

    private static readonly Lazy<ImageSet> AllImages = new(() => FashionMnist.Open(TestPaths.DataDirectory).LoadAll().Images);

    private static (int ExitCode, string Output, string Error) Annlab(params string[] args) => AnnlabProcess.Run(null, args);

    private static string ModelPath => Path.Combine(Run.Value, "model.annlab");

    private static void AssertOneLine(int expectedCode, string expected, int code, string stderr)
    {
        Assert.Equal(expectedCode, code);
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("annlab: ", lines[0]);
        Assert.Contains(expected, lines[0]);
    }

    // The predictions agree with the data set's labels, the confusion matrix and the accuracy.
    private static void AssertConsistent(EvaluationResults e)
    {
        byte[] labels = AllImages.Value.Labels.ToArray();
        Assert.Equal(e.Images, e.Predictions.Count);
        Assert.All(e.Predictions, p => Assert.Equal(labels[p.Index], p.TrueClass));
        Assert.All(e.Predictions, p => Assert.InRange(p.Probability, 0f, 1f));
        int wrong = e.Predictions.Count(p => p.TrueClass != p.PredictedClass);
        int offDiagonal = e.ConfusionMatrix.SelectMany((row, t) => row.Where((_, p) => p != t)).Sum();
        Assert.Equal(offDiagonal, wrong);
        Assert.True(wrong > 0); // an untrained-ish model: the check above compares real counts
        Assert.Equal(1 - ((double)wrong / e.Images), e.Accuracy, 1e-12);
        for (int t = 0; t < e.ConfusionMatrix.Count; t++)
        {
            for (int p = 0; p < e.ConfusionMatrix.Count; p++)
            {
                Assert.Equal(e.ConfusionMatrix[t][p], e.Predictions.Count(x => x.TrueClass == t && x.PredictedClass == p));
            }
        }
    }

    [Fact]
    public void Evaluate_on_the_official_test_part_counts_the_10000_test_images_and_each_one_is_in_evaluation_json()
    {
        string folder = TestPaths.NewTempDirectory();
        (int code, string stdout, string stderr) = Annlab("evaluate", "--model", ModelPath, "--split", "official", "--part", "test", "--output", folder);
        Assert.True(code == 0, stderr);
        Assert.Contains("measuring the 10000 test images", stdout);
        Assert.Contains("accuracy ", stdout);
        Assert.Contains("of 10000 images", stdout);
        EvaluationResults e = EvaluationResults.Load(Path.Combine(folder, "evaluation.json"));
        Assert.Equal(("official", "test", 10000), (e.Split, e.Part, e.Images));
        Assert.Equal(10000, e.ConfusionMatrix.Sum(r => r.Sum()));
        Assert.Equal(Enumerable.Range(60000, 10000), e.Predictions.Select(p => p.Index));
        AssertConsistent(e);
        foreach (string figure in new[] { "test-predictions.png", "misclassified.png", "confusion-matrix.png", "report.html" })
        {
            Assert.True(File.Exists(Path.Combine(folder, figure)), figure);
        }

        Assert.Contains("test accuracy", File.ReadAllText(Path.Combine(folder, "report.html")));
    }

    [Fact]
    public void An_index_from_evaluation_json_given_to_explain_shows_that_image_with_that_prediction()
    {
        // Without split options evaluate takes the lab split of 300 images from results.json; its
        // test part is Fashion-MNIST's test part, which those 300 images leave untouched.
        string json = Path.Combine(TestPaths.NewTempDirectory(), "test.json");
        (int code, string stdout, string stderr) = Annlab("evaluate", "--model", ModelPath, "--part", "test", "--no-figures", "--json", json);
        Assert.True(code == 0, stderr);
        Assert.Contains("measuring the 10000 test images (the split it was trained on, from ", stdout);
        Assert.Contains("Fashion-MNIST's test part, images 60000..69999, which the lab split leaves untouched", stdout);
        EvaluationResults test = EvaluationResults.Load(json);
        Assert.Equal(("lab", "test", 300), (test.Split, test.Part, test.Samples));
        AssertConsistent(test);

        // The validation part: images 240..299 of the lab split.
        string validationJson = Path.Combine(TestPaths.NewTempDirectory(), "validation.json");
        (code, _, stderr) = Annlab("evaluate", "--model", ModelPath, "--no-figures", "--json", validationJson);
        Assert.True(code == 0, stderr);
        EvaluationResults validation = EvaluationResults.Load(validationJson);
        Assert.Equal(Enumerable.Range(240, 60), validation.Predictions.Select(p => p.Index));
        AssertConsistent(validation);

        string[] classes = [.. test.Classes.Select(c => c.Name)];
        ImagePrediction[] picked = [test.Predictions.First(p => p.TrueClass != p.PredictedClass), test.Predictions[^1], validation.Predictions.First(p => p.TrueClass != p.PredictedClass)];
        foreach (ImagePrediction p in picked)
        {
            string pictures = TestPaths.NewTempDirectory();
            (code, stdout, stderr) = Annlab("explain", "--model", ModelPath, "--index", p.Index.ToString(CultureInfo.InvariantCulture), "--samples", "300", "--output", pictures);
            Assert.True(code == 0, stderr);
            Assert.Contains($"image {p.Index}: {classes[p.TrueClass]} -> {classes[p.PredictedClass]} (index: true -> predicted; classes {p.TrueClass} -> {p.PredictedClass}, {(p.TrueClass == p.PredictedClass ? "right" : "misclassified")})", stdout);
            Assert.Contains(p.Index >= 60000 ? "a test image: in Fashion-MNIST's test part, which the lab split leaves untouched" : "a validation image of the lab split", stdout);
            Match line = Regex.Match(stdout, @$"  {p.PredictedClass} .* h +([0-9.]+)  <- predicted");
            Assert.True(line.Success, stdout);
            Assert.Equal(p.Probability, double.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture), 1e-4);
            Assert.True(File.Exists(Path.Combine(pictures, $"explain-{p.Index}.png")));
        }
    }

    [Fact]
    public void The_test_part_is_refused_when_the_split_used_test_images_and_an_unknown_part_is_refused()
    {
        string folder = TestPaths.NewTempDirectory();
        (int code, string stdout, string stderr) = Annlab("evaluate", "--model", ModelPath, "--part", "test", "--samples", "65000", "--output", folder);
        AssertOneLine(2, "annlab: --part: got test, expected training or validation: the lab split's first 65000 images reach into Fashion-MNIST's test part (images 60000..69999), so it is not held out; give --samples 60000 or fewer, or --split official", code, stderr);
        Assert.Equal("", stdout);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
        (code, _, stderr) = Annlab("evaluate", "--model", ModelPath, "--part", "holdout", "--output", folder);
        AssertOneLine(2, "annlab: --part: got holdout, expected training, validation, test", code, stderr);
    }

    [Fact]
    public void Evaluate_on_the_training_part_measures_the_training_images()
    {
        string json = Path.Combine(TestPaths.NewTempDirectory(), "training.json");
        (int code, string stdout, string stderr) = Annlab("evaluate", "--model", ModelPath, "--part", "training", "--no-figures", "--json", json);
        Assert.True(code == 0, stderr);
        Assert.Contains("measuring the 240 training images", stdout);
        EvaluationResults e = EvaluationResults.Load(json);
        Assert.Equal(Enumerable.Range(0, 240), e.Predictions.Select(p => p.Index));
        Assert.Equal(RunResults.Load(Path.Combine(Run.Value, "results.json")).TrainAccuracy, e.Accuracy, 1e-12);
    }

    [Fact]
    public void A_part_without_a_misclassified_image_still_gets_its_figures()
    {
        // 16 training images learned by heart: none wrong, so misclassified.png is its title alone.
        string run = Path.Combine(TestPaths.NewTempDirectory(), "run");
        (int code, _, string stderr) = Annlab("train", "--samples", "20", "--hidden", "50", "--max-epochs", "300", "--learning-rate", "1", "--lambda", "0", "--no-figures", "--output", run);
        Assert.True(code == 0, stderr);
        string folder = TestPaths.NewTempDirectory();
        (code, string stdout, stderr) = Annlab("evaluate", "--model", Path.Combine(run, "model.annlab"), "--part", "training", "--output", folder);
        Assert.True(code == 0, stderr);
        Assert.Contains("accuracy 100.00 % of 16 images", stdout);
        Assert.True(File.Exists(Path.Combine(folder, "misclassified.png")));
        Assert.True(File.Exists(Path.Combine(folder, "training-predictions.png")));
        EvaluationResults e = EvaluationResults.Load(Path.Combine(folder, "evaluation.json"));
        Assert.Equal(16, e.Predictions.Count);
        Assert.DoesNotContain(e.Predictions, p => p.TrueClass != p.PredictedClass);
    }

    [Fact]
    public void Info_prints_the_layers_and_the_lab_networks_19885_parameters_and_its_training()
    {
        string json = Path.Combine(TestPaths.NewTempDirectory(), "info.json");
        (int code, string stdout, string stderr) = Annlab("info", "--model", ModelPath, "--json", json);
        Assert.True(code == 0, stderr);
        Assert.Contains($"model: {ModelPath} (AnnLab model file, format version 2)", stdout);
        Assert.Contains("input: 28x28 (784 values, flattened)", stdout);
        Assert.Matches(@"│ 0 │ dense +│ 25 +│ +19,625 │", stdout);
        Assert.Matches(@"│ 1 │ activation │ 25 +│ +0 │ sigmoid", stdout);
        Assert.Matches(@"│ 2 │ dense +│ 10 +│ +260 │", stdout);
        Assert.Matches(@"│ +│ output +│ 10 +│ +0 │ sigmoid", stdout);
        Assert.Contains("total parameters: 19,885 (19,850 weights, 35 biases)", stdout);
        Assert.Contains("output layer: sigmoid; cost: binary cross-entropy", stdout);
        Assert.Contains("classes (10): 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot", stdout);
        RunResults trained = RunResults.Load(Path.Combine(Run.Value, "results.json"));
        Assert.Contains($"training, from {Path.Combine(Run.Value, "results.json")}:", stdout);
        Assert.Matches(@"│ epochs +│ 2 ", stdout);
        Assert.Contains(FormattableString.Invariant($"{trained.ValidationAccuracy * 100:F2} %"), stdout);

        ModelSummary s = ModelSummary.Load(json);
        Assert.Equal((19885, 19850, 35, 2), (s.Parameters, s.Weights, s.Biases, s.FormatVersion));
        Assert.Equal([28, 28], s.InputShape);
        Assert.Equal(["dense", "activation", "dense", "output"], s.Layers.Select(l => l.Kind));
        Assert.Equal([19625, 0, 260, 0], s.Layers.Select(l => l.Parameters));
        Assert.Equal(trained.ValidationAccuracy, s.Training!.ValidationAccuracy);
        Assert.Equal(("sgd", 2, "max-epochs"), (s.Training.Solver, s.Training.Epochs, s.Training.StopReason));
    }

    [Fact]
    public void Info_shows_a_deeper_softmax_network_with_dropout_and_does_not_take_another_networks_results_for_its_own()
    {
        // 784-128-64-10: (784 + 1) 128 = 100,480, (128 + 1) 64 = 8,256 and (64 + 1) 10 = 650 parameters: 109,386.
        string folder = TestPaths.NewTempDirectory();
        var network = new NeuralNetwork([28, 28], [new DenseSpec(128), new ActivationSpec(new Relu()), new DropoutSpec(0.2), new DenseSpec(64), new ActivationSpec(new Relu()), new DenseSpec(10)], OutputLayers.Softmax);
        var parameters = new float[network.ParameterCount];
        network.Initialize<float>(parameters, 0.1, seed: 1);
        string model = Path.Combine(folder, "model.annlab");
        ModelFile.Save(new Model(network, parameters, [.. Enumerable.Range(0, 10).Select(k => $"c{k}")]), model);
        File.Copy(Path.Combine(Run.Value, "results.json"), Path.Combine(folder, "results.json"));
        (int code, string stdout, string stderr) = Annlab("info", "--model", model);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"│ 0 │ dense +│ 128 +│ +100,480 │", stdout);
        Assert.Matches(@"│ 2 │ dropout +│ 128 +│ +0 │ \(rate 0.2\)", stdout);
        Assert.Matches(@"│ 3 │ dense +│ 64 +│ +8,256 │", stdout);
        Assert.Matches(@"│ 4 │ activation │ 64 +│ +0 │ relu", stdout);
        Assert.Matches(@"│ +│ output +│ 10 +│ +0 │ softmax", stdout);
        Assert.Contains("total parameters: 109,386 (109,184 weights, 202 biases)", stdout);
        Assert.Contains("output layer: softmax; cost: categorical cross-entropy", stdout);
        Assert.Contains($"training: not shown: {Path.Combine(folder, "results.json")} records a 784-25-10 network, not this 784-128-64-10 one", stdout);
    }

    [Theory]
    [InlineData("missing", "no such file; annlab train writes model.annlab into its run folder")]
    [InlineData("folder", "is a folder; expected a model file such as")]
    [InlineData("garbage", "not an AnnLab model file")]
    [InlineData("truncated", "expected 79540 bytes of parameters, got 796")]
    [InlineData("empty", "expected a regular model file of at least 12 bytes, got 0 bytes")]
    public void Info_on_a_bad_or_missing_model_file_is_one_line_and_exit_code_1(string kind, string expected)
    {
        string folder = TestPaths.NewTempDirectory();
        string path = Path.Combine(folder, "model.annlab");
        switch (kind)
        {
            case "folder":
                Directory.CreateDirectory(path);
                break;
            case "garbage":
                File.WriteAllText(path, "this is not a model, but long enough to have a header");
                break;
            case "truncated":
                File.WriteAllBytes(path, File.ReadAllBytes(ModelPath)[..1000]);
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
        }

        (int code, string stdout, string stderr) = Annlab("info", "--model", path);
        AssertOneLine(1, expected, code, stderr);
        Assert.Contains(path, stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Info_refuses_an_empty_model_option_and_a_json_file_that_is_the_model()
    {
        (int code, _, string stderr) = Annlab("info", "--model", "");
        AssertOneLine(2, "annlab: --model: got '', expected a model file", code, stderr);
        (code, _, stderr) = Annlab("info", "--model", ModelPath, "--json", ModelPath);
        AssertOneLine(2, "--json: got ", code, stderr);
        Assert.Contains("expected a file other than the model and its results.json", stderr);
    }
}

using System.Text.Json;
using AnnLab.Cli;
using AnnLab.Network;
using AnnLab.Results;
using AnnLab.Training;

namespace AnnLab.Tests.Cli;

/// <summary>The command line as a user meets it: exit codes and one-line messages of the real <c>annlab</c> program.</summary>
public class CommandLineTests
{
    private static (int ExitCode, string Output, string Error) Annlab(params string[] args) => AnnlabProcess.Run(args);

    [Theory]
    [InlineData("--batch-size", "0", "--batch-size: got 0, expected an integer in 1..1000000")]
    [InlineData("--train-fraction", "1.5", "--train-fraction: got 1.5, expected a number strictly between 0 and 1")]
    [InlineData("--samples", "80000", "--samples: got 80000, expected an integer in 2..70000, or 'all'")]
    [InlineData("--hidden", "25,x", "--hidden: got 25,x, expected a comma-separated list")]
    [InlineData("--solver", "adam", "--solver: got adam, expected sgd, cg or lbfgs")]
    [InlineData("--learning-rate", "0,1", "--learning-rate: got 0,1, expected a finite number > 0 (a number with a decimal point")]
    [InlineData("--batch-size", "1.5", "--batch-size: got 1.5, expected an integer in 1..1000000")]
    [InlineData("--lambda-scale", "per-batch", "--lambda-scale: got per-batch, expected batch or training-set")]
    [InlineData("--json", "", "--json: got '', expected a file path")]
    [InlineData("--json", "/", "--json: got /, expected a file path, not a folder")]
    public void A_bad_option_is_one_line_and_exit_code_2(string option, string value, string message)
        => AssertRejected("train", option, value, message);

    [Theory]
    [InlineData("--optimizer", "adma", "--optimizer: got adma, expected one of sgd, momentum, nesterov, adam, adamw, rmsprop")]
    [InlineData("--schedule", "linear", "--schedule: got linear, expected constant, step or cosine")]
    [InlineData("--monitor", "accuracy", "--monitor: got accuracy, expected validation-cost or validation-accuracy")]
    [InlineData("--init", "zeros", "--init: got zeros, expected one of uniform, glorot, he")]
    [InlineData("--output-activation", "tanh", "--output-activation: got tanh, expected one of sigmoid, softmax")]
    public void A_mistyped_choice_lists_the_choices(string option, string value, string message)
        => AssertRejected("train", option, value, message);

    [Theory]
    [InlineData("--dropout", "0.5", "--dropout: applies to --solver sgd only, got --solver cg")]
    [InlineData("--batch-size", "100", "--batch-size: applies to --solver sgd only, got --solver cg")]
    [InlineData("--optimizer", "adam", "--optimizer: applies to --solver sgd only, got --solver cg")]
    public void An_option_given_for_a_solver_that_ignores_it_names_both(string option, string value, string message)
    {
        string output = TestPaths.NewTempDirectory();
        (int code, string stdout, string stderr) = Annlab("train", "--solver", "cg", option, value, "--output", output);
        Assert.Equal(2, code);
        Assert.Equal("annlab: " + message, stderr.Trim());
        Assert.Equal("", stdout);
        Assert.Empty(Directory.GetFileSystemEntries(output));
    }

    [Fact]
    public void A_full_batch_option_given_to_sgd_is_refused_too_and_the_preset_is_not_blamed()
    {
        (int code, _, string stderr) = Annlab("train", "--max-iterations", "5", "--output", TestPaths.NewTempDirectory());
        Assert.Equal(2, code);
        Assert.Equal("annlab: --max-iterations: applies to --solver cg or lbfgs only, got --solver sgd", stderr.Trim());

        // The preset's sgd settings are not the user's: with --solver cg they are simply unused.
        TrainingOptions cg = TrainCommand.Bind(TrainCommand.Create().Parse(["--preset", "best", "--solver", "cg"]));
        Assert.Equal(Solver.Cg, cg.Solver);
    }

    // The library names other options by property in backticks; only the command line spells them.
    [Fact]
    public void Messages_that_refer_to_another_option_spell_it_as_the_command_line_does()
    {
        var e = Assert.Throws<OptionOutOfRangeException>(() => new TrainingOptions { WarmupEpochs = 500 }.Validate());
        Assert.DoesNotContain("--", e.Message);
        Assert.Equal("--warmup-epochs: got 500, expected an integer in 0..499 (fewer than --max-epochs)", OptionNames.Line(e));
        Assert.Equal("--warmup-epochs: got x, expected an integer >= 0, fewer than --max-epochs", OptionNames.Line(Assert.Throws<OptionOutOfRangeException>(() => TrainingOptionTable.Get(nameof(TrainingOptions.WarmupEpochs)).Parse(new TrainingOptions(), "x"))));
        Assert.All(TrainingOptionTable.All, s => Assert.DoesNotContain("--", s.Help + s.Allowed));
    }

    [Fact]
    public void Help_shows_the_tables_defaults_and_help_texts()
    {
        (int code, string stdout, _) = Annlab("train", "--help");
        Assert.Equal(0, code);
        foreach (OptionSpec spec in TrainingOptionTable.All.Where(s => s.Property is not (nameof(TrainingOptions.Threads) or nameof(TrainingOptions.Augment) or nameof(TrainingOptions.Samples) or nameof(TrainingOptions.TrainFraction))))
        {
            string name = OptionLines.Name(new OptionOutOfRangeException(spec.Property, null, ""));
            Assert.Contains(name, stdout);
            Assert.Contains($"[default: {TrainingOptionSet.Readable(spec.DefaultText)}]", stdout);
        }

        Assert.Contains("[default: 1e-5]", stdout);
        Assert.Contains("uniform (the lab's, with --init-epsilon)", stdout);
        Assert.DoesNotContain("`", stdout);

        Assert.Contains("[default: 0.9]", stdout);
        Assert.Contains("[default: validation-cost]", stdout);
        Assert.Contains("[sgd only]", stdout);
    }

    // The command exits with code 2, one line on stderr starting with the message, nothing on stdout, nothing in its run folder.
    private static void AssertRejected(string command, string option, string value, string message)
    {
        string output = TestPaths.NewTempDirectory();
        (int code, string stdout, string stderr) = Annlab(command, option, value, "--output", output);
        Assert.Equal(2, code);
        Assert.StartsWith("annlab: " + message, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Empty(Directory.GetFileSystemEntries(output));
        Assert.Equal("", stdout);
    }

    [Fact]
    public void The_best_preset_sets_the_shared_training_options_and_given_options_override_it()
    {
        var train = TrainCommand.Create();
        TrainingOptions best = TrainCommand.Bind(train.Parse(["--preset", "best"]));
        Assert.Equal([512, 256], best.Hidden);
        Assert.Equal(0.001, best.LearningRate);
        Assert.Equal(0, best.Lambda);
        Assert.Equal(30, best.MaxEpochs);
        Assert.Equal(128, best.BatchSize);

        TrainingOptions overridden = TrainCommand.Bind(train.Parse(["--preset", "best", "--max-epochs", "5", "--lambda-scale", "training-set"]));
        Assert.Equal(5, overridden.MaxEpochs);
        Assert.Equal(LambdaScale.TrainingSet, overridden.LambdaScale);
        Assert.Equal([512, 256], overridden.Hidden);
        Assert.Equal(LambdaScale.Batch, TrainCommand.Bind(train.Parse([])).LambdaScale);
    }

    [Fact]
    public void A_run_folder_holding_an_earlier_run_is_not_overwritten()
    {
        string run = TestPaths.NewTempDirectory();
        File.WriteAllText(Path.Combine(run, "model.annlab"), "earlier");
        (int code, _, string stderr) = Annlab("train", "--samples", "100", "--max-epochs", "1", "--output", run);
        Assert.Equal(2, code);
        Assert.Contains("--output: got " + run + ", expected a new or empty folder", stderr);
        Assert.Equal("earlier", File.ReadAllText(Path.Combine(run, "model.annlab")));
    }

    [Fact]
    public void Unparsable_value_is_exit_code_2()
    {
        (int code, _, string stderr) = Annlab("train", "--learning-rate", "fast");
        Assert.Equal(2, code);
        Assert.Contains("--learning-rate", stderr);
        Assert.Contains("fast", stderr);
    }

    [Fact]
    public void Missing_data_folder_lists_the_place_and_exits_1()
    {
        string missing = Path.Combine(TestPaths.NewTempDirectory(), "none");
        (int code, _, string stderr) = Annlab("train", "--data", missing, "--output", TestPaths.NewTempDirectory());
        Assert.Equal(1, code);
        Assert.Contains(missing, stderr);
    }

    [Fact]
    public void Train_writes_model_and_results_json()
    {
        string run = TestPaths.NewTempDirectory();
        string json = Path.Combine(TestPaths.NewTempDirectory(), "r.json");
        (int code, string stdout, string stderr) = Annlab("train", "--samples", "600", "--max-epochs", "20", "--learning-rate", "1", "--output", run, "--json", json, "--seed", "3");
        Assert.True(code == 0, stderr);
        Assert.Contains("validation accuracy", stdout);
        Assert.True(File.Exists(Path.Combine(run, "model.annlab")));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement r = doc.RootElement;
        Assert.Equal("sgd", r.GetProperty("solver").GetString());
        Assert.Equal("max-epochs", r.GetProperty("stop_reason").GetString());
        Assert.Equal(20, r.GetProperty("epochs").GetInt32());
        Assert.Equal(60, r.GetProperty("iterations").GetInt32()); // 480 training images in batches of 200: 3 steps an epoch
        Assert.InRange(r.GetProperty("validation_accuracy").GetDouble(), 0.5, 1.0); // 64% measured; chance is 10%
        Assert.InRange(r.GetProperty("train_accuracy").GetDouble(), 0.5, 1.0);
        Assert.True(r.GetProperty("train_cost").GetDouble() > 0);
        Assert.True(r.GetProperty("validation_cost").GetDouble() > 0);
        Assert.True(r.GetProperty("samples_per_second").GetDouble() > 0);
        Assert.Equal(3, r.GetProperty("seed").GetInt32());
        Assert.Equal(600, r.GetProperty("configuration").GetProperty("samples").GetInt32());
        Assert.Equal("batch", r.GetProperty("configuration").GetProperty("lambda_scale").GetString());
        Assert.Equal(File.ReadAllText(json), File.ReadAllText(Path.Combine(run, "results.json")));

        // The keys of results.json as train wrote them before it had a type, in order: existing
        // files and the README stay true.
        Assert.Equal(ResultsJsonKeys, r.EnumerateObject().Select(p => p.Name));
        Assert.Equal(ConfigurationKeys, r.GetProperty("configuration").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["class", "name", "precision", "recall", "f1", "support"], r.GetProperty("validation_classes")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["step", "cost", "gradient_norm", "elapsed_seconds", "train_cost", "train_accuracy", "validation_cost", "validation_accuracy"], r.GetProperty("history")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, r.GetProperty("test_accuracy").ValueKind);
        Assert.Equal(Path.Combine(run, "model.annlab"), r.GetProperty("model").GetString());
        Assert.Equal("uniform", r.GetProperty("configuration").GetProperty("init").GetString());
        Assert.Equal("constant", r.GetProperty("configuration").GetProperty("schedule").GetString());
        Assert.Equal("validation-cost", r.GetProperty("configuration").GetProperty("monitor").GetString());
        Assert.Equal([784, 25, 10], r.GetProperty("configuration").GetProperty("layer_sizes").EnumerateArray().Select(e => e.GetInt32()));

        RunResults back = RunResults.Load(json);
        Assert.Equal(r.GetProperty("validation_accuracy").GetDouble(), back.ValidationAccuracy);
        Assert.Equal(20, back.History.Count);
    }

    private static readonly string[] ResultsJsonKeys =
    [
        "solver", "stop_reason", "message", "epochs", "iterations", "function_evaluations", "train_accuracy", "validation_accuracy", "test_accuracy",
        "train_cost", "validation_cost", "test_cost", "split", "split_description", "test_samples", "train_seconds", "samples_per_second", "seed",
        "train_samples", "validation_samples", "model", "configuration", "confusion_matrix", "validation_classes", "history",
    ];

    private static readonly string[] ConfigurationKeys =
    [
        "data", "dataset", "data_request", "samples", "train_fraction", "layer_sizes", "activation", "output_activation", "solver", "learning_rate", "lambda", "lambda_scale",
        "batch_size", "max_epochs", "tolerance", "max_iterations", "gradient_tolerance", "init", "init_epsilon", "optimizer", "momentum", "weight_decay",
        "schedule", "warmup_epochs", "clip_norm", "patience", "monitor", "dropout", "augment", "seed", "threads",
    ];

    [Fact]
    public void Evaluate_refuses_a_broken_results_json_beside_the_model_naming_it()
    {
        string run = TestPaths.NewTempDirectory();
        (int code, _, string stderr) = Annlab("train", "--samples", "300", "--max-epochs", "2", "--no-figures", "--output", run);
        Assert.True(code == 0, stderr);
        string results = Path.Combine(run, "results.json");
        File.WriteAllText(results, File.ReadAllText(results).Replace("\"seed\": 1,", "\"seed\": \"one\",", StringComparison.Ordinal));
        (code, _, stderr) = Annlab("evaluate", "--model", Path.Combine(run, "model.annlab"), "--no-figures");
        Assert.Equal(1, code);
        Assert.Contains(results, stderr);
        Assert.Contains("$.seed", stderr);
        Assert.Contains("give --split, --samples, --train-fraction and --lambda", stderr);

        // With the split and lambda given, the file beside the model is not read.
        (code, string stdout, stderr) = Annlab("evaluate", "--model", Path.Combine(run, "model.annlab"), "--samples", "300", "--lambda", "1", "--no-figures");
        Assert.True(code == 0, stderr);
        Assert.Contains("measuring the 60 validation images (use the --split", stdout);
    }

    [Fact]
    public void Diverging_run_exits_non_zero_and_saves_no_model()
    {
        string run = TestPaths.NewTempDirectory();
        (int code, string stdout, _) = Annlab("train", "--samples", "600", "--max-epochs", "20", "--learning-rate", "1e4", "--output", run);
        Assert.Equal(1, code);
        Assert.Contains("diverged in epoch", stdout);
        Assert.False(File.Exists(Path.Combine(run, "model.annlab")));
    }

    [Fact]
    public void Gradcheck_passes_for_every_activation()
    {
        (int code, string stdout, _) = Annlab("gradcheck");
        Assert.Equal(0, code);
        foreach (string name in new[] { "sigmoid", "tanh", "relu", "leaky-relu", "elu" })
        {
            Assert.Contains(name, stdout);
        }

        Assert.DoesNotContain("FAIL", stdout);
    }

    [Fact]
    public void Evaluate_explain_and_data_write_their_figures_and_the_confusion_matrix_sums_to_the_validation_images()
    {
        string run = TestPaths.NewTempDirectory();
        (int code, _, string stderr) = Annlab("train", "--samples", "600", "--max-epochs", "10", "--learning-rate", "1", "--output", run);
        Assert.True(code == 0, stderr);
        foreach (string figure in new[] { "samples.png", "samples-labeled.png", "activations.png", "learning-curves.png", "validation-predictions.png", "misclassified.png", "hidden-weights.png", "confusion-matrix.png", "report.html" })
        {
            Assert.True(File.Exists(Path.Combine(run, figure)), figure);
        }

        string evaluation = TestPaths.NewTempDirectory();
        (code, string stdout, stderr) = Annlab("evaluate", "--model", Path.Combine(run, "model.annlab"), "--samples", "600", "--output", evaluation);
        Assert.True(code == 0, stderr);
        Assert.Contains("precision", stdout);
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(evaluation, "evaluation.json"))))
        {
            int sum = doc.RootElement.GetProperty("confusion_matrix").EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetInt32());
            Assert.Equal(120, sum);
            Assert.Equal(120, doc.RootElement.GetProperty("images").GetInt32());
        }

        foreach (string figure in new[] { "validation-predictions.png", "misclassified.png", "confusion-matrix.png", "report.html" })
        {
            Assert.True(File.Exists(Path.Combine(evaluation, figure)), figure);
        }

        // Without --split, --samples or --train-fraction, evaluate takes the split the model was
        // trained on from the results.json beside it (600 images, not the default 5000), and the
        // accuracy is train's validation accuracy.
        string recorded = Path.Combine(TestPaths.NewTempDirectory(), "evaluation.json");
        (code, stdout, stderr) = Annlab("evaluate", "--model", Path.Combine(run, "model.annlab"), "--no-figures", "--json", recorded);
        Assert.True(code == 0, stderr);
        Assert.Contains("measuring the 120 validation images (the split it was trained on, from ", stdout);
        RunResults trained = RunResults.Load(Path.Combine(run, "results.json"));
        EvaluationResults measured = EvaluationResults.Load(recorded);
        Assert.Equal(trained.ValidationAccuracy, measured.Accuracy, 1e-12);
        Assert.Equal(trained.ConfusionMatrix, measured.ConfusionMatrix);
        Assert.Equal(600, measured.Samples);

        string pictures = TestPaths.NewTempDirectory();
        (code, stdout, stderr) = Annlab("explain", "--model", Path.Combine(run, "model.annlab"), "--index", "550", "--output", pictures);
        Assert.True(code == 0, stderr);
        Assert.Contains("image 550: ", stdout);
        Assert.Contains($"image 550 of Fashion-MNIST: a validation image of the lab split (the first 600 images: 480 training, 120 validation; the split it was trained on, from {Path.Combine(run, "results.json")})", stdout);
        (code, stdout, stderr) = Annlab("explain", "--model", Path.Combine(run, "model.annlab"), "--index", "550", "--samples", "5000", "--output", pictures);
        Assert.True(code == 0, stderr);
        Assert.Contains("image 550 of Fashion-MNIST: a training image of the lab split (the first 5000 images: 4000 training, 1000 validation)", stdout);
        (code, stdout, stderr) = Annlab("explain", "--model", Path.Combine(run, "model.annlab"), "--index", "65000", "--split", "official", "--output", pictures);
        Assert.True(code == 0, stderr);
        Assert.Contains("image 65000 of Fashion-MNIST: a test image of the official split", stdout);
        Assert.True(File.Exists(Path.Combine(pictures, "explain-550.png")));
        (code, stdout, stderr) = Annlab("data", "--output", pictures);
        Assert.True(code == 0, stderr);
        Assert.Contains("Ankle boot", stdout);
        Assert.True(File.Exists(Path.Combine(pictures, "samples-labeled.png")));
        (code, _, stderr) = Annlab("explain", "--model", Path.Combine(run, "model.annlab"), "--index", "70000", "--output", pictures);
        Assert.Equal(2, code);
        Assert.Contains("--index: got 70000, expected an integer in 0..69999", stderr);
    }

    [Fact]
    public void Compare_puts_logistic_regression_beside_the_network()
    {
        string folder = TestPaths.NewTempDirectory();
        (int code, string stdout, string stderr) = Annlab("compare", "--samples", "600", "--max-epochs", "5", "--output", folder);
        Assert.True(code == 0, stderr);
        Assert.Contains("logistic", stdout);
        Assert.Contains("lambda 1 scaled to the training set (--lambda-scale training-set", stdout);
        Assert.True(File.Exists(Path.Combine(folder, "compare-curves.png")));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "compare.json")));
        JsonElement models = doc.RootElement.GetProperty("models");
        Assert.Equal(2, models.GetArrayLength());
        Assert.Equal(7850, models[0].GetProperty("parameter_count").GetInt32());
        Assert.Equal(19885, models[1].GetProperty("parameter_count").GetInt32());
        Assert.Equal("training-set", doc.RootElement.GetProperty("lambda_scale").GetString());
    }

    [Fact]
    public void Compare_honours_the_stratified_split()
    {
        string folder = TestPaths.NewTempDirectory();
        (int code, string stdout, string stderr) = Annlab("compare", "--split", "stratified", "--samples", "300", "--max-epochs", "2", "--output", folder);
        Assert.True(code == 0, stderr);
        // 300 images cut per class at 0.8 with seed 1; the lab split would say "the first 300 images: 240 training, 60 validation".
        Assert.Contains("the first 300 images, stratified by class with seed 1: ", stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "compare.json")));
        Assert.Equal("stratified", doc.RootElement.GetProperty("split").GetString());
        Assert.Equal(300, doc.RootElement.GetProperty("samples").GetInt32());
    }

    [Fact]
    public void Data_honours_the_official_split()
    {
        (int code, string stdout, string stderr) = Annlab("data", "--split", "official", "--output", TestPaths.NewTempDirectory());
        Assert.True(code == 0, stderr);
        // Fashion-MNIST's own parts: 60,000 training (0.8 of them train), 10,000 test.
        Assert.Contains("official: training part images 0..47999 train, 48000..59999 validate; the 10000 test-part images test", stdout);
    }

    [Theory]
    [InlineData("--lambda-scale", "trainingset", "--lambda-scale: got trainingset, expected batch or training-set")]
    [InlineData("--max-epochs", "0", "--max-epochs: got 0, expected an integer >= 1")]
    [InlineData("--solver", "adam", "--solver: got adam, expected sgd, cg or lbfgs")]
    [InlineData("--samples", "80000", "--samples: got 80000, expected an integer in 2..70000, or 'all'")]
    [InlineData("--split", "random", "--split: got random, expected lab, official, stratified")]
    [InlineData("--train-fraction", "0.0001", "--train-fraction: got 0.0001, expected a fraction leaving at least one training and one validation image of the 5000 samples (gives 0 and 5000)")]
    public void Compare_rejects_a_bad_option_in_one_line_with_exit_code_2(string option, string value, string message)
        => AssertRejected("compare", option, value, message);

    [Fact]
    public void Sweep_trains_every_grid_point_and_writes_csv_and_heat_map()
    {
        string folder = TestPaths.NewTempDirectory();
        (int code, string stdout, string stderr) = Annlab("sweep", "--samples", "300", "--max-epochs", "3", "--hidden-sizes", "5,10", "--lambdas", "0,1", "--learning-rates", "0.5", "--output", folder);
        Assert.True(code == 0, stderr);
        Assert.Contains("best: hidden", stdout);
        string[] csv = File.ReadAllLines(Path.Combine(folder, "sweep.csv"));
        Assert.Equal(1 + 4, csv.Length);
        Assert.StartsWith("hidden,lambda,learning_rate,", csv[0]);
        Assert.True(File.Exists(Path.Combine(folder, "sweep-heatmap.png")));
        (code, _, stderr) = Annlab("sweep", "--lambdas", "0,x", "--output", TestPaths.NewTempDirectory());
        Assert.Equal(2, code);
        Assert.Contains("--lambdas: got x", stderr);
    }

    [Fact]
    public void Train_saves_the_images_shape_and_evaluate_refuses_a_model_of_another_shape()
    {
        string run = TestPaths.NewTempDirectory();
        (int code, _, _) = Annlab("train", "--samples", "300", "--max-epochs", "1", "--no-figures", "--output", run);
        Assert.Equal(0, code);
        Model model = ModelFile.Load(Path.Combine(run, "model.annlab"));
        Assert.Equal([28, 28], model.Network.InputShape);

        // The same weights claimed for 14x56 images: 784 pixels still, but not these images.
        var other = new NeuralNetwork(model.Network.LayerSizes, model.Network.HiddenActivation, model.Network.Output, inputShape: [14, 56]);
        string path = Path.Combine(TestPaths.NewTempDirectory(), "wide.annlab");
        ModelFile.Save(new Model(other, model.Parameters, model.ClassNames), path);
        (code, string stdout, string stderr) = Annlab("evaluate", "--model", path, "--samples", "300", "--no-figures");
        Assert.Equal(1, code);
        Assert.Contains($"{path}: the model takes images of 14x56, the images of", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Compare_honours_the_stratified_split_with_its_seed()
    {
        string folder = TestPaths.NewTempDirectory();
        (int code, string stdout, string stderr) = Annlab("compare", "--split", "stratified", "--samples", "600", "--max-epochs", "2", "--seed", "3", "--output", folder);
        Assert.True(code == 0, stderr);
        Assert.Contains("the first 600 images, stratified by class with seed 3: ", stdout);
        ComparisonResults results = ComparisonResults.Load(Path.Combine(folder, "compare.json"));
        Assert.Equal("stratified", results.Split);
        Assert.Equal([784, 10], results.Models[0].LayerSizes);
    }

    [Fact]
    public void Data_honours_the_official_split_and_counts_the_test_part()
    {
        string folder = TestPaths.NewTempDirectory();
        (int code, string stdout, string stderr) = Annlab("data", "--split", "official", "--train-fraction", "0.9", "--output", folder);
        Assert.True(code == 0, stderr);
        Assert.Contains("Fashion-MNIST: 70000 images of 28x28, 10 classes (60000 training, 10000 test); official split: official: training part images 0..53999 train, 54000..59999 validate; the 10000 test-part images test", stdout);
        string total = stdout.Split('\n').Single(l => l.Contains("total"));
        Assert.Equal(["54000", "6000", "10000", "70000"], total.Split([' ', '│', '|'], StringSplitOptions.RemoveEmptyEntries)[1..]);
    }

    [Fact]
    public void Samples_all_is_the_data_sets_image_count()
    {
        (int code, string stdout, string stderr) = Annlab("data", "--samples", "all", "--output", TestPaths.NewTempDirectory());
        Assert.True(code == 0, stderr);
        Assert.Contains("lab split: the first 70000 images: 56000 training, 14000 validation", stdout);
    }
}

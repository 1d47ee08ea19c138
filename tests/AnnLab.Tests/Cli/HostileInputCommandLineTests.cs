namespace AnnLab.Tests.Cli;

/// <summary>
/// Issue 13's new features met as a hostile user would: files beside a model that are not its
/// own, values a results.json should never hold. Each ends in one line and exit code 1 or 2.
/// </summary>
public class HostileInputCommandLineTests
{
    // Two runs on the same 1000 images: 784-25-10 and 784-8-10, 2 epochs each.
    private static readonly Lazy<(string Wide, string Narrow)> Runs = new(() =>
    {
        string root = TestPaths.NewTempDirectory();
        string Train(string name, string hidden)
        {
            string run = Path.Combine(root, name);
            (int code, _, string stderr) = AnnlabProcess.Run(null, "train", "--samples", "1000", "--max-epochs", "2", "--hidden", hidden, "--no-figures", "--output", run);
            Assert.True(code == 0, stderr);
            return run;
        }

        return (Train("wide", "25"), Train("narrow", "8"));
    });

    // The 784-25-10 model with the 784-8-10 run's results.json beside it.
    private static (string Model, string Results) Mixed()
    {
        string folder = TestPaths.NewTempDirectory();
        string model = Path.Combine(folder, "model.annlab");
        string results = Path.Combine(folder, "results.json");
        File.Copy(Path.Combine(Runs.Value.Wide, "model.annlab"), model);
        File.Copy(Path.Combine(Runs.Value.Narrow, "results.json"), results);
        return (model, results);
    }

    [Fact]
    public void Another_runs_results_json_beside_a_model_is_refused_by_evaluate_explain_and_predict_index_in_one_line()
    {
        (string model, string results) = Mixed();
        string other = $"annlab: error: {results} records a 784-8-10 network, not this 784-25-10 one ({model}), so it is another run's; give --split, --samples";

        (int code, string stdout, string stderr) = AnnlabProcess.Run(null, "evaluate", "--model", model, "--no-figures");
        Assert.Equal(1, code);
        Assert.Equal($"{other}, --train-fraction and --lambda to evaluate without it", stderr.Trim());
        Assert.Equal("", stdout);

        (code, stdout, stderr) = AnnlabProcess.Run(null, "explain", "--model", model, "--index", "900", "--output", TestPaths.NewTempDirectory());
        Assert.Equal(1, code);
        Assert.Equal($"{other} and --train-fraction to place the image without it", stderr.Trim());
        Assert.Equal("", stdout);

        (code, stdout, stderr) = AnnlabProcess.Run(null, "predict", "--model", model, "--index", "900");
        Assert.Equal(1, code);
        Assert.Equal($"{other} and --train-fraction to place the image without it", stderr.Trim());

        // info describes the model and notes the file, as before.
        (code, stdout, stderr) = AnnlabProcess.Run(null, "info", "--model", model);
        Assert.True(code == 0, stderr);
        Assert.Contains($"training: not shown: {results} records a 784-8-10 network, not this 784-25-10 one", stdout);
    }

    [Theory]
    [InlineData("--activation", "relu", "network of relu units, not this one of sigmoid units")]
    [InlineData("--output-activation", "softmax", "network with softmax outputs, not this one with sigmoid outputs")]
    public void A_results_json_of_the_same_sizes_but_another_activation_is_another_runs(string option, string value, string expected)
    {
        string folder = TestPaths.NewTempDirectory();
        string other = Path.Combine(folder, "other");
        (int code, _, string stderr) = AnnlabProcess.Run(null, "train", "--samples", "1000", "--max-epochs", "2", "--hidden", "25", option, value, "--no-figures", "--output", other);
        Assert.True(code == 0, stderr);
        string model = Path.Combine(folder, "model.annlab");
        string results = Path.Combine(folder, "results.json");
        File.Copy(Path.Combine(Runs.Value.Wide, "model.annlab"), model);
        File.Copy(Path.Combine(other, "results.json"), results);

        (code, string stdout, stderr) = AnnlabProcess.Run(null, "evaluate", "--model", model, "--no-figures");
        Assert.Equal(1, code);
        Assert.Equal($"annlab: error: {results} records a 784-25-10 {expected} ({model}), so it is another run's; give --split, --samples, --train-fraction and --lambda to evaluate without it", stderr.Trim());
        Assert.Equal("", stdout);
        (code, stdout, stderr) = AnnlabProcess.Run(null, "info", "--model", model);
        Assert.True(code == 0, stderr);
        Assert.Contains($"training: not shown: {results} records a 784-25-10 {expected}", stdout);
    }

    [Fact]
    public void Another_runs_results_json_is_not_read_when_the_split_and_lambda_are_given()
    {
        (string model, _) = Mixed();
        (int code, string stdout, string stderr) = AnnlabProcess.Run(null, "evaluate", "--model", model, "--samples", "1000", "--lambda", "1", "--no-figures");
        Assert.True(code == 0, stderr);
        Assert.Contains("measuring the 200 validation images (use the --split", stdout);

        (code, stdout, stderr) = AnnlabProcess.Run(null, "explain", "--model", model, "--index", "900", "--samples", "1000", "--output", TestPaths.NewTempDirectory());
        Assert.True(code == 0, stderr);
        Assert.Contains("image 900 of Fashion-MNIST: a validation image of the lab split (the first 1000 images: 800 training, 200 validation)", stdout);
    }

    // The 784-25-10 model with a results.json holding text beside it.
    private static (string Model, string Results) Beside(string text)
    {
        string folder = TestPaths.NewTempDirectory();
        string model = Path.Combine(folder, "model.annlab");
        string results = Path.Combine(folder, "results.json");
        File.Copy(Path.Combine(Runs.Value.Wide, "model.annlab"), model);
        File.WriteAllText(results, text);
        return (model, results);
    }

    [Theory]
    [InlineData("", "expected a JSON object, found nothing (the file is empty)")]
    [InlineData("  \n", "expected a JSON object, found nothing (the file is empty)")]
    [InlineData("[1, 2]", "expected a JSON object, found an array")]
    [InlineData("5", "expected a JSON object, found a number")]
    [InlineData("\"results\"", "expected a JSON object, found a string")]
    public void A_results_json_that_is_no_json_object_is_named_so_without_dotnets_type_names(string text, string expected)
    {
        (string model, string results) = Beside(text);
        (int code, _, string stderr) = AnnlabProcess.Run(null, "evaluate", "--model", model, "--no-figures");
        Assert.Equal(1, code);
        Assert.Equal($"annlab: error: {results}: not a valid results file: {expected}; give --split, --samples, --train-fraction and --lambda to evaluate without it", stderr.Trim());
    }

    [Fact]
    public void A_results_json_without_keys_names_each_by_its_path_in_the_file()
    {
        string json = File.ReadAllText(Path.Combine(Runs.Value.Wide, "results.json"));
        Assert.Contains("\"lambda\": 1,", json);
        (string model, string results) = Beside(json.Replace("\"lambda\": 1,", "", StringComparison.Ordinal));
        (int code, _, string stderr) = AnnlabProcess.Run(null, "explain", "--model", model, "--index", "900", "--output", TestPaths.NewTempDirectory());
        Assert.Equal(1, code);
        Assert.Equal($"annlab: error: {results}: not a valid results file: missing key configuration.lambda; give --split, --samples and --train-fraction to place the image without it", stderr.Trim());

        Assert.Contains("\"seed\": 1,\n  \"train_samples\"", json);
        (model, results) = Beside(json.Replace("\"seed\": 1,\n  \"train_samples\"", "\"train_samples\"", StringComparison.Ordinal).Replace("\"split\": \"lab\",", "", StringComparison.Ordinal));
        (code, _, stderr) = AnnlabProcess.Run(null, "evaluate", "--model", model, "--no-figures");
        Assert.Equal(1, code);
        Assert.Matches($@"^annlab: error: {System.Text.RegularExpressions.Regex.Escape(results)}: not a valid results file: missing keys (split, seed|seed, split); give", stderr.Trim());
    }

    [Theory]
    [InlineData("--hidden-weights", "all")]
    [InlineData("--weight-scale", "per-unit")]
    public void A_hidden_weights_figure_option_with_no_figures_is_refused_in_one_line_before_training(string option, string value)
    {
        string run = Path.Combine(TestPaths.NewTempDirectory(), "run");
        (int code, string stdout, string stderr) = AnnlabProcess.Run(null, "train", "--samples", "300", "--max-epochs", "1", option, value, "--no-figures", "--output", run);
        Assert.Equal(2, code);
        Assert.Equal($"annlab: {option}: applies to the hidden-weights figures, which --no-figures skips; give one of them, not both", stderr.Trim());
        Assert.Equal("", stdout);
        Assert.False(Path.Exists(run));

        // Either alone trains.
        (code, _, stderr) = AnnlabProcess.Run(null, "train", "--samples", "300", "--max-epochs", "1", "--no-figures", "--output", run);
        Assert.True(code == 0, stderr);

        // --resume takes them too: the same refusal.
        (code, _, stderr) = AnnlabProcess.Run(null, "train", "--resume", Path.Combine(Runs.Value.Wide), option, value, "--no-figures");
        Assert.Equal(2, code);
        Assert.Equal($"annlab: {option}: applies to the hidden-weights figures, which --no-figures skips; give one of them, not both", stderr.Trim());
    }
}

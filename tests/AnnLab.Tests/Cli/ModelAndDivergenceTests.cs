using AnnLab.Network;

namespace AnnLab.Tests.Cli;

/// <summary>Issue 10 at the command line: diverging runs, networks too large, and model files that are not what they claim.</summary>
public class ModelAndDivergenceTests
{
    private static string[] AllFiles(string folder) => Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToArray()!;

    private static readonly string[] IndexZero = ["--index", "0"];

    private static string[] ExplainIndex(string command) => command == "explain" ? IndexZero : [];

    private static void AssertOneLine(string stderr, string expected)
    {
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("annlab: ", lines[0]);
        Assert.Contains(expected, lines[0]);
    }

    [Theory]
    [InlineData("try a smaller --learning-rate", "--learning-rate", "1e8", "--max-epochs", "2")]
    [InlineData("try a smaller --learning-rate", "--learning-rate", "50", "--max-epochs", "5")]
    [InlineData("try a smaller --lambda", "--lambda", "1e300", "--max-epochs", "3")]
    [InlineData("try a smaller --learning-rate", "--optimizer", "adam", "--learning-rate", "1e30", "--max-epochs", "2")]
    [InlineData("try a smaller --init-epsilon", "--init-epsilon", "1e30", "--max-epochs", "2")]
    [InlineData("try a smaller --init-epsilon", "--solver", "cg", "--init-epsilon", "1e30", "--max-iterations", "2")]
    [InlineData("try a smaller --init-epsilon", "--solver", "lbfgs", "--init-epsilon", "1e30", "--max-iterations", "2")]
    public void A_diverging_run_exits_1_with_one_line_naming_the_likely_cause_and_saves_no_model(string hint, params string[] options)
    {
        string dir = TestPaths.NewTempDirectory();
        (int code, _, string stderr) = AnnlabProcess.Run(dir, ["train", "--samples", "1000", "--no-figures", .. options]);
        Assert.Equal(1, code);
        AssertOneLine(stderr, "diverged in ");
        Assert.Contains(hint, stderr);
        Assert.DoesNotContain("model.annlab", AllFiles(dir));
        Assert.Contains("results.json", AllFiles(dir));
        Assert.Contains("\"stop_reason\": \"diverged\"", File.ReadAllText(Directory.GetFiles(dir, "results.json", SearchOption.AllDirectories).Single()));
    }

    [Fact]
    public void A_cost_that_grows_tenfold_is_a_divergence()
    {
        // The reproducer: the main job with --learning-rate 50 ended at 8 % accuracy and exit code 0.
        string dir = TestPaths.NewTempDirectory();
        (int code, _, string stderr) = AnnlabProcess.Run(dir, "train", "--learning-rate", "50", "--no-figures");
        Assert.Equal(1, code);
        AssertOneLine(stderr, "diverged in epoch 1: its mean cost 177.8 is more than 10 times the first batch's 7.256; try a smaller --learning-rate");
        Assert.DoesNotContain("model.annlab", AllFiles(dir));
    }

    [Fact]
    public void Compare_stops_at_a_diverged_model_and_writes_nothing()
    {
        string dir = TestPaths.NewTempDirectory();
        (int code, _, string stderr) = AnnlabProcess.Run(dir, "compare", "--learning-rate", "1e8", "--samples", "300", "--max-epochs", "2");
        Assert.Equal(1, code);
        AssertOneLine(stderr, "logistic regression: diverged in epoch 1");
        Assert.Empty(AllFiles(dir));
    }

    [Fact]
    public void Sweep_records_diverged_points_as_diverged_and_goes_on()
    {
        string dir = TestPaths.NewTempDirectory();
        (int code, _, string stderr) = AnnlabProcess.Run(dir, "sweep", "--learning-rates", "1e8,1e30", "--lambdas", "1e300,1", "--hidden-sizes", "5", "--samples", "300", "--max-epochs", "2");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        string[] csv = File.ReadAllLines(Directory.GetFiles(dir, "sweep.csv", SearchOption.AllDirectories).Single());
        Assert.Equal(5, csv.Length);
        Assert.All(csv.Skip(1), line => Assert.EndsWith(",diverged", line));
    }

    [Theory]
    [InlineData("50000,50000", "--hidden: got 50000,50000, expected hidden layers with at most 2147483647 parameters in all (the network 784-50000-50000-10 has 2539800010)")]
    [InlineData("100000,100000,100000", "--hidden: got 100000,100000,100000, expected hidden layers with at most 2147483647 parameters")]
    public void A_network_over_the_parameter_limit_is_a_bad_option(string hidden, string message)
    {
        (int code, _, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), "train", "--hidden", hidden, "--samples", "300");
        Assert.Equal(2, code);
        AssertOneLine(stderr, message);
    }

    [Fact]
    public void The_most_hidden_layers_train_accepts_evaluate_reads_and_one_more_is_a_bad_option()
    {
        string dir = TestPaths.NewTempDirectory();
        string most = string.Join(",", Enumerable.Repeat("1", NeuralNetwork.MaxWeightLayers - 1));
        (int code, _, string stderr) = AnnlabProcess.Run(dir, "train", "--hidden", most, "--samples", "300", "--max-epochs", "1", "--no-figures", "--output", Path.Combine(dir, "run"));
        Assert.True(code == 0, stderr);
        (code, _, stderr) = AnnlabProcess.Run(dir, "evaluate", "--model", Path.Combine(dir, "run", "model.annlab"), "--samples", "300", "--no-figures", "--output", Path.Combine(dir, "evaluation"));
        Assert.True(code == 0, stderr);

        (code, _, stderr) = AnnlabProcess.Run(dir, "train", "--hidden", most + ",1", "--samples", "300");
        Assert.Equal(2, code);
        AssertOneLine(stderr, "--hidden: got 1,1,");
        Assert.Contains("expected a comma-separated list of 1..999 layer sizes, each in 1..100000", stderr);
    }

    private static string SaveModel(string dir, int outputs, float value = 0.01f)
    {
        var network = new NeuralNetwork([784, 3, outputs], new Sigmoid(), inputShape: [28, 28]);
        float[] parameters = Enumerable.Repeat(0.01f, network.ParameterCount).ToArray();
        parameters[5] = value;
        string path = Path.Combine(dir, $"model-{outputs}.annlab");
        ModelFile.Save(new Model(network, parameters, Enumerable.Range(0, outputs).Select(i => $"class {i}").ToArray()), path);
        return path;
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void Evaluate_refuses_a_model_with_a_non_finite_parameter(float value, string shown)
    {
        string dir = TestPaths.NewTempDirectory();
        string path = SaveModel(dir, 10, value);
        (int code, _, string stderr) = AnnlabProcess.Run(dir, "evaluate", "--model", path, "--samples", "300", "--no-figures");
        Assert.Equal(1, code);
        AssertOneLine(stderr, $"{path}: expected finite parameters, got {shown} at parameter 5");
    }

    [Theory]
    [InlineData("evaluate", 5)]
    [InlineData("evaluate", 1)]
    [InlineData("explain", 5)]
    [InlineData("explain", 1)]
    public void A_model_with_another_output_count_than_the_data_classes_is_refused(string command, int outputs)
    {
        string dir = TestPaths.NewTempDirectory();
        string path = SaveModel(dir, outputs);
        (int code, _, string stderr) = AnnlabProcess.Run(dir, [command, "--model", path, "--samples", "300", "--output", Path.Combine(dir, "out"), .. ExplainIndex(command)]);
        Assert.Equal(1, code);
        AssertOneLine(stderr, $"{path}: the model has {outputs} outputs, Fashion-MNIST has 10 classes");
    }

    [Fact]
    public void A_pipe_a_device_or_an_empty_file_as_model_is_refused_without_waiting()
    {
        string dir = TestPaths.NewTempDirectory();
        string fifo = Path.Combine(dir, "fifo.annlab");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        string empty = Path.Combine(dir, "empty.annlab");
        File.WriteAllBytes(empty, []);
        foreach (string path in new[] { fifo, "/dev/zero" })
        {
            (int code, _, string stderr) = AnnlabProcess.Run(dir, "evaluate", "--model", path, "--samples", "300", "--no-figures");
            Assert.Equal(1, code);
            AssertOneLine(stderr, $"{path}: is not a regular file (a FIFO, device or socket); expected a model file");
        }

        (int emptyCode, _, string emptyError) = AnnlabProcess.Run(dir, "evaluate", "--model", empty, "--samples", "300", "--no-figures");
        Assert.Equal(1, emptyCode);
        AssertOneLine(emptyError, $"{empty}: expected a regular model file of at least 12 bytes, got 0 bytes");
    }

    [Fact]
    public void Explain_refuses_a_model_without_a_hidden_layer_in_one_line()
    {
        string dir = TestPaths.NewTempDirectory();
        var network = new NeuralNetwork([784, 10], new Sigmoid(), inputShape: [28, 28]);
        string path = Path.Combine(dir, "model.annlab");
        ModelFile.Save(new Model(network, new float[network.ParameterCount], AnnLab.Data.FashionMnist.ClassNames), path);
        (int code, _, string stderr) = AnnlabProcess.Run(dir, "explain", "--model", path, "--index", "0", "--samples", "100", "--output", Path.Combine(dir, "explain"));
        Assert.Equal(1, code);
        AssertOneLine(stderr, $"{path}: expected a network with a hidden layer to explain, got 1 weight layer (784-10)");
    }

    [Fact]
    public void A_folder_as_model_is_refused()
    {
        string dir = TestPaths.NewTempDirectory();
        (int code, _, string stderr) = AnnlabProcess.Run(dir, "evaluate", "--model", dir, "--samples", "300", "--no-figures");
        Assert.Equal(1, code);
        AssertOneLine(stderr, $"--model {dir} is a folder; expected a model file");
    }

    [Theory]
    [InlineData("evaluate")]
    [InlineData("explain")]
    public void An_empty_model_path_is_a_bad_option(string command)
    {
        (int code, _, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), [command, "--model", "", .. ExplainIndex(command)]);
        Assert.Equal(2, code);
        AssertOneLine(stderr, "--model: got '', expected a model file written by annlab train");
    }
}

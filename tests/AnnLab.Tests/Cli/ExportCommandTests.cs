using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Tests.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace AnnLab.Tests.Cli;

/// <summary><c>annlab export</c> as a user runs it: a trained model out, ONNX Runtime reading it back, and bad input in one line.</summary>
public class ExportCommandTests
{
    private static void AssertOneLine(string stderr, string expected)
    {
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("annlab: ", lines[0]);
        Assert.Contains(expected, lines[0]);
    }

    private static readonly Lazy<(string Dir, string Model)> Trained = new(() =>
    {
        string dir = TestPaths.NewTempDirectory();
        (int code, _, string stderr) = AnnlabProcess.Run(dir, "train", "--samples", "2000", "--hidden", "32", "--activation", "relu", "--output-activation", "softmax",
            "--init", "he", "--optimizer", "adam", "--learning-rate", "0.003", "--lambda", "0", "--max-epochs", "15", "--no-figures", "--output", Path.Combine(dir, "run"));
        Assert.True(code == 0, stderr);
        return (dir, Path.Combine(dir, "run", "model.annlab"));
    });

    [Fact]
    public void A_trained_model_exports_and_ONNX_Runtime_agrees_with_AnnLab_on_1000_images()
    {
        (string dir, string model) = Trained.Value;
        string onnx = Path.Combine(dir, "trained.onnx");
        (int code, string stdout, string stderr) = AnnlabProcess.Run(dir, "export", "--model", model, "--format", "onnx", "--output", onnx);
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        Assert.Contains("ONNX opset 13, 4 nodes (Gemm, Relu, Gemm, Softmax)", stdout);
        Assert.Contains("input pixels [batch, 784] float32 in 0..1 (28x28 values / 255, row-major); output probabilities [batch, 10]; the 10 class names in its metadata (class_names)", stdout);

        // The 1,000 images after the 2,000 it trained on: ONNX Runtime's probabilities are AnnLab's, and so are its predictions.
        Model trained = ModelFile.Load(model);
        ImageSet images = FashionMnist.Open(TestPaths.DataDirectory).Load(3000).Images.Slice(2000, 1000);
        (float[] inputs, _, float[] expected) = OnnxExportTests.AnnLabForward(trained, images);
        using var session = new InferenceSession(onnx);
        float[] actual = OnnxExportTests.OnnxRuntimeOutputs(session, inputs, trained.Network.InputSize);
        double difference = OnnxExportTests.MaxDifference(expected, actual);
        Assert.True(difference <= 1e-5, $"ONNX Runtime differs from AnnLab by up to {difference:E2}");

        int k = trained.Network.OutputSize, correct = 0;
        for (int i = 0; i < images.Count; i++)
        {
            int predicted = Prediction.ArgMax<float>(actual.AsSpan(i * k, k));
            Assert.Equal(Prediction.ArgMax<float>(expected.AsSpan(i * k, k)), predicted);
            correct += predicted == images.Labels.Span[i] ? 1 : 0;
        }

        // A trained model, not a random one: most of the unseen images are right.
        Assert.InRange(correct, 750, 1000);
        Assert.Equal("784-32-10 relu softmax", session.ModelMetadata.CustomMetadataMap["network"]);
    }

    [Fact]
    public void Without_output_the_file_goes_beside_the_model_and_a_second_export_replaces_it()
    {
        string dir = TestPaths.NewTempDirectory();
        var network = new NeuralNetwork([784, 3, 10], new Sigmoid(), inputShape: [28, 28]);
        string model = Path.Combine(dir, "model.annlab");
        ModelFile.Save(new Model(network, new float[network.ParameterCount], FashionMnist.ClassNames), model);
        for (int run = 0; run < 2; run++)
        {
            (int code, string stdout, string stderr) = AnnlabProcess.Run(dir, "export", "--model", model);
            Assert.True(code == 0, stderr);
            Assert.Contains($"wrote {Path.Combine(dir, "model.onnx")} (", stdout);
            Assert.Contains("ONNX opset 13, 4 nodes (Gemm, Sigmoid, Gemm, Sigmoid)", stdout);
            Assert.Contains("output scores [batch, 10]", stdout);
        }

        Assert.Equal(["model.annlab", "model.onnx"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        using var session = new InferenceSession(Path.Combine(dir, "model.onnx"));
        Assert.Equal([-1, 10], session.OutputMetadata["scores"].Dimensions);
    }

    [Theory]
    [InlineData("tflite", "--format: got tflite, expected onnx")]
    [InlineData("", "--format: got '', expected onnx")]
    public void A_format_other_than_onnx_is_a_bad_option(string format, string message)
    {
        string dir = TestPaths.NewTempDirectory();
        (int code, string stdout, string stderr) = AnnlabProcess.Run(dir, "export", "--model", Path.Combine(dir, "model.annlab"), "--format", format, "--output", Path.Combine(dir, "m.onnx"));
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        AssertOneLine(stderr, message);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void Onnx_in_capitals_is_onnx()
    {
        (string dir, string model) = Trained.Value;
        (int code, _, string stderr) = AnnlabProcess.Run(dir, "export", "--model", model, "--format", "ONNX", "--output", Path.Combine(dir, "capitals.onnx"));
        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(Path.Combine(dir, "capitals.onnx")));
    }

    [Theory]
    [InlineData("missing.annlab", "annlab: error: --model missing.annlab: no such file; annlab train writes model.annlab into its run folder")]
    [InlineData("folder", "annlab: error: --model folder is a folder; expected a model file such as folder/model.annlab")]
    [InlineData("not-a-model.annlab", "annlab: error: not-a-model.annlab: not an AnnLab model file (expected the bytes \"ANNLABM1\" first, got 504B0304")]
    [InlineData("short.annlab", "annlab: error: short.annlab: expected a regular model file of at least 12 bytes, got 3 bytes")]
    public void A_bad_model_exits_1_with_one_line_and_writes_nothing(string model, string message)
    {
        string dir = TestPaths.NewTempDirectory();
        Directory.CreateDirectory(Path.Combine(dir, "folder"));
        File.WriteAllBytes(Path.Combine(dir, "not-a-model.annlab"), [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        File.WriteAllBytes(Path.Combine(dir, "short.annlab"), [1, 2, 3]);
        string[] before = Directory.GetFileSystemEntries(dir);
        (int code, string stdout, string stderr) = AnnlabProcess.Run(dir, "export", "--model", model, "--output", "out.onnx");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        AssertOneLine(stderr, message);
        Assert.Equal(before, Directory.GetFileSystemEntries(dir));
    }

    [Theory]
    [InlineData("{dir}", "expected a file path, not a folder")]
    [InlineData("/dev/null", "--output: got /dev/null, expected a new file or an existing regular file (this is a device")]
    [InlineData("{dir}/no-such-folder/m.onnx", "expected a file in an existing folder")]
    [InlineData("{model}", "expected a file other than the model (AnnLab does not replace it)")]
    public void An_output_that_is_a_folder_a_device_or_the_model_is_a_bad_option(string output, string message)
    {
        (string dir, string model) = Trained.Value;
        string path = output.Replace("{dir}", dir, StringComparison.Ordinal).Replace("{model}", model, StringComparison.Ordinal);
        byte[] modelBytes = File.ReadAllBytes(model);
        (int code, string stdout, string stderr) = AnnlabProcess.Run(dir, "export", "--model", model, "--output", path);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        AssertOneLine(stderr, "annlab: --output: got ");
        Assert.Contains(message, stderr);
        Assert.Equal(modelBytes, File.ReadAllBytes(model));
        Assert.DoesNotContain(Directory.GetFiles(dir, "*", SearchOption.AllDirectories), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void The_model_option_is_required()
    {
        (int code, _, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), "export", "--format", "onnx");
        Assert.Equal(2, code);
        AssertOneLine(stderr, "Option '--model' is required. (run 'annlab export --help' for the options)");
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using AnnLab.Tests.Data;

namespace AnnLab.Tests.Cli;

/// <summary>
/// What a run records about its data, read back by evaluate, explain and predict --index; and data
/// options a format does not read, refused rather than ignored. Found by an attack on the new formats.
/// </summary>
public class RecordedDataTests
{
    // A CSV of 40 images of 4x4 in 3 classes, with a class-names file beside it, trained once in its folder with relative paths.
    private static readonly Lazy<(string Folder, string Run)> Trained = new(() =>
    {
        string folder = TestPaths.NewTempDirectory();
        var random = new Random(5);
        byte[] labels = [.. Enumerable.Range(0, 40).Select(i => (byte)(i % 3))];
        byte[] pixels = [.. Enumerable.Range(0, 40 * 16).Select(p => (byte)((p % 16) == labels[p / 16] ? 250 : random.Next(40)))];
        File.WriteAllText(Path.Combine(folder, "small.csv"), KaggleCsv.Text(labels, pixels, 16));
        File.WriteAllLines(Path.Combine(folder, "names.txt"), ["cat", "dog", "bird"]);
        string run = Path.Combine(folder, "run");
        (int code, _, string stderr) = AnnlabProcess.Run(folder, "train", "--data", "small.csv", "--class-names", "names.txt", "--max-epochs", "2", "--no-figures", "--output", run);
        Assert.True(code == 0, stderr);
        return (folder, run);
    });

    [Fact]
    public void A_relative_class_names_file_is_recorded_so_evaluate_finds_it_from_another_folder()
    {
        (string folder, string run) = Trained.Value;
        using JsonDocument results = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json")));
        Assert.Equal(Path.Combine(folder, "small.csv"), results.RootElement.GetProperty("configuration").GetProperty("data_request").GetProperty("data").GetString());
        (int code, string stdout, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), "evaluate", "--model", Path.Combine(run, "model.annlab"), "--no-figures");
        Assert.True(code == 0, stderr);
        Assert.Contains("bird", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_index_reads_the_data_the_model_was_trained_on()
    {
        (_, string run) = Trained.Value;
        (int code, string stdout, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), "predict", "--model", Path.Combine(run, "model.annlab"), "--index", "2");
        Assert.True(code == 0, stderr);
        Assert.Contains("image 2", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"nonsense\"", "$.configuration.data_request: a value of the wrong type")]
    [InlineData("{\"dataset\": \"klingon\", \"data\": \"/tmp\"}", "configuration.data_request.dataset: got klingon, expected fashion-mnist, ")]
    [InlineData("{\"dataset\": \"csv\", \"data\": \"/tmp/annlab-no-such-folder/x.csv\"}", "(the data ")]
    public void A_tampered_data_request_is_the_results_files_error(string value, string part)
    {
        (_, string run) = Trained.Value;
        string copy = CopyRun(run);
        string path = Path.Combine(copy, "results.json");
        JsonNode root = JsonNode.Parse(File.ReadAllText(path))!;
        root["configuration"]!["data_request"] = JsonNode.Parse(value);
        File.WriteAllText(path, root.ToJsonString());
        (int code, _, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), "evaluate", "--model", Path.Combine(copy, "model.annlab"), "--no-figures");
        Assert.Equal(1, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith("annlab: error: ", stderr, StringComparison.Ordinal);
        Assert.Contains(part, stderr, StringComparison.Ordinal);
        Assert.Contains("results.json", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_data_request_with_a_dataset_still_reads_that_data()
    {
        (_, string run) = Trained.Value;
        string copy = CopyRun(run);
        string path = Path.Combine(copy, "results.json");
        JsonNode root = JsonNode.Parse(File.ReadAllText(path))!;
        root["configuration"]!["data_request"] = new JsonObject();
        File.WriteAllText(path, root.ToJsonString());
        // dataset csv and data small.csv remain: the CSV is read (without the class names, so a warning), not Fashion-MNIST.
        (int code, string stdout, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), "evaluate", "--model", Path.Combine(copy, "model.annlab"), "--no-figures");
        Assert.True(code == 0, stderr);
        Assert.Contains("small.csv", stdout, StringComparison.Ordinal);
        Assert.Contains("warning:", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--images", "a.idx", "--images: got a.idx, expected no --images with csv data (it reads --class-names, --image-size)")]
    [InlineData("--test-images", "t.idx", "--test-images: got t.idx, expected no --test-images with csv data (it reads --class-names, --image-size)")]
    public void A_data_option_the_format_does_not_read_is_refused(string option, string value, string message)
    {
        (string folder, _) = Trained.Value;
        (int code, _, string stderr) = AnnlabProcess.Run(folder, "data", "--dataset", "csv", "--data", "small.csv", option, value, "--output", Path.Combine(TestPaths.NewTempDirectory(), "figures"));
        Assert.Equal(2, code);
        Assert.Equal($"annlab: {message}", stderr.Trim());
    }

    [Fact]
    public void Class_names_or_an_image_size_for_fashion_mnist_are_refused()
    {
        (int code, _, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), "data", "--image-size", "14x14", "--samples", "100");
        Assert.Equal(2, code);
        Assert.Equal("annlab: --image-size: got 14x14, expected no --image-size with fashion-mnist data (it reads only --data)", stderr.Trim());
    }

    [Fact]
    public void Data_that_fail_to_load_leave_no_empty_output_folder()
    {
        // Headers that open, a body with bytes after its last image: found only when the images load, after the folder is made.
        string folder = TestPaths.NewTempDirectory();
        File.WriteAllBytes(Path.Combine(folder, "a.idx"), [0, 0, 8, 3, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 2, .. new byte[16], 1, 2, 3]);
        File.WriteAllBytes(Path.Combine(folder, "b.idx"), [0, 0, 8, 1, 0, 0, 0, 4, 0, 1, 0, 1]);
        string output = Path.Combine(TestPaths.NewTempDirectory(), "figures");
        (int code, _, string stderr) = AnnlabProcess.Run(folder, "data", "--data", folder, "--images", "a.idx", "--labels", "b.idx", "--output", output);
        Assert.Equal(1, code);
        Assert.Contains("a.idx", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), $"{output} left behind");
    }

    private static string CopyRun(string run)
    {
        string copy = Path.Combine(TestPaths.NewTempDirectory(), "run");
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(run))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }
}

using System.Diagnostics;
using AnnLab.Data;
using AnnLab.Tests.Data;

namespace AnnLab.Tests.Cli;

/// <summary>
/// Issue 10's data reproducers as a user meets them: a folder holding fewer images than asked,
/// splits that leave a part empty, images of another shape, a corrupted training file, a FIFO, and
/// a tampered results.json beside a model. Each ends in one line on stderr and exit code 1 or 2.
/// </summary>
public class BadDataCommandLineTests
{
    // A cache of verified files of the test's own, so runs neither use nor fill the user's.
    private static readonly string Cache = TestPaths.NewTempDirectory();

    /// <summary>A subset of the data (100 training, 50 test images) and a one-epoch run trained on it: (data folder, work folder, run folder).</summary>
    private static (string Data, string Work, string Run) TrainedRun()
    {
        string dir = BadDataTests.WriteSubset(100, 50);
        string work = TestPaths.NewTempDirectory();
        string run = Path.Combine(work, "run");
        (int code, _, string stderr) = Annlab(work, "train", "--data", dir, "--samples", "100", "--max-epochs", "1", "--no-figures", "--output", run);
        Assert.True(code == 0, stderr);
        return (dir, work, run);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("data")]
    [InlineData("evaluate", "--model", "none.annlab")]
    [InlineData("explain", "--model", "none.annlab", "--index", "3")]
    public void A_folder_holding_fewer_images_than_samples_names_the_folder_and_both_counts(string command, params string[] more)
    {
        string dir = BadDataTests.WriteSubset(100, 50);
        string output = TestPaths.NewTempDirectory();
        (int code, string stdout, string stderr) = Annlab(output, [command, "--data", dir, "--samples", "5000", .. more]);
        AssertOneLine(2, $"annlab: --samples: got 5000, expected an integer in 2..150, or 'all' (Fashion-MNIST in {dir} holds 150 images)", code, stderr);
        Assert.Equal("", stdout);
        Assert.Empty(Directory.GetFileSystemEntries(output));
    }

    [Theory]
    [InlineData("stratified", "2", "0.8", "--train-fraction: got 0.8, expected a fraction leaving at least one training and one validation image of the 2 samples cut per class (gives 2 and 0)")]
    [InlineData("stratified", "20", "0.05", "--train-fraction: got 0.05, expected a fraction leaving at least one training and one validation image of the 20 samples cut per class (gives 0 and 20)")]
    [InlineData("lab", "20", "0.01", "--train-fraction: got 0.01, expected a fraction leaving at least one training and one validation image of the 20 samples (gives 0 and 20)")]
    [InlineData("official", "all", "0.001", "--train-fraction: got 0.001, expected a fraction leaving at least one training and one validation image of the 100 training-part images of Fashion-MNIST (gives 0 and 100)")]
    public void A_split_that_leaves_a_part_empty_is_refused_before_training(string split, string samples, string fraction, string message)
    {
        string dir = BadDataTests.WriteSubset(100, 50);
        string output = TestPaths.NewTempDirectory();
        (int code, _, string stderr) = Annlab(output, "train", "--data", dir, "--split", split, "--samples", samples, "--train-fraction", fraction, "--output", Path.Combine(output, "run"));
        AssertOneLine(2, "annlab: " + message, code, stderr);
        Assert.False(Directory.Exists(Path.Combine(output, "run")) && Directory.GetFileSystemEntries(Path.Combine(output, "run")).Length > 0);
    }

    [Theory]
    [InlineData(784, 1)]
    [InlineData(14, 56)]
    public void Images_of_another_shape_are_refused_naming_the_file(int rows, int columns)
    {
        string dir = BadDataTests.WriteSubset(100, 50, rows, columns);
        (int code, _, string stderr) = Annlab(TestPaths.NewTempDirectory(), "train", "--data", dir, "--samples", "100");
        AssertOneLine(1, $"annlab: error: {Path.Combine(dir, FashionMnist.TrainImagesFile)}: header says images of {rows}x{columns}; Fashion-MNIST's are 28x28", code, stderr);
    }

    [Fact]
    public void A_flipped_bit_at_byte_50000_of_the_training_images_fails_the_run_naming_the_file()
    {
        string dir = TestPaths.NewTempDirectory();
        foreach (string name in FashionMnist.Files)
        {
            File.Copy(Path.Combine(TestPaths.DataDirectory, name), Path.Combine(dir, name));
        }

        string images = Path.Combine(dir, FashionMnist.TrainImagesFile);
        byte[] bytes = File.ReadAllBytes(images);
        bytes[50_000] ^= 0x01;
        File.WriteAllBytes(images, bytes);
        string output = TestPaths.NewTempDirectory();
        (int code, _, string stderr) = Annlab(output, "train", "--data", dir, "--max-epochs", "1", "--output", Path.Combine(output, "run"));
        Assert.Equal(1, code);
        Assert.StartsWith($"annlab: error: {images}: the gzip CRC-32 does not match the 47040016 decompressed bytes (the data is corrupt)", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void A_fifo_as_a_data_file_is_refused_not_waited_on()
    {
        string dir = BadDataTests.WriteSubset(100, 50);
        string labels = Path.Combine(dir, FashionMnist.TrainLabelsFile);
        File.Delete(labels);
        using (var mkfifo = Process.Start("mkfifo", labels))
        {
            mkfifo.WaitForExit();
        }

        (int code, _, string stderr) = Annlab(TestPaths.NewTempDirectory(), "data", "--data", dir, "--samples", "100");
        AssertOneLine(1, $"annlab: error: {labels}: is not a regular file (a FIFO, device or socket); expected an IDX file", code, stderr);
    }

    [Theory]
    [InlineData("\"samples\": 100,", "\"samples\": 100000,", "configuration.samples: got 100000, expected an integer in 2..150, or 'all'")]
    [InlineData("\"samples\": 100,", "\"samples\": -5,", "not a valid results file: configuration.samples: got -5, expected an integer >= 2")]
    [InlineData("\"train_fraction\": 0.8,", "\"train_fraction\": 1.5,", "not a valid results file: configuration.train_fraction: got 1.5, expected a number strictly between 0 and 1")]
    [InlineData("\"lambda\": 1,", "\"lambda\": -1,", "not a valid results file: configuration.lambda: got -1, expected a finite number >= 0")]
    [InlineData("\"split\": \"lab\",", "\"split\": \"x\",", "not a valid results file: split: got x, expected one of lab, official, stratified")]
    public void Evaluate_names_the_results_file_and_key_of_a_tampered_value(string original, string tampered, string message)
    {
        (string dir, string work, string run) = TrainedRun();
        string results = Path.Combine(run, "results.json");
        string json = File.ReadAllText(results);
        Assert.Contains(original, json);
        File.WriteAllText(results, json.Replace(original, tampered, StringComparison.Ordinal));
        (int code, _, string stderr) = Annlab(work, "evaluate", "--data", dir, "--model", Path.Combine(run, "model.annlab"), "--no-figures");
        Assert.Equal(1, code);
        Assert.StartsWith($"annlab: error: {results}: {message}", stderr);
        Assert.EndsWith("give --split, --samples, --train-fraction and --lambda to evaluate without it", stderr.Trim());
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Evaluate_refuses_a_results_json_that_is_a_fifo_instead_of_waiting_on_it()
    {
        (string dir, string work, string run) = TrainedRun();
        string results = Path.Combine(run, "results.json");
        File.Delete(results);
        using (var mkfifo = Process.Start("mkfifo", results))
        {
            mkfifo.WaitForExit();
        }

        (int code, _, string stderr) = Annlab(work, "evaluate", "--data", dir, "--model", Path.Combine(run, "model.annlab"), "--no-figures");
        AssertOneLine(1, $"annlab: error: {results}: is not a regular file (a FIFO, device or socket); expected a results file (JSON); give --split, --samples, --train-fraction and --lambda to evaluate without it", code, stderr);
    }

    private static void AssertOneLine(int expectedCode, string expected, int code, string stderr)
    {
        Assert.Equal(expected, stderr.Trim());
        Assert.Equal(expectedCode, code);
    }

    private static (int ExitCode, string Output, string Error) Annlab(string workingDirectory, params string[] args)
        => AnnlabProcess.RunWithCache(Cache, workingDirectory, args);
}

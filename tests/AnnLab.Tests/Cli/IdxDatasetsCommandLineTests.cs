using System.Diagnostics;
using AnnLab.Data;
using AnnLab.Tests.Data;

namespace AnnLab.Tests.Cli;

/// <summary>
/// Issue 12's IDX data sets as a user meets them: training on a synthetic MNIST folder and on an
/// IDX pair of 12x20 images, evaluating the run without any data option (the run recorded its data),
/// and bad inputs, each ending in one line on stderr and exit code 1 or 2.
/// </summary>
public class IdxDatasetsCommandLineTests
{
    // A cache of verified files of the test's own, so runs neither use nor fill the user's.
    private static readonly string Cache = TestPaths.NewTempDirectory();

    [Fact]
    public void Train_on_mnist_by_name_then_evaluate_reads_the_same_data_back_without_a_data_option()
    {
        string dir = IdxDatasetsTests.WriteKnown(KnownIdxDatasets.Mnist, 60, 20);
        string work = TestPaths.NewTempDirectory();
        string run = Path.Combine(work, "run");
        (int code, string stdout, string stderr) = Annlab(work, "train", "--dataset", "mnist", "--data", dir, "--samples", "60", "--max-epochs", "2", "--no-figures", "--output", run);
        Assert.True(code == 0, stderr);
        Assert.Contains($"data: {dir}: MNIST, images of 28x28, 10 classes; the first 60 images: 48 training, 12 validation", stdout, StringComparison.Ordinal);
        Assert.Contains("\"dataset\": \"mnist\"", File.ReadAllText(Path.Combine(run, "results.json")), StringComparison.Ordinal);

        string elsewhere = TestPaths.NewTempDirectory();
        (code, stdout, stderr) = Annlab(elsewhere, "evaluate", "--model", Path.Combine(run, "model.annlab"), "--no-figures");
        Assert.True(code == 0, stderr);
        Assert.Contains($"data: {dir}: the first 60 images: 48 training, 12 validation; measuring the 12 validation images", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_on_an_idx_pair_with_class_names_then_evaluate_names_its_classes()
    {
        string dir = IdxDatasetsTests.WritePair(12, 20, 60, 3);
        File.WriteAllText(Path.Combine(dir, "names.txt"), "cat\ndog\neel\n");
        string work = TestPaths.NewTempDirectory();
        string run = Path.Combine(work, "run");
        (int code, string stdout, string stderr) = Annlab(work, "train", "--data", dir, "--images", "a.idx", "--labels", "b.idx", "--class-names", "names.txt", "--samples", "60", "--max-epochs", "2", "--no-figures", "--output", run);
        Assert.True(code == 0, stderr);
        Assert.Contains($"data: {dir}: IDX a.idx, images of 12x20, 3 classes; the first 60 images", stdout, StringComparison.Ordinal);
        Assert.Contains("network: 240-25-3 ", stdout, StringComparison.Ordinal);

        (code, stdout, stderr) = Annlab(TestPaths.NewTempDirectory(), "evaluate", "--model", Path.Combine(run, "model.annlab"), "--no-figures");
        Assert.True(code == 0, stderr);
        Assert.Contains("measuring the 12 validation images", stdout, StringComparison.Ordinal);
        Assert.Contains("│ 2 eel ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_idx_inputs_end_in_one_line_and_exit_1_or_2()
    {
        string dir = IdxDatasetsTests.WritePair(12, 20, 60, 3);
        File.WriteAllText(Path.Combine(dir, "two.txt"), "cat\ndog\n");
        string work = TestPaths.NewTempDirectory();
        string missing = Path.Combine(work, "none");

        (int code, _, string stderr) = Annlab(work, "data", "--data", dir, "--images", "a.idx");
        AssertOneLine(2, "annlab: --labels: got none, expected an IDX labels file: the idx format takes --images and --labels together", code, stderr);

        (code, _, stderr) = Annlab(work, "data", "--data", dir, "--images", "a.idx", "--labels", "b.idx", "--class-names", "two.txt");
        AssertOneLine(1, $"annlab: error: {Path.Combine(dir, "two.txt")}: 2 class names, but {Path.Combine(dir, "b.idx")} holds label 2; expected at least 3 names", code, stderr);

        (code, _, stderr) = Annlab(work, "data", "--data", dir, "--images", "a.idx", "--labels", "nothing.idx");
        AssertOneLine(1, $"annlab: error: {Path.Combine(dir, "nothing.idx")}: no such file", code, stderr);

        (code, _, stderr) = Annlab(work, "train", "--dataset", "kmnist", "--data", missing, "--no-figures");
        Assert.Equal(1, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith($"annlab: error: no KMNIST folder found; looked in: {missing} (--data); put train-images-idx3-ubyte.gz, ", stderr, StringComparison.Ordinal);
        Assert.Contains("published at http://codh.rois.ac.jp/kmnist/", stderr, StringComparison.Ordinal);

        // The shipped Fashion-MNIST named as MNIST: refused naming what it is.
        (code, _, stderr) = Annlab(work, "data", "--dataset", "mnist", "--data", TestPaths.DataDirectory, "--samples", "100");
        AssertOneLine(1, $"annlab: error: {Path.Combine(TestPaths.DataDirectory, FashionMnist.TrainImagesFile)}: this is Fashion-MNIST's train-images file, not MNIST's; give --dataset fashion-mnist", code, stderr);
    }

    [Theory]
    [InlineData(46341, 46341, "2147488281")]
    [InlineData(60000, 60000, "3600000000")]
    [InlineData(4096, 4097, "16781312")]
    public void An_idx_header_of_images_too_large_ends_train_in_one_line_naming_the_file_and_both_sizes(int rows, int columns, string pixels)
    {
        string dir = IdxDatasetsTests.WritePair(12, 20, 60, 3);
        string big = Path.Combine(dir, "big.idx");
        byte[] header = new byte[16 + 10];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, IdxReader.ImagesMagic);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 60);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), rows);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), columns);
        File.WriteAllBytes(big, header);
        string work = TestPaths.NewTempDirectory();
        (int code, _, string stderr) = Annlab(work, "train", "--data", dir, "--images", "big.idx", "--labels", "b.idx", "--max-epochs", "1", "--no-figures", "--output", Path.Combine(work, "run"));
        AssertOneLine(1, $"annlab: error: {big}: header says images of {rows}x{columns} = {pixels} pixels, expected at most 4096x4096 = 16777216 pixels (the largest image AnnLab takes)", code, stderr);
    }

    [Fact]
    public void A_class_name_longer_than_a_model_file_stores_ends_train_in_one_line_and_writes_no_model()
    {
        string dir = IdxDatasetsTests.WritePair(12, 20, 60, 3);
        string names = Path.Combine(dir, "n4097.txt");
        File.WriteAllText(names, new string('a', 4097) + "\nb\nc\n");
        string work = TestPaths.NewTempDirectory();
        string run = Path.Combine(work, "run");
        (int code, _, string stderr) = Annlab(work, "train", "--data", dir, "--images", "a.idx", "--labels", "b.idx", "--class-names", "n4097.txt", "--max-epochs", "1", "--no-figures", "--output", run);
        AssertOneLine(1, $"annlab: error: {names}: line 1: expected a class name of at most 4096 UTF-8 bytes (the most a model file stores), got 4097", code, stderr);
        Assert.False(File.Exists(Path.Combine(run, "model.annlab")));
    }

    private static void AssertOneLine(int expectedCode, string expected, int code, string stderr)
    {
        Assert.Equal(expected, stderr.Trim());
        Assert.Equal(expectedCode, code);
    }

    private static (int ExitCode, string Output, string Error) Annlab(string workingDirectory, params string[] args)
        => AnnlabProcess.RunWithCache(Cache, workingDirectory, args);
}

using System.Diagnostics;
using System.Globalization;
using AnnLab.Data;
using AnnLab.Tests.Data;

namespace AnnLab.Tests.Cli;

/// <summary>
/// The attacker's report on issue 10, at the command line: networks too large for memory in every
/// command that builds one, SIGHUP and SIGQUIT, interrupted sweeps, the official split on a small
/// folder, results.json's spelling and gzip CRC errors.
/// </summary>
public class SizesSignalsAndMessagesTests
{
    private static void AssertOneLine(string stderr, string start)
    {
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, stderr);
        Assert.StartsWith(start, lines[0], StringComparison.Ordinal);
    }

    // 2,060,820,010 parameters: under the 2^31 limit, and about 54 GB to train with sgd.
    [Theory]
    [InlineData("train", "--max-epochs", "1")]
    [InlineData("compare", "--max-epochs", "1")]
    [InlineData("bench", "--epochs", "1")]
    public void A_network_too_large_for_memory_is_a_bad_option_in_every_command_that_trains_one(string command, params string[] more)
    {
        string work = TestPaths.NewTempDirectory();
        (int code, string stdout, string stderr) = AnnlabProcess.Run(work, [command, "--hidden", "45000,45000", "--samples", "300", .. more]);
        Assert.Equal(2, code);
        AssertOneLine(stderr, "annlab: --hidden: got 45000,45000, expected hidden layers that fit in memory: the network 784-45000-45000-10 has 2060820010 parameters and needs about ");
        Assert.Contains(" GB available", stderr);
        Assert.Equal("", stdout);
        Assert.Empty(Directory.GetFileSystemEntries(work));
    }

    [Fact]
    public void Bench_over_the_parameter_limit_is_a_bad_option_not_an_internal_error()
    {
        (int code, _, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), "bench", "--hidden", "50000,50000", "--epochs", "1", "--samples", "300");
        Assert.Equal(2, code);
        AssertOneLine(stderr, "annlab: --hidden: got 50000,50000, expected hidden layers with at most 2147483647 parameters in all (the network 784-50000-50000-10 has 2539800010)");
    }

    [Fact]
    public void A_sweep_whose_parallel_points_do_not_fit_together_is_refused_before_any_training()
    {
        // 64 points of 78.5 million parameters each, all at once: about 130 GB.
        string work = TestPaths.NewTempDirectory();
        string eight = "0,1,2,3,4,5,6,7";
        (int code, string stdout, string stderr) = AnnlabProcess.Run(work, "sweep", "--hidden-sizes", "100000", "--lambdas", eight, "--learning-rates", "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8", "--parallel", "64", "--samples", "300", "--max-epochs", "1");
        Assert.Equal(2, code);
        AssertOneLine(stderr, "annlab: --hidden-sizes: got 100000, expected hidden layers that fit in memory: the network 784-100000-10 has 79500010 parameters and 64 such networks trained at once need about ");
        Assert.Equal("", stdout);
        Assert.Empty(Directory.GetFileSystemEntries(work));
    }

    [Fact]
    public void The_official_split_on_a_small_folder_trains_without_blaming_samples()
    {
        string dir = BadDataTests.WriteSubset(200, 50);
        string work = TestPaths.NewTempDirectory();
        (int code, string stdout, string stderr) = AnnlabProcess.Run(work, "train", "--split", "official", "--data", dir, "--max-epochs", "1", "--no-figures", "--output", Path.Combine(work, "run"));
        Assert.True(code == 0, stderr);
        Assert.Contains("official: training part images 0..159 train, 160..199 validate; the 50 test-part images test", stdout);
    }

    [Fact]
    public void Samples_not_given_takes_every_image_of_a_smaller_folder()
    {
        string dir = BadDataTests.WriteSubset(200, 50);
        string work = TestPaths.NewTempDirectory();
        (int code, string stdout, string stderr) = AnnlabProcess.Run(work, "train", "--data", dir, "--max-epochs", "1", "--no-figures", "--output", Path.Combine(work, "run"));
        Assert.True(code == 0, stderr);
        Assert.Contains("the first 250 images: 200 training, 50 validation", stdout);
    }

    [Theory]
    [InlineData(0, 0, "lab", "holds 0 images; a split needs at least 2 (one to train, one to validate)")]
    [InlineData(1, 50, "official", "its training part holds 1 image; the official split needs at least 2 (one to train, one to validate)")]
    public void A_data_set_too_small_for_any_split_is_the_datas_error_naming_the_folder(int train, int test, string split, string message)
    {
        string dir = BadDataTests.WriteSubset(train, test);
        (int code, _, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), "train", "--data", dir, "--split", split, "--no-figures");
        Assert.Equal(1, code);
        AssertOneLine(stderr, $"annlab: error: Fashion-MNIST in {dir}: {message}");
    }

    [Fact]
    public void A_diverged_runs_results_json_spells_the_option_as_the_terminal_does()
    {
        string work = TestPaths.NewTempDirectory();
        (int code, _, string stderr) = AnnlabProcess.Run(work, "train", "--learning-rate", "1e8", "--samples", "300", "--max-epochs", "2", "--no-figures", "--output", Path.Combine(work, "run"));
        Assert.Equal(1, code);
        Assert.Contains("try a smaller --learning-rate", stderr);
        string json = File.ReadAllText(Path.Combine(work, "run", "results.json"));
        Assert.Contains("try a smaller --learning-rate", json);
        Assert.DoesNotContain("`LearningRate`", json);
    }

    [Fact]
    public void A_gzip_crc_mismatch_is_named_as_one()
    {
        string dir = BadDataTests.WriteSubset(100, 50);
        string images = Path.Combine(dir, FashionMnist.TrainImagesFile);
        byte[] bytes = File.ReadAllBytes(images);
        bytes[^6] ^= 0x10; // inside the CRC-32 of the trailer: the deflate data are intact
        File.WriteAllBytes(images, bytes);
        (int code, _, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), "data", "--data", dir, "--samples", "all");
        Assert.Equal(1, code);
        AssertOneLine(stderr, $"annlab: error: {images}: the gzip CRC-32 does not match the 78416 decompressed bytes (the data is corrupt)");
    }

    [Theory]
    [InlineData("HUP", "SIGHUP")]
    [InlineData("QUIT", "SIGQUIT")]
    public async Task Sighup_and_sigquit_during_training_end_as_sigterm_does(string signal, string name)
    {
        string work = TestPaths.NewTempDirectory();
        using Process p = AnnlabProcess.Start(work, "train", "--samples", "5000", "--max-epochs", "100000", "--no-figures");
        Task<string> error = p.StandardError.ReadToEndAsync();
        string? line;
        while ((line = p.StandardOutput.ReadLine()) is not null && !line.StartsWith("epoch ", StringComparison.Ordinal))
        {
        }

        Assert.NotNull(line);
        Send(signal, p);
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(1, p.ExitCode);
        AssertOneLine(await error, $"annlab: interrupted ({name}) after epoch ");
        string run = Assert.Single(Directory.GetDirectories(Path.Combine(work, "runs")));
        Assert.True(File.Exists(Path.Combine(run, "checkpoint.annlab-ckpt")));
    }

    [Fact]
    public async Task An_interrupted_sweep_never_leaves_a_folder_holding_only_its_marker()
    {
        // The signal's release raced the claim: a folder claimed after it stayed with .annlab-run alone.
        // Signals spread over the start, the claim and the training catch both sides of the claim.
        string work = TestPaths.NewTempDirectory();
        for (int i = 0; i < 10; i++)
        {
            using Process p = AnnlabProcess.Start(work, "sweep", "--samples", "5000", "--max-epochs", "2000");
            Task<string> output = p.StandardOutput.ReadToEndAsync(), error = p.StandardError.ReadToEndAsync();
            await Task.Delay(600 + (i * 90));
            Send("TERM", p);
            p.WaitForExit();
            Assert.Equal(1, p.ExitCode);
            AssertOneLine(await error, "annlab: interrupted (SIGTERM)");
            await output;
        }

        string runs = Path.Combine(work, "runs");
        Assert.Empty(Directory.Exists(runs) ? Directory.GetDirectories(runs) : []);
    }

    private static void Send(string signal, Process p)
    {
        using Process kill = Process.Start("kill", ["-" + signal, p.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}

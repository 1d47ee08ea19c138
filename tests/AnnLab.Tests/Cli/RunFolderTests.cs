using System.Diagnostics;

namespace AnnLab.Tests.Cli;

/// <summary>Run folders and output files under bad input, signals, concurrent runs and full disks (issue 10), as a user meets them.</summary>
public class RunFolderTests
{
    // A run of a few seconds: enough epochs that a signal arrives while it trains.
    private static readonly string[] LongRun = ["train", "--samples", "5000", "--max-epochs", "100000", "--no-figures"];

    /// <summary>Starts <see cref="LongRun"/> in <paramref name="work"/>, waits for its first epoch line (after the run folder is claimed), runs <paramref name="whileTraining"/>, sends <paramref name="signal"/> and returns the exit code and standard error.</summary>
    private static async Task<(int Code, string Stderr)> Interrupt(string? work, string[] more, string signal, Action whileTraining)
    {
        using Process p = AnnlabProcess.Start(work, [.. LongRun, .. more]);
        Task<string> error = p.StandardError.ReadToEndAsync();
        string? line;
        while ((line = p.StandardOutput.ReadLine()) is not null && !line.StartsWith("epoch ", StringComparison.Ordinal))
        {
        }

        Assert.NotNull(line);
        whileTraining();
        using (Process kill = Process.Start("kill", ["-" + signal, p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, (await error).Trim());
    }

    [Fact]
    public async Task Sigterm_during_training_is_one_line_exit_1_and_keeps_the_run_folder_with_its_checkpoint_marked_unfinished()
    {
        string work = TestPaths.NewTempDirectory();
        (int code, string stderr) = await Interrupt(work, [], "TERM", () => Assert.Single(Directory.GetDirectories(Path.Combine(work, "runs"))));
        Assert.Equal(1, code);
        string run = Path.Combine("runs", Path.GetFileName(Assert.Single(Directory.GetDirectories(Path.Combine(work, "runs")))));
        Assert.StartsWith("annlab: interrupted (SIGTERM) after epoch ", stderr, StringComparison.Ordinal);
        Assert.EndsWith($"; checkpoint written to {run}/checkpoint.annlab-ckpt; unfinished outputs kept in {run} (marked by .annlab-run); resume with: annlab train --resume {run}", stderr, StringComparison.Ordinal);
        Assert.Equal([".annlab-run", "checkpoint.annlab-ckpt"], Directory.GetFileSystemEntries(Path.Combine(work, run)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Sigint_writes_a_checkpoint_into_the_output_folder_the_user_made()
    {
        string output = TestPaths.NewTempDirectory();
        (int code, string stderr) = await Interrupt(null, ["--output", output], "INT", () => Assert.True(File.Exists(Path.Combine(output, ".annlab-run"))));
        Assert.Equal(1, code);
        Assert.StartsWith("annlab: interrupted (SIGINT) after epoch ", stderr, StringComparison.Ordinal);
        Assert.EndsWith($"resume with: annlab train --resume {output}", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "checkpoint.annlab-ckpt")));
    }

    [Fact]
    public void An_output_folder_another_run_holds_is_refused_with_exit_2()
    {
        // The marker is what a running annlab holds in its folder.
        string output = TestPaths.NewTempDirectory();
        string marker = Path.Combine(output, ".annlab-run");
        File.WriteAllBytes(marker, []);
        (int code, string stdout, string stderr) = AnnlabProcess.Run(null, "train", "--samples", "100", "--max-epochs", "1", "--no-figures", "--output", output);
        Assert.Equal(2, code);
        Assert.Equal($"annlab: --output: got {output}, expected a folder no other run is writing to (another annlab run holds it, or one was killed: if none is running, delete {marker})", stderr.Trim());
        Assert.Equal([marker], Directory.GetFileSystemEntries(output));
        Assert.DoesNotContain("epoch", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_runs_into_one_output_folder_one_wins_and_the_other_exits_2()
    {
        string output = Path.Combine(TestPaths.NewTempDirectory(), "o");
        string[] args = ["train", "--samples", "200", "--max-epochs", "2", "--no-figures", "--output", output];
        using Process a = AnnlabProcess.Start(null, args);
        using Process b = AnnlabProcess.Start(null, args);
        Task<string> aError = a.StandardError.ReadToEndAsync(), bError = b.StandardError.ReadToEndAsync();
        a.StandardOutput.ReadToEnd();
        b.StandardOutput.ReadToEnd();
        a.WaitForExit();
        b.WaitForExit();
        int[] codes = [a.ExitCode, b.ExitCode];
        Array.Sort(codes);
        Assert.Equal([0, 2], codes);
        string loser = a.ExitCode == 2 ? await aError : await bError;
        Assert.StartsWith($"annlab: --output: got {output}, expected ", loser.Trim(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "results.json")));
        Assert.False(File.Exists(Path.Combine(output, ".annlab-run")));
    }

    [Theory]
    [InlineData("/dev/full", "expected a new file or an existing regular file")]
    [InlineData("/dev/null", "expected a new file or an existing regular file")]
    public void Json_refuses_a_device(string path, string message)
    {
        (int code, _, string stderr) = AnnlabProcess.Run(null, "train", "--samples", "100", "--max-epochs", "1", "--no-figures", "--json", path, "--output", Path.Combine(TestPaths.NewTempDirectory(), "o"));
        Assert.Equal(2, code);
        Assert.StartsWith($"annlab: --json: got {path}, {message}", stderr.Trim(), StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Json_refuses_a_file_in_the_run_folder_and_in_the_data_folder()
    {
        string output = Path.Combine(TestPaths.NewTempDirectory(), "o");
        string model = Path.Combine(output, "model.annlab");
        (int code, _, string stderr) = AnnlabProcess.Run(null, "train", "--samples", "100", "--max-epochs", "1", "--no-figures", "--output", output, "--json", model);
        Assert.Equal(2, code);
        Assert.Equal($"annlab: --json: got {model}, expected a file outside {output} (AnnLab does not replace the files there)", stderr.Trim());
        Assert.False(Directory.Exists(output));

        string data = Path.Combine(TestPaths.DataDirectory, "train-labels-idx1-ubyte.gz");
        long length = new FileInfo(data).Length;
        (code, _, stderr) = AnnlabProcess.Run(null, "train", "--samples", "100", "--max-epochs", "1", "--no-figures", "--output", output, "--json", data);
        Assert.Equal(2, code);
        Assert.StartsWith($"annlab: --json: got {data}, expected a file outside ", stderr.Trim(), StringComparison.Ordinal);
        Assert.Equal(length, new FileInfo(data).Length);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void A_full_disk_while_saving_is_one_line_exit_1_and_no_empty_run_folder()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            // xunit 2 cannot skip at run time: without root on Linux there is no small disk to fill.
            return;
        }

        string mount = TestPaths.NewTempDirectory();
        using (Process m = Process.Start("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mount]))
        {
            m.WaitForExit();
            if (m.ExitCode != 0)
            {
                return; // mount -t tmpfs is not allowed here (a container without CAP_SYS_ADMIN)
            }
        }

        try
        {
            // 64 KB holds the marker but not the model of a 784-400-10 network (1.2 MB).
            string output = Path.Combine(mount, "o");
            (int code, _, string stderr) = AnnlabProcess.Run(null, "train", "--samples", "100", "--max-epochs", "1", "--hidden", "400", "--no-figures", "--output", output);
            Assert.Equal(1, code);
            string line = Assert.Single(stderr.Trim().Split('\n'));
            Assert.StartsWith($"annlab: error: cannot write {Path.Combine(output, "model.annlab")}: ", line, StringComparison.Ordinal);
            Assert.DoesNotContain(".tmp", line, StringComparison.Ordinal);
            Assert.False(Directory.Exists(output));
            Assert.Empty(Directory.GetFileSystemEntries(mount));
        }
        finally
        {
            using Process u = Process.Start("umount", [mount]);
            u.WaitForExit();
        }
    }
}

using System.Diagnostics;

namespace AnnLab.Tests.Cli;

/// <summary>
/// Where commands write (--json, --output, --show) under links, FIFOs, earlier runs and the data
/// folder, and how they echo paths (issue 10's attacker report), as a user meets them.
/// </summary>
public class OutputPathTests
{
    // A finished run (no figures): the folder holds model.annlab and results.json.
    private static readonly Lazy<string> Run = new(() =>
    {
        string run = Path.Combine(TestPaths.NewTempDirectory(), "run");
        (int code, _, string stderr) = AnnlabProcess.Run(null, "train", "--samples", "100", "--max-epochs", "1", "--no-figures", "--output", run);
        Assert.True(code == 0, stderr);
        return run;
    });

    private static string Model => Path.Combine(Run.Value, "model.annlab");

    private static void AssertRefused(int expectedCode, string expectedStart, (int Code, string Output, string Error) result)
    {
        Assert.Equal(expectedCode, result.Code);
        string line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith(expectedStart, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    // Every file and its bytes under a folder, to show a refused command changed nothing there.
    private static Dictionary<string, byte[]> Snapshot(string folder)
        => Directory.GetFiles(folder).ToDictionary(f => f, File.ReadAllBytes);

    private static void Link(string target, string link) => File.CreateSymbolicLink(link, target);

    [Fact]
    public void Json_through_a_linked_folder_into_the_run_folder_or_the_data_folder_is_refused()
    {
        string work = TestPaths.NewTempDirectory();
        string output = Path.Combine(work, "o");
        Directory.CreateDirectory(output);
        Link(output, Path.Combine(work, "ol"));
        string json = Path.Combine(work, "ol", "model.annlab");
        var refused = AnnlabProcess.Run(null, "train", "--samples", "100", "--max-epochs", "1", "--no-figures", "--output", output, "--json", json);
        AssertRefused(2, $"annlab: --json: got {json}, expected a file outside {output} (AnnLab does not replace the files there)", refused);
        Assert.Empty(Directory.GetFileSystemEntries(output));

        Link(TestPaths.DataDirectory, Path.Combine(work, "dl"));
        string data = Path.Combine(TestPaths.DataDirectory, "train-labels-idx1-ubyte.gz");
        byte[] before = File.ReadAllBytes(data);
        string viaLink = Path.Combine(work, "dl", "train-labels-idx1-ubyte.gz");
        refused = AnnlabProcess.Run(null, "train", "--samples", "100", "--max-epochs", "1", "--no-figures", "--output", Path.Combine(work, "o2"), "--json", viaLink);
        AssertRefused(2, $"annlab: --json: got {viaLink}, expected a file outside ", refused);
        Assert.Equal(before, File.ReadAllBytes(data));
        Assert.False(Directory.Exists(Path.Combine(work, "o2")));

        // A new file in the data folder, reached through the link: bench writes nothing there either.
        string benchJson = Path.Combine(work, "dl", "bench.json");
        AssertRefused(2, $"annlab: --json: got {benchJson}, expected a file outside ", AnnlabProcess.Run(null, "bench", "--samples", "200", "--epochs", "1", "--json", benchJson));
        Assert.False(File.Exists(Path.Combine(TestPaths.DataDirectory, "bench.json")));
    }

    [Theory]
    [InlineData("train")]
    [InlineData("evaluate")]
    [InlineData("bench")]
    [InlineData("info")]
    [InlineData("predict")]
    public void Json_onto_a_fifo_is_refused_and_the_fifo_stays(string command)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return; // no mkfifo
        }

        string fifo = Path.Combine(TestPaths.NewTempDirectory(), "pipe.json");
        using (Process make = Process.Start("mkfifo", [fifo]))
        {
            make.WaitForExit();
            Assert.Equal(0, make.ExitCode);
        }

        string[] args = command switch
        {
            "train" => ["train", "--samples", "100", "--max-epochs", "1", "--no-figures", "--output", Path.Combine(Path.GetDirectoryName(fifo)!, "o")],
            "evaluate" => ["evaluate", "--model", Model, "--no-figures"],
            "bench" => ["bench", "--samples", "200", "--epochs", "1"],
            "info" => ["info", "--model", Model],
            _ => ["predict", "--model", Model, "--index", "3"],
        };
        AssertRefused(2, $"annlab: --json: got {fifo}, expected a new file or an existing regular file (this is a device, a FIFO", AnnlabProcess.Run(null, [.. args, "--json", fifo]));
        using Process test = Process.Start("test", ["-p", fifo]);
        test.WaitForExit();
        Assert.Equal(0, test.ExitCode);
    }

    [Fact]
    public void Json_that_is_the_output_folder_is_refused_before_training()
    {
        string output = Path.Combine(TestPaths.NewTempDirectory(), "o");
        var refused = AnnlabProcess.Run(null, "train", "--samples", "100", "--max-epochs", "1", "--no-figures", "--output", output, "--json", output);
        AssertRefused(2, $"annlab: --json: got {output}, expected a file other than {output}", refused);
        Assert.DoesNotContain("epoch", refused.Output, StringComparison.Ordinal);
        Assert.False(Path.Exists(output));

        // A file path above the run folder would be made a folder by the run: refused as well.
        string parent = Path.Combine(TestPaths.NewTempDirectory(), "p");
        AssertRefused(2, $"annlab: --json: got {parent}, expected a file other than ", AnnlabProcess.Run(null, "train", "--samples", "100", "--max-epochs", "1", "--no-figures", "--output", Path.Combine(parent, "o"), "--json", parent));
    }

    [Fact]
    public void Json_never_replaces_an_earlier_runs_files_a_model_or_a_data_file()
    {
        string run = Run.Value;
        Dictionary<string, byte[]> before = Snapshot(run);
        string results = Path.Combine(run, "results.json");
        AssertRefused(2, $"annlab: --json: got {results}, expected a file other than the model and its results.json", AnnlabProcess.Run(null, "evaluate", "--model", Model, "--no-figures", "--json", results));
        AssertRefused(2, $"annlab: --json: got {Model}, expected a file outside the run folder {run} (it holds ", AnnlabProcess.Run(null, "train", "--samples", "100", "--max-epochs", "1", "--no-figures", "--output", Path.Combine(TestPaths.NewTempDirectory(), "o"), "--json", Model));
        AssertRefused(2, $"annlab: --json: got {Model}, expected a file outside the run folder {run}", AnnlabProcess.Run(null, "bench", "--samples", "200", "--epochs", "1", "--json", Model));
        string fresh = Path.Combine(run, "bench.json");
        AssertRefused(2, $"annlab: --json: got {fresh}, expected a file outside the run folder {run}", AnnlabProcess.Run(null, "bench", "--samples", "200", "--epochs", "1", "--json", fresh));
        Assert.Equal(before.Keys.Order(), Snapshot(run).Keys.Order());
        foreach ((string file, byte[] bytes) in before)
        {
            Assert.Equal(bytes, File.ReadAllBytes(file));
        }

        string newInData = Path.Combine(TestPaths.DataDirectory, "x.json");
        AssertRefused(2, $"annlab: --json: got {newInData}, expected a file outside ", AnnlabProcess.Run(null, "bench", "--samples", "200", "--epochs", "1", "--json", newInData));
        Assert.False(File.Exists(newInData));

        // A copy of the model elsewhere is no JSON output: not replaced either.
        string elsewhere = TestPaths.NewTempDirectory();
        string copy = Path.Combine(elsewhere, "copy.annlab");
        File.Copy(Model, copy);
        AssertRefused(2, $"annlab: --json: got {copy}, expected a new file or an earlier JSON output", AnnlabProcess.Run(null, "info", "--model", Model, "--json", copy));
        Assert.Equal(File.ReadAllBytes(Model), File.ReadAllBytes(copy));

        // Rerunning a command over its own --json stays allowed.
        string summary = Path.Combine(elsewhere, "summary.json");
        for (int i = 0; i < 2; i++)
        {
            (int code, _, string stderr) = AnnlabProcess.Run(null, "info", "--model", Model, "--json", summary);
            Assert.True(code == 0, stderr);
        }

        Assert.StartsWith("{", File.ReadAllText(summary), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data")]
    [InlineData("explain")]
    [InlineData("plot")]
    [InlineData("predict")]
    public void Figures_are_not_written_into_an_earlier_run_folder(string command)
    {
        string run = Run.Value;
        Dictionary<string, byte[]> before = Snapshot(run);
        string[] args = command switch
        {
            "data" => ["data", "--samples", "100", "--output", run],
            "explain" => ["explain", "--model", Model, "--index", "3", "--output", run],
            "plot" => ["plot", "activations", "--output", run],
            _ => ["predict", "--model", Model, "--index", "3", "--show", run],
        };
        string option = command == "predict" ? "--show" : "--output";
        AssertRefused(2, $"annlab: {option}: got {run}, expected a folder that holds no annlab run (this one holds ", AnnlabProcess.Run(null, args));
        Assert.Equal(before.Keys.Order(), Snapshot(run).Keys.Order());
    }

    [Fact]
    public void Data_figures_are_not_written_into_the_data_folder()
    {
        var refused = AnnlabProcess.Run(null, "data", "--samples", "100", "--output", TestPaths.DataDirectory);
        AssertRefused(2, $"annlab: --output: got {TestPaths.DataDirectory}, expected a folder other than ", refused);
        Assert.False(File.Exists(Path.Combine(TestPaths.DataDirectory, "samples.png")));
    }

    [Fact]
    public void Commands_that_open_no_data_still_write_nothing_into_the_data_folder()
    {
        string json = Path.Combine(TestPaths.DataDirectory, "p.json");
        AssertRefused(2, $"annlab: --json: got {json}, expected a file outside ", AnnlabProcess.Run(null, "predict", "--model", Model, "no-such.png", "--json", json));
        string onnx = Path.Combine(TestPaths.DataDirectory, "m.onnx");
        AssertRefused(2, $"annlab: --output: got {onnx}, expected a file outside ", AnnlabProcess.Run(null, "export", "--model", Model, "--output", onnx));
        AssertRefused(2, $"annlab: --show: got {TestPaths.DataDirectory}, expected a folder other than ", AnnlabProcess.Run(null, "predict", "--model", Model, "no-such.png", "--show", TestPaths.DataDirectory));
        Assert.False(File.Exists(json));
        Assert.False(File.Exists(onnx));
    }

    [Fact]
    public void A_results_json_beside_the_model_that_is_a_folder_is_refused_with_exit_1()
    {
        string dir = TestPaths.NewTempDirectory();
        string model = Path.Combine(dir, "model.annlab");
        File.Copy(Model, model);
        string results = Path.Combine(dir, "results.json");
        Directory.CreateDirectory(results);
        var refused = AnnlabProcess.Run(null, "evaluate", "--model", model, "--no-figures");
        AssertRefused(1, $"annlab: error: {results}: is a folder; expected the results file annlab train wrote beside the model", refused);
        Assert.Equal("", refused.Output);
    }

    [Fact]
    public void Paths_echoed_on_stdout_are_printable()
    {
        string output = Path.Combine(TestPaths.NewTempDirectory(), "x\u001b]0;PWN\u0007");
        (int code, string stdout, string stderr) = AnnlabProcess.Run(null, "train", "--samples", "100", "--max-epochs", "1", "--no-figures", "--output", output);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain('\u001b', stdout);
        Assert.DoesNotContain('\u0007', stdout);
        Assert.Contains("run folder: " + output.Replace("\u001b", "\\u001B", StringComparison.Ordinal).Replace("\u0007", "\\u0007", StringComparison.Ordinal), stdout, StringComparison.Ordinal);

        string model = Path.Combine(output, "model.annlab");
        (code, stdout, stderr) = AnnlabProcess.Run(null, "predict", "--model", model, "--index", "3", "--show", output + "-show");
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain('\u001b', stdout);
        Assert.Contains("wrote ", stdout, StringComparison.Ordinal);
        Assert.Contains("model: ", stdout, StringComparison.Ordinal);

        string plots = Path.Combine(TestPaths.NewTempDirectory(), "p\u001b[2J");
        (code, stdout, stderr) = AnnlabProcess.Run(null, "plot", "activations", "--output", plots);
        Assert.True(code == 0, stderr);
        Assert.Equal($"wrote {plots.Replace("\u001b", "\\u001B", StringComparison.Ordinal)}/activations.png", stdout.Trim());
    }
}

using System.Diagnostics;
using System.Globalization;
using AnnLab.Training;

namespace AnnLab.Tests.Cli;

/// <summary><c>train --checkpoint-every</c> and <c>train --resume</c> (issue 11), as a user runs them.</summary>
public class CheckpointCommandLineTests
{
    private static readonly string[] AdamWCosineDropout = ["train", "--optimizer", "adamw", "--schedule", "cosine", "--dropout", "0.2", "--learning-rate", "0.01", "--max-epochs", "6", "--no-figures"];

    [Fact]
    public void A_run_resumed_from_its_epoch_4_checkpoint_writes_the_same_model_bytes_as_the_run_never_interrupted()
    {
        string work = TestPaths.NewTempDirectory();
        string whole = Path.Combine(work, "whole"), saving = Path.Combine(work, "saving"), resumed = Path.Combine(work, "resumed");
        Assert.Equal(0, AnnlabProcess.Run([.. AdamWCosineDropout, "--output", whole]).ExitCode);
        // Every 4 of 6 epochs: the checkpoint left is epoch 4's.
        Assert.Equal(0, AnnlabProcess.Run([.. AdamWCosineDropout, "--checkpoint-every", "4", "--output", saving]).ExitCode);
        Assert.True(File.Exists(Path.Combine(saving, "checkpoint.annlab-ckpt")));

        (int code, string output, string error) = AnnlabProcess.Run(null, "train", "--resume", saving, "--threads", "1", "--no-figures", "--output", resumed);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains($"resuming the run of {saving} after epoch 4 (from {Path.Combine(saving, "checkpoint.annlab-ckpt")}), in {resumed}", output, StringComparison.Ordinal);
        byte[] expected = File.ReadAllBytes(Path.Combine(whole, "model.annlab"));
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(saving, "model.annlab")));
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(resumed, "model.annlab")));
        Assert.Contains("\"epochs\": 6", File.ReadAllText(Path.Combine(resumed, "results.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cg_run_resumed_from_its_iteration_10_checkpoint_writes_the_same_model_bytes()
    {
        string work = TestPaths.NewTempDirectory();
        string[] cg = ["train", "--solver", "cg", "--max-iterations", "15", "--samples", "1000", "--no-figures"];
        Assert.Equal(0, AnnlabProcess.Run([.. cg, "--output", Path.Combine(work, "whole")]).ExitCode);
        Assert.Equal(0, AnnlabProcess.Run([.. cg, "--checkpoint-every", "10", "--output", Path.Combine(work, "saving")]).ExitCode);
        (int code, _, string error) = AnnlabProcess.Run(null, "train", "--resume", Path.Combine(work, "saving"), "--no-figures", "--output", Path.Combine(work, "resumed"));
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Equal(File.ReadAllBytes(Path.Combine(work, "whole", "model.annlab")), File.ReadAllBytes(Path.Combine(work, "resumed", "model.annlab")));
    }

    [Fact]
    public async Task Sigterm_during_training_leaves_a_checkpoint_and_one_line_naming_the_resume_command_and_resuming_finishes()
    {
        string work = TestPaths.NewTempDirectory();
        string run = Path.Combine(work, "run");
        using (Process p = AnnlabProcess.Start(work, "train", "--samples", "1000", "--max-epochs", "4000", "--no-figures", "--output", run))
        {
            Task<string> error = p.StandardError.ReadToEndAsync();
            string? line;
            while ((line = p.StandardOutput.ReadLine()) is not null && !line.StartsWith("epoch ", StringComparison.Ordinal))
            {
            }

            Assert.NotNull(line);
            using (Process kill = Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }

            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            string stderr = (await error).Trim();
            Assert.Equal(1, p.ExitCode);
            Assert.Matches($"^annlab: interrupted \\(SIGTERM\\) after epoch [0-9]+; checkpoint written to {System.Text.RegularExpressions.Regex.Escape(Path.Combine(run, "checkpoint.annlab-ckpt"))}; unfinished outputs kept in {System.Text.RegularExpressions.Regex.Escape(run)} \\(marked by .annlab-run\\); resume with: annlab train --resume {System.Text.RegularExpressions.Regex.Escape(run)}$", stderr);
        }

        Assert.True(File.Exists(Path.Combine(run, ".annlab-run")));
        (int code, string output, string resumeError) = AnnlabProcess.Run(work, "train", "--resume", run, "--no-figures");
        Assert.Equal("", resumeError);
        Assert.Equal(0, code);
        Assert.Contains("epoch 4000/4000", output, StringComparison.Ordinal);
        string resumed = Assert.Single(Directory.GetDirectories(Path.Combine(work, "runs")));
        Assert.True(File.Exists(Path.Combine(resumed, "model.annlab")));
    }

    [Fact]
    public void Resume_without_a_checkpoint_with_a_damaged_one_or_with_another_network_is_one_line()
    {
        string work = TestPaths.NewTempDirectory();
        string saving = Path.Combine(work, "saving");
        Assert.Equal(0, AnnlabProcess.Run(null, "train", "--samples", "500", "--max-epochs", "2", "--checkpoint-every", "1", "--no-figures", "--output", saving).ExitCode);

        string empty = TestPaths.NewTempDirectory();
        (int code, _, string error) = AnnlabProcess.Run(null, "train", "--resume", empty);
        Assert.Equal(2, code);
        Assert.Equal($"annlab: --resume: {empty} holds no checkpoint.annlab-ckpt; expected the folder of a run that wrote one (with --checkpoint-every N, or when interrupted by Ctrl-C or SIGTERM)", error.Trim());

        (code, _, error) = AnnlabProcess.Run(null, "train", "--resume", saving, "--hidden", "30");
        Assert.Equal(2, code);
        Assert.Equal($"annlab: --hidden: got 30, but the run in {saving} was started with 25; --resume goes on with the run's own options (only --threads, --checkpoint-every, --output, --json, --no-figures, --hidden-weights, --weight-scale and --data may be given)", error.Trim());

        (code, _, error) = AnnlabProcess.Run(null, "train", "--checkpoint-every", "0");
        Assert.Equal(2, code);
        Assert.Equal("annlab: --checkpoint-every: got 0, expected an integer in 1..1000000 (epochs for sgd, iterations for cg and lbfgs)", error.Trim());

        // A checkpoint of another network, and one of other images, put in a run folder.
        string path = Path.Combine(saving, "checkpoint.annlab-ckpt");
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
        string otherNetwork = Path.Combine(work, "other-network"), otherImages = Path.Combine(work, "other-images");
        (checkpoint with { Network = "784-30-10 sigmoid", Parameters = new float[23860] }).Save(Path.Combine(otherNetwork, "checkpoint.annlab-ckpt"));
        (checkpoint with { TrainingData = new string('0', 64) }).Save(Path.Combine(otherImages, "checkpoint.annlab-ckpt"));
        (code, _, error) = AnnlabProcess.Run(null, "train", "--resume", otherNetwork);
        Assert.Equal(1, code);
        Assert.Equal($"annlab: error: {Path.Combine(otherNetwork, "checkpoint.annlab-ckpt")}: the checkpoint is of a 784-30-10 sigmoid network (23860 parameters), not of this 784-25-10 sigmoid network (19885 parameters)", error.Trim());
        (code, _, error) = AnnlabProcess.Run(null, "train", "--resume", otherImages);
        Assert.Equal(1, code);
        Assert.StartsWith($"annlab: error: {Path.Combine(otherImages, "checkpoint.annlab-ckpt")}: the checkpoint was trained on another training set (400 images, SHA-256 000000000000...), not on this one (400 images, SHA-256 ", error.Trim(), StringComparison.Ordinal);

        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(path, bytes);
        (code, _, error) = AnnlabProcess.Run(null, "train", "--resume", saving);
        Assert.Equal(1, code);
        Assert.Equal($"annlab: error: {path}: the checkpoint is damaged (its SHA-256 checksum does not match its contents)", error.Trim());
    }
}

using System.Text;
using AnnLab.Network;
using AnnLab.Training;

namespace AnnLab.Tests.Cli;

/// <summary>
/// Messages under bad input: text from a file or the user reaches the terminal printable and cut,
/// every bad option value is one line naming the option as typed, and exit code 2.
/// </summary>
public class MessageTests
{
    private const string TitleEscape = "T\u001b]0;pwned\u0007shirt";

    private static readonly string Long = new('x', 300);

    [Fact]
    public void A_class_name_with_an_escape_sequence_is_printed_escaped()
    {
        string folder = TestPaths.NewTempDirectory();
        string path = Path.Combine(folder, "model.annlab");
        SaveModel(path, [TitleEscape, .. Enumerable.Range(1, 9).Select(i => $"class {i}")]);

        (int code, string stdout, string stderr) = AnnlabProcess.Run(folder, "evaluate", "--model", path, "--samples", "100");

        Assert.True(code == 0, stderr);
        Assert.DoesNotContain('\u001b', stdout + stderr);
        Assert.DoesNotContain('\u0007', stdout + stderr);
        Assert.Contains("T\\u001B]0;pwned\\u0007shirt", stdout);
    }

    [Fact]
    public void A_long_activation_name_with_newlines_is_one_cut_line()
    {
        string folder = TestPaths.NewTempDirectory();
        string path = Path.Combine(folder, "model.annlab");
        SaveModel(path, [.. Enumerable.Range(0, 10).Select(i => $"class {i}")]);
        // The hidden activation's name is the first length-prefixed "sigmoid"; make it 4,096 bytes (the reader's limit) with newlines.
        byte[] bytes = File.ReadAllBytes(path);
        byte[] old = [7, 0, 0, 0, .. "sigmoid"u8];
        int at = bytes.AsSpan().IndexOf(old);
        Assert.True(at > 0);
        byte[] name = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("bad\n", 1024)));
        File.WriteAllBytes(path, [.. bytes[..at], .. BitConverter.GetBytes(name.Length), .. name, .. bytes[(at + old.Length)..]]);

        (int code, _, string stderr) = AnnlabProcess.Run(folder, "evaluate", "--model", path, "--samples", "100");

        Assert.Equal(1, code);
        Assert.StartsWith("annlab: ", stderr);
        Assert.Equal(stderr.Length - 1, stderr.IndexOf('\n'));
        Assert.Contains("bad\\u000Abad", stderr);
        Assert.InRange(stderr.Length, 50, 1000);
    }

    [Theory]
    [InlineData("--hidden-sizes", "0", "--hidden-sizes: got 0, expected")]
    [InlineData("--hidden-sizes", "25,0", "--hidden-sizes: got 0, expected")]
    [InlineData("--hidden-sizes", ",", "--hidden-sizes: got '', expected")]
    [InlineData("--lambdas", "-1", "--lambdas: got -1, expected a finite number >= 0")]
    [InlineData("--lambdas", ",", "--lambdas: got '', expected")]
    [InlineData("--learning-rates", "0", "--learning-rates: got 0, expected a finite number > 0")]
    [InlineData("--learning-rates", "0.1,-2", "--learning-rates: got -2, expected a finite number > 0")]
    public void Sweep_names_the_list_option_the_user_typed(string option, string value, string message)
        => AssertOneLine(["sweep", option, value], message);

    [Theory]
    [InlineData("train", "--hidden", ",")]
    [InlineData("train", "--hidden", "25,,10")]
    [InlineData("train", "--hidden", "")]
    [InlineData("train", "--samples", "")]
    [InlineData("train", "--samples", "  ")]
    [InlineData("train", "--learning-rate", "")]
    [InlineData("train", "--activation", "")]
    [InlineData("train", "--preset", "")]
    [InlineData("sweep", "--lambdas", "0.1,")]
    [InlineData("sweep", "--parallel", "")]
    public void An_empty_value_or_item_reads_as_two_quotes(string command, string option, string value)
        => AssertOneLine([command, option, value], value.Trim().Length == 0 ? $"{option}: got '" : $"{option}: got '', expected");

    [Fact]
    public void A_preset_name_ignores_case_like_every_other_choice()
    {
        // Accepted: the run stops at the next bad option, not at the preset.
        AssertOneLine(["train", "--preset", "BEST", "--max-epochs", "0"], "--max-epochs: got 0, expected an integer >= 1");
        AssertOneLine(["train", "--activation", "ReLU", "--max-epochs", "0"], "--max-epochs: got 0, expected an integer >= 1");
        AssertOneLine(["train", "--preset", "bets"], "--preset: got bets, expected best");
    }

    [Fact]
    public void Threads_are_capped_at_four_per_core_and_at_least_64()
    {
        Assert.Equal(Math.Max(64, 4 * Environment.ProcessorCount), TrainingOptionTable.MaxThreads);
        string allowed = $"expected an integer in 1..{TrainingOptionTable.MaxThreads}";
        AssertOneLine(["train", "--threads", "1024"], $"--threads: got 1024, {allowed}");
        AssertOneLine(["train", "--threads", (TrainingOptionTable.MaxThreads + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)], "--threads: got ");
        AssertOneLine(["bench", "--threads", "1024"], $"--threads: got 1024, {allowed}");
    }

    [Theory]
    [InlineData("train")]
    [InlineData("sweep")]
    public void Samples_with_the_official_split_is_refused_naming_both(string command)
        => AssertOneLine([command, "--split", "official", "--samples", "10"], "--samples: applies to --split lab or stratified only (official uses the data set's whole training part), got --split official");

    public static TheoryData<string, string, string> BadValues()
    {
        var data = new TheoryData<string, string, string>();
        (string Command, string Option)[] options =
        [
            ("train", "--learning-rate"), ("train", "--lambda"), ("train", "--max-epochs"), ("train", "--batch-size"), ("train", "--dropout"),
            ("train", "--train-fraction"), ("train", "--samples"), ("train", "--threads"), ("train", "--activation"), ("train", "--solver"),
            ("train", "--split"), ("train", "--seed"), ("sweep", "--parallel"), ("sweep", "--hidden-sizes"), ("sweep", "--lambdas"),
            ("compare", "--samples"), ("bench", "--threads"), ("data", "--samples"), ("evaluate", "--lambda"),
        ];
        string[] values = ["", " ", "NaN", "Infinity", "1e400", "-1e400", Long, "a\u001bb"];
        foreach ((string command, string option) in options)
        {
            foreach (string value in values)
            {
                data.Add(command, option, value);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Every_bad_value_is_one_line_naming_the_option_as_typed(string command, string option, string value)
    {
        string[] args = command == "evaluate" ? [command, "--model", "none.annlab", option, value] : [command, option, value];
        (int code, _, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), args);

        Assert.True(code == 2, $"exit {code}: {stderr}");
        Assert.StartsWith($"annlab: {option}: got ", stderr);
        Assert.Equal(stderr.Length - 1, stderr.IndexOf('\n'));
        Assert.DoesNotContain('\u001b', stderr);
        Assert.InRange(stderr.Length, 20, 1000);
    }

    private static void AssertOneLine(string[] args, string message)
    {
        (int code, _, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), args);
        Assert.True(code == 2, $"exit {code}: {stderr}");
        Assert.StartsWith($"annlab: {message}", stderr);
        Assert.Equal(stderr.Length - 1, stderr.IndexOf('\n'));
    }

    private static void SaveModel(string path, string[] classNames)
    {
        var network = new NeuralNetwork([784, 2, 10], new Sigmoid());
        ModelFile.Save(new Model(network, new float[network.ParameterCount], classNames), path);
    }
}

using System.Text.RegularExpressions;
using SkiaSharp;

namespace AnnLab.Tests.Cli;

/// <summary>
/// Issue 13 at the command line: explain on a network with two hidden layers, hidden-weights.png for more than 100
/// units (--hidden-weights, --weight-scale), and the one caption "index: true -> predicted".
/// </summary>
public class FigureOptionsCommandLineTests
{
    private static (int ExitCode, string Output, string Error) Annlab(params string[] args) => AnnlabProcess.Run(args);

    private static string Train(string work, params string[] more)
    {
        string run = Path.Combine(work, "run");
        (int code, _, string stderr) = Annlab(["train", "--data", TestPaths.DataDirectory, "--samples", "300", "--max-epochs", "1", "--output", run, .. more]);
        Assert.True(code == 0, stderr);
        return run;
    }

    [Fact]
    public void Train_and_explain_a_120_6_network()
    {
        string work = TestPaths.NewTempDirectory();
        string run = Train(work, "--hidden", "120,6");

        // 120 units: one figure of the 100 most important, no pages.
        Assert.True(File.Exists(Path.Combine(run, "hidden-weights.png")));
        Assert.False(File.Exists(Path.Combine(run, "hidden-weights-1.png")));
        using (SKBitmap weights = SKBitmap.Decode(Path.Combine(run, "hidden-weights.png")))
        {
            Assert.Equal(946, weights.Height); // 10 rows of 56 + 18 px, 9 gaps of 10, 32 px margins, an 84 px title band with the note
        }

        string report = File.ReadAllText(Path.Combine(run, "report.html"));
        Assert.Contains("The 100 most important hidden units&#39; (L2 norm of incoming x of outgoing weights) incoming weights", report.Replace("&#x27;", "&#39;", StringComparison.Ordinal));
        Assert.Contains("each titled index: true -&gt; predicted", report);

        string pictures = Path.Combine(work, "pictures");
        (int code, string stdout, string stderr) = Annlab("explain", "--model", Path.Combine(run, "model.annlab"), "--index", "250", "--output", pictures);
        Assert.True(code == 0, stderr);
        Assert.Contains("weight layers: input -> hidden 1 (784 x 120), hidden 1 -> hidden 2 (120 x 6), hidden 2 -> output (6 x 10)", stdout);
        Assert.Matches(@"hidden 1 unit: z, a, on \(a >= 0\.5\); \d+ of 120 on", stdout);
        Match second = Regex.Match(stdout, @"hidden 2 unit: z, a, on \(a >= 0\.5\); (\d) of 6 on\n((?:  +\d+: z .*\n)+)");
        Assert.True(second.Success, stdout);
        string[] units = second.Groups[2].Value.TrimEnd('\n').Split('\n');
        Assert.Equal(6, units.Length);
        Assert.Equal(int.Parse(second.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), units.Count(u => u.EndsWith(" on", StringComparison.Ordinal)));
        Assert.Matches(@"image 250: [A-Za-z/ -]+ -> [A-Za-z/ -]+ \(index: true -> predicted; classes \d -> \d, (right|misclassified)\)", stdout);
        using SKBitmap figure = SKBitmap.Decode(Path.Combine(pictures, "explain-250.png"));
        Assert.Equal(1480, figure.Width);
        Assert.Equal(1714, figure.Height); // the lab's 1360 and one row of 354 px for hidden layer 2
    }

    [Fact]
    public void Hidden_weights_all_with_a_per_unit_scale_writes_pages()
    {
        string run = Train(TestPaths.NewTempDirectory(), "--hidden", "120", "--hidden-weights", "all", "--weight-scale", "per-unit");
        Assert.True(File.Exists(Path.Combine(run, "hidden-weights-1.png")));
        Assert.True(File.Exists(Path.Combine(run, "hidden-weights-2.png")));
        Assert.False(File.Exists(Path.Combine(run, "hidden-weights-3.png")));
        Assert.False(File.Exists(Path.Combine(run, "hidden-weights.png")));
        using SKBitmap second = SKBitmap.Decode(Path.Combine(run, "hidden-weights-2.png"));
        Assert.Equal(894, second.Width); // units 100-119: 5 x 4 images of 28 x 5 = 140 px, 10 px apart, 32 px margins and the 122 px colour bar strip
    }

    [Theory]
    [InlineData("--hidden-weights", "most", "annlab: --hidden-weights: got most, expected top or all")]
    [InlineData("--weight-scale", "unit", "annlab: --weight-scale: got unit, expected shared or per-unit")]
    public void A_bad_figure_option_is_one_line_and_exit_code_2_before_training(string option, string value, string line)
    {
        string work = TestPaths.NewTempDirectory();
        string run = Path.Combine(work, "run");
        (int code, string stdout, string stderr) = Annlab("train", "--data", TestPaths.DataDirectory, "--samples", "300", "--max-epochs", "1", "--output", run, option, value);
        Assert.Equal(2, code);
        Assert.Equal(line, stderr.Trim());
        Assert.DoesNotContain("epoch", stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(run));
    }
}

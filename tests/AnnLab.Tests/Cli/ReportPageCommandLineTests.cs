using System.Text.Json;
using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Tests.Plots;
using Microsoft.Playwright;

namespace AnnLab.Tests.Cli;

/// <summary>
/// The report.html that the real <c>annlab train</c> and <c>annlab evaluate</c> write, opened in
/// Chromium: its live view gives, for a validation image, the prediction of the model file the
/// same run wrote, read back by <see cref="ModelFile.Load"/>.
/// </summary>
public class ReportPageCommandLineTests(Browser browser) : IClassFixture<Browser>
{
    // Image k of the data set is image k of the first 300 (the lab split's validation images are 240..299).
    private static readonly ImageSet Fashion = FashionMnist.Open(TestPaths.DataDirectory).Load(300).Images;

    private static async Task CheckPickedImageAsync(IPage page, Model model, int position)
    {
        JsonElement state = await page.EvaluateAsync<JsonElement>("i => { window.annlab.pick(i); return window.annlab.current(); }", position);
        byte[] pixels = [.. state.GetProperty("pixels").EnumerateArray().Select(v => (byte)v.GetInt32())];
        string source = state.GetProperty("source").GetString()!;

        // "validation image 7 of 60, index 247 in the data set: ..."
        int index = int.Parse(source.Split(", index ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Fashion.Image(index).ToArray(), pixels);
        float[] h = model.PredictProbabilities(pixels);
        double[] scores = [.. state.GetProperty("scores").EnumerateArray().Select(v => v.GetDouble())];
        Assert.Equal(h.Length, scores.Length);
        Assert.All(Enumerable.Range(0, h.Length), k => Assert.True(Math.Abs(h[k] - scores[k]) <= 1e-5, $"class {k}: page {scores[k]}, model file {h[k]}"));
        Assert.Equal(model.Predict(pixels), state.GetProperty("predicted").GetInt32());
    }

    [Fact]
    public async Task Train_and_evaluate_write_a_live_report_that_predicts_as_the_model_file()
    {
        string folder = Path.Combine(TestPaths.NewTempDirectory(), "run");
        string[] args = ["train", "--samples", "300", "--max-epochs", "3", "--hidden", "12,8", "--activation", "relu", "--output", folder];
        (int code, _, string stderr) = AnnlabProcess.Run(args);
        Assert.True(code == 0, stderr);
        Model model = ModelFile.Load(Path.Combine(folder, "model.annlab"));

        OpenPage open = await browser.OpenAsync(Path.Combine(folder, "report.html"));
        IPage page = open.Page;
        Assert.Equal("annlab " + string.Join(" ", args), await page.TextContentAsync("#command-line"));
        string date = (await page.TextContentAsync("#run-date"))!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", date);
        IReadOnlyList<string> headings = await page.Locator("h2").AllTextContentsAsync();
        Assert.Contains("Confusion matrix (validation, 60 images)", headings);
        Assert.Contains("Per class (validation, 60 images)", headings);
        string settings = (await page.TextContentAsync("body"))!;
        Assert.Contains("optimizersgd", settings);
        Assert.Contains("layer_sizes784,12,8,10", settings);
        Assert.Equal(2, (await page.EvaluateAsync<JsonElement>("() => window.annlab.current().hidden.map(h => h.length)")).GetArrayLength());

        // Every key of results.json's configuration is a row of the page's settings table, with its value.
        using JsonDocument recorded = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        JsonElement configuration = recorded.RootElement.GetProperty("configuration");
        string[] rows = await page.EvaluateAsync<string[]>(
            "() => Array.from([...document.querySelectorAll('h2')].find(h => h.textContent.startsWith('Every setting')).nextElementSibling.rows, r => r.cells[0].textContent + '=' + r.cells[1].textContent)");
        foreach (JsonProperty key in configuration.EnumerateObject().Where(p => p.Value.ValueKind is not JsonValueKind.Object and not JsonValueKind.Array))
        {
            string value = key.Value.ValueKind switch { JsonValueKind.String => key.Value.GetString()!, JsonValueKind.Null => "none", _ => key.Value.GetRawText() };
            Assert.Contains($"{key.Name}={value}", rows);
        }

        Assert.Contains("momentum=" + configuration.GetProperty("momentum").GetRawText(), rows);
        Assert.Contains("weight_decay=" + configuration.GetProperty("weight_decay").GetRawText(), rows);
        Assert.Contains(rows, r => r.StartsWith("data_request.", StringComparison.Ordinal));
        await CheckPickedImageAsync(page, model, 0);
        await CheckPickedImageAsync(page, model, 59);
        Assert.Empty(open.Problems);
        await page.CloseAsync();

        string evaluated = Path.Combine(Path.GetDirectoryName(folder)!, "evaluated");
        (code, _, stderr) = AnnlabProcess.Run(null, "evaluate", "--model", Path.Combine(folder, "model.annlab"), "--output", evaluated);
        Assert.True(code == 0, stderr);
        open = await browser.OpenAsync(Path.Combine(evaluated, "report.html"));
        Assert.Contains("Confusion matrix (validation, 60 images)", await open.Page.Locator("h2").AllTextContentsAsync());
        Assert.Contains("layer_sizes784,12,8,10", (await open.Page.TextContentAsync("body"))!);
        await CheckPickedImageAsync(open.Page, model, 31);
        Assert.Empty(open.Problems);
        await open.Page.CloseAsync();
    }

    [Theory]
    [InlineData("--hidden", "--hidden")]
    [InlineData("512,256", "512,256")]
    [InlineData("/tmp/runs/a_b-1.5", "/tmp/runs/a_b-1.5")]
    [InlineData("my runs", "'my runs'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("", "''")]
    [InlineData("$HOME", "'$HOME'")]
    public void The_command_line_quotes_each_argument_as_a_shell_reads_it_back(string argument, string quoted)
    {
        Assert.Equal(quoted, AnnLab.Cli.Program.ShellQuoted(argument));
    }
}

using System.Diagnostics;
using AnnLab.Metrics;
using AnnLab.Plots;

namespace AnnLab.Tests.Plots;

/// <summary>report.html opened in headless Chromium (Debian package chromium; .ci/run installs it).</summary>
public class ReportTests
{
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private static string Chromium => Browser.Find(Browser.Candidates);

    private static string RunChromium(string profile, params string[] args)
    {
        var start = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in Flags.Concat([$"--user-data-dir={profile}", "--virtual-time-budget=5000"]).Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish in 90 s");
        }

        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {error.Result}");
        return output.Result;
    }

    [Fact]
    public void Report_opens_from_disk_with_every_image_loaded()
    {
        string folder = TestPaths.NewTempDirectory();
        string a = Path.Combine(folder, "a.png");
        string b = Path.Combine(folder, "b.png");
        Figures.Activations(a, AnnLab.Network.Activations.Available);
        Figures.ConfusionMatrix(b, new int[,] { { 5, 1 }, { 2, 7 } }, ["left", "right"], "test");
        var report = ClassificationReport.Create([0, 0, 1, 1], [0, 1, 1, 1], ["left", "right"]);
        string html = Path.Combine(folder, "report.html");
        Report.Write(html, new ReportContent("test run", [new("seed", "1")], [new("validation accuracy", "75.00 %")], report, [new(a, "activations"), new(b, "confusion")]));

        string text = File.ReadAllText(html);
        Assert.DoesNotContain("src=\"a.png\"", text);
        Assert.Equal(2, text.Split("data:image/png;base64,").Length - 1);

        string dom = RunChromium(Path.Combine(folder, "profile1"), "--dump-dom", new Uri(html).AbsoluteUri);
        Assert.Contains("all 2 images loaded", dom);
        Assert.Contains("75.00 %", dom);

        string screenshot = Path.Combine(folder, "shot.png");
        RunChromium(Path.Combine(folder, "profile2"), $"--screenshot={screenshot}", "--window-size=1200,2000", new Uri(html).AbsoluteUri);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot should show a page with figures");
    }

    [Fact]
    public void A_missing_figure_is_an_error_and_nothing_is_written()
    {
        string folder = TestPaths.NewTempDirectory();
        string html = Path.Combine(folder, "report.html");
        Assert.Throws<FileNotFoundException>(() => Report.Write(html, new ReportContent("t", [], [], null, [new(Path.Combine(folder, "none.png"), "x")])));
        Assert.False(File.Exists(html));
    }
}

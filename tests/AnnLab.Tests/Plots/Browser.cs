using Microsoft.Playwright;

namespace AnnLab.Tests.Plots;

/// <summary>
/// Headless Chromium driven by Microsoft.Playwright: the system's browser (Debian's package
/// chromium), never one Playwright downloads; the Playwright driver ships in the NuGet package and
/// runs offline. One browser for every test of a class (<see cref="IClassFixture{TFixture}"/>).
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    /// <summary>Where the tests look for Chromium, in order.</summary>
    public static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>The first of <paramref name="candidates"/> that exists.</summary>
    /// <exception cref="FileNotFoundException">None exists: one line that says how to install it and where the tests looked.</exception>
    public static string Find(IReadOnlyList<string> candidates) =>
        candidates.FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException($"report.html's tests need Chromium: apt-get install chromium (Debian; .ci/run installs it); looked for {string.Join(", ", candidates)}");

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        string chromium = Find(Candidates);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
    }

    /// <summary>
    /// Opens <paramref name="htmlPath"/> from disk in a new page, recording every console error,
    /// uncaught exception and request that is not for the file itself or a data: URI.
    /// </summary>
    public async Task<OpenPage> OpenAsync(string htmlPath)
    {
        IPage page = await browser!.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 1400 } });
        var problems = new List<string>();
        string self = new Uri(htmlPath).AbsoluteUri;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add($"console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        page.Request += (_, request) =>
        {
            if (request.Url != self && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                problems.Add($"request: {request.Url}");
            }
        };
        await page.GotoAsync(self);
        return new OpenPage(page, problems);
    }
}

/// <summary>A page opened by <see cref="Browser.OpenAsync"/> and what went wrong in it.</summary>
/// <param name="Page">The page.</param>
/// <param name="Problems">Console errors, page errors and requests other than the page itself and data: URIs.</param>
public sealed record OpenPage(IPage Page, List<string> Problems);

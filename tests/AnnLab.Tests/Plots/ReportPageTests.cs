using System.Globalization;
using System.Text.Json;
using AnnLab.Data;
using AnnLab.Metrics;
using AnnLab.Network;
using AnnLab.Plots;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AnnLab.Tests.Plots;

/// <summary>
/// report.html's live view in real Chromium (<see cref="Browser"/>): a stroke drawn with the mouse,
/// a picked image and a confusion-matrix cell, each checked against the library's forward pass
/// (<see cref="ModelPredictions"/>) on the same pixels.
/// </summary>
public class ReportPageTests(Browser browser, ITestOutputHelper output) : IClassFixture<Browser>
{
    private const int Images = 60;

    // Probabilities (and scores) from the page and from AnnLab agree to this, absolutely.
    private const double Tolerance = 1e-5;

    private static readonly ImageSet FashionImages = FashionMnist.Open(TestPaths.DataDirectory).Load(Images).Images;

    /// <summary>The page's state: window.annlab.current().</summary>
    private sealed record State(byte[] Pixels, double[][] Hidden, double[] Scores, int Predicted, string Source);

    /// <summary>A model with weights drawn from [-epsilon, epsilon] (seeded): its predictions vary from image to image, which is all these tests need.</summary>
    private static Model RandomModel(int[] sizes, string activation, OutputLayer output, double epsilon, int seed, int[]? shape = null)
    {
        var network = new NeuralNetwork(sizes, Activations.Get(activation), output, shape ?? [28, 28]);
        var parameters = new float[network.ParameterCount];
        network.Initialize<float>(parameters, epsilon, seed);
        return new Model(network, parameters, [.. Enumerable.Range(0, 10).Select(k => $"class {k}")]);
    }

    // The first 60 Fashion-MNIST images with data set indices 1000.. (so that an index is not a position) and the model's predictions.
    private static (string Html, int[] Indices, byte[] Predictions) WritePage(Model model, ImageSet? set = null)
    {
        ImageSet images = set ?? FashionImages;
        int[] indices = [.. Enumerable.Range(1000, images.Count)];
        byte[] predictions = [.. model.Predict(images.Pixels.Span, images.Count).Select(p => (byte)p)];
        var report = ClassificationReport.Create(images.Labels.Span, predictions, model.ClassNames);
        string html = Path.Combine(TestPaths.NewTempDirectory(), "report.html");
        Report.Write(html, new ReportContent(
            "test run", [new("seed", "1")], [new("validation accuracy", "10.00 %")], report, [],
            "annlab train --seed 1", new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.FromHours(2)), [new("optimizer", "adamw"), new("momentum", "0.9")],
            "validation", new ReportLiveView(model, images, indices, predictions)));
        return (html, indices, predictions);
    }

    private static async Task<State> CurrentAsync(IPage page) => Parse(await page.EvaluateAsync<JsonElement>("() => window.annlab.current()"));

    private static State Parse(JsonElement e) => new(
        [.. e.GetProperty("pixels").EnumerateArray().Select(v => (byte)v.GetInt32())],
        [.. e.GetProperty("hidden").EnumerateArray().Select(l => l.EnumerateArray().Select(v => v.GetDouble()).ToArray())],
        [.. e.GetProperty("scores").EnumerateArray().Select(v => v.GetDouble())],
        e.GetProperty("predicted").GetInt32(),
        e.GetProperty("source").GetString()!);

    // Each hidden layer's activations in double, straight from the layer list (an implementation independent of the library's engine).
    private static List<double[]> HiddenActivations(Model model, byte[] pixels)
    {
        double[] a = [.. pixels.Select(p => (double)(p / 255f))];
        var hidden = new List<double[]>();
        int layer = 0;
        foreach (LayerSpec spec in model.Network.Layers)
        {
            if (spec is DenseSpec dense)
            {
                if (layer > 0)
                {
                    hidden.Add(a);
                }

                ReadOnlySpan<float> w = model.Network.Weights<float>(model.Parameters, layer);
                ReadOnlySpan<float> b = model.Network.Biases<float>(model.Parameters, layer);
                var z = new double[dense.Units];
                for (int j = 0; j < z.Length; j++)
                {
                    z[j] = b[j];
                    for (int p = 0; p < a.Length; p++)
                    {
                        z[j] += w[(j * a.Length) + p] * a[p];
                    }
                }

                a = z;
                layer++;
            }
            else if (spec is ActivationSpec g)
            {
                a = [.. a.Select(g.Function.Value)];
            }
        }

        return hidden;
    }

    // The page's outputs for its pixels are the library's: h to 1e-5, the same class, every hidden activation to 1e-5 (relative above 1).
    private static void AssertSameAsLibrary(Model model, State state)
    {
        Assert.Equal(model.Network.InputSize, state.Pixels.Length);
        float[] h = model.PredictProbabilities(state.Pixels);
        Assert.Equal(h.Length, state.Scores.Length);
        for (int k = 0; k < h.Length; k++)
        {
            Assert.True(Math.Abs(h[k] - state.Scores[k]) <= Tolerance, $"class {k}: the page's h {state.Scores[k]:R}, AnnLab's {h[k]:R}");
        }

        Assert.Equal(model.Predict(state.Pixels), state.Predicted);
        List<double[]> hidden = HiddenActivations(model, state.Pixels);
        Assert.Equal(hidden.Count, state.Hidden.Length);
        for (int l = 0; l < hidden.Count; l++)
        {
            Assert.Equal(hidden[l].Length, state.Hidden[l].Length);
            for (int j = 0; j < hidden[l].Length; j++)
            {
                Assert.True(Math.Abs(hidden[l][j] - state.Hidden[l][j]) <= Tolerance * Math.Max(1, Math.Abs(hidden[l][j])), $"hidden layer {l + 1}, unit {j}: the page's a {state.Hidden[l][j]:R}, the reference's {hidden[l][j]:R}");
            }
        }
    }

    public static TheoryData<string, string> Networks => new()
    {
        { "lab", "784-25-10 sigmoid, sigmoid outputs" },
        { "deep", "784-40-20-10 relu, softmax" },
    };

    private static Model NetworkFor(string name) => name == "lab"
        ? RandomModel([784, 25, 10], "sigmoid", OutputLayers.Sigmoid, 0.3, 1)
        : RandomModel([784, 40, 20, 10], "relu", OutputLayers.Softmax, 0.15, 2);

    [Theory]
    [MemberData(nameof(Networks))]
    public async Task A_stroke_drawn_with_the_mouse_gives_the_library_outputs_for_its_pixels(string name, string description)
    {
        Model model = NetworkFor(name);
        (string html, _, _) = WritePage(model);
        OpenPage open = await browser.OpenAsync(html);
        IPage page = open.Page;
        await page.ClickAsync("#clear");
        LocatorBoundingBoxResult box = (await page.Locator("#draw").BoundingBoxAsync())!;

        // A stroke like a trouser leg and a crossbar: down, then across.
        float X(double f) => (float)(box.X + (f * box.Width));
        float Y(double f) => (float)(box.Y + (f * box.Height));
        await page.Mouse.MoveAsync(X(0.35), Y(0.15));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(X(0.40), Y(0.85), new() { Steps = 12 });
        await page.Mouse.MoveAsync(X(0.65), Y(0.50), new() { Steps = 8 });
        await page.Mouse.UpAsync();

        State state = await CurrentAsync(page);
        Assert.Equal("drawn on the canvas", state.Source);
        int inked = state.Pixels.Count(p => p > 0);
        Assert.True(inked is > 40 and < 400, $"{description}: the stroke inked {inked} of 784 pixels");
        Assert.Contains(state.Pixels, p => p == 255);
        Assert.Contains(state.Pixels, p => p is > 0 and < 255); // the brush is soft
        AssertSameAsLibrary(model, state);
        Assert.Equal($"predicted: {state.Predicted} class {state.Predicted} (h = {state.Scores[state.Predicted].ToString("F5", CultureInfo.InvariantCulture)})", await page.TextContentAsync("#predicted"));
        Assert.Empty(open.Problems);
        await page.CloseAsync();
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public async Task A_picked_image_has_its_pixels_and_the_library_prediction(string name, string description)
    {
        Model model = NetworkFor(name);
        (string html, int[] indices, byte[] predictions) = WritePage(model);
        OpenPage open = await browser.OpenAsync(html);
        IPage page = open.Page;
        double ms = await page.EvaluateAsync<double>("() => window.annlab.firstPredictionMs");
        output.WriteLine($"{description}: first prediction {ms:F0} ms after navigation");

        await page.FillAsync("#pick-index", "37");
        await page.ClickAsync("#pick");
        State state = await CurrentAsync(page);
        Assert.Equal(FashionImages.Image(37).ToArray(), state.Pixels);
        Assert.Equal(predictions[37], state.Predicted);
        Assert.StartsWith($"validation image 37 of {Images}, index {indices[37]} in the data set: true {FashionImages.Labels.Span[37]} ", state.Source);
        AssertSameAsLibrary(model, state);

        await page.ClickAsync("#next");
        state = await CurrentAsync(page);
        Assert.Equal(FashionImages.Image(38).ToArray(), state.Pixels);
        AssertSameAsLibrary(model, state);
        Assert.Empty(open.Problems);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_confusion_cell_lists_exactly_its_images_and_one_click_loads_one()
    {
        Model model = NetworkFor("lab");
        (string html, int[] indices, byte[] predictions) = WritePage(model);
        ReadOnlySpan<byte> labels = FashionImages.Labels.Span;

        // The off-diagonal cell with the most images.
        var cells = new Dictionary<(int T, int P), List<int>>();
        for (int i = 0; i < Images; i++)
        {
            (int, int) key = (labels[i], predictions[i]);
            cells.TryAdd(key, []);
            cells[key].Add(i);
        }

        ((int t, int p), List<int> members) = cells.Where(c => c.Key.T != c.Key.P).MaxBy(c => c.Value.Count);
        Assert.True(members.Count >= 2, "the random model should confuse some class with another at least twice");

        OpenPage open = await browser.OpenAsync(html);
        IPage page = open.Page;
        ILocator cell = page.Locator($"#confusion td[data-true=\"{t}\"][data-predicted=\"{p}\"]");
        Assert.Equal(members.Count.ToString(CultureInfo.InvariantCulture), await cell.TextContentAsync());
        await cell.ClickAsync();
        IReadOnlyList<string> captions = await page.Locator("#cell-images figcaption").AllTextContentsAsync();
        Assert.Equal([.. members.Select(i => $"{indices[i]}: class {t} -> class {p}")], captions);

        await page.Locator("#cell-images figure").Nth(1).ClickAsync();
        State state = await CurrentAsync(page);
        Assert.Equal(FashionImages.Image(members[1]).ToArray(), state.Pixels);
        Assert.Equal(p, state.Predicted);
        AssertSameAsLibrary(model, state);

        // An empty cell lists nothing.
        (int et, int ep) = Enumerable.Range(0, 100).Select(c => (c / 10, c % 10)).First(c => !cells.ContainsKey(c));
        await page.Locator($"#confusion td[data-true=\"{et}\"][data-predicted=\"{ep}\"]").ClickAsync();
        Assert.Equal(0, await page.Locator("#cell-images figure").CountAsync());
        Assert.StartsWith($"0 embedded validation images of true class {et} class {et} predicted {ep} class {ep}", await page.TextContentAsync("#cell-heading"));
        Assert.Empty(open.Problems);
        await page.CloseAsync();
    }

    public static TheoryData<string> ActivationNames => [.. Activations.Names];

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public async Task Every_activation_computes_as_the_library(string activation)
    {
        // Wide weights, so that z reaches well into each activation's negative and saturating ranges.
        Model model = RandomModel([784, 16, 10], activation, activation.Length % 2 == 0 ? OutputLayers.Softmax : OutputLayers.Sigmoid, 0.25, 3);
        (string html, _, _) = WritePage(model);
        OpenPage open = await browser.OpenAsync(html);
        JsonElement all = await open.Page.EvaluateAsync<JsonElement>("n => Array.from({ length: n }, (_, i) => { window.annlab.pick(i); return window.annlab.current(); })", 20);
        int i = 0;
        foreach (JsonElement e in all.EnumerateArray())
        {
            State state = Parse(e);
            Assert.Equal(FashionImages.Image(i++).ToArray(), state.Pixels);
            AssertSameAsLibrary(model, state);
        }

        Assert.Equal(20, i);
        Assert.Empty(open.Problems);
        await open.Page.CloseAsync();
    }

    [Fact]
    public async Task The_header_shows_the_command_line_the_utc_date_every_setting_and_each_tables_part()
    {
        (string html, _, _) = WritePage(NetworkFor("lab"));
        OpenPage open = await browser.OpenAsync(html);
        IPage page = open.Page;
        Assert.Equal("annlab train --seed 1", await page.TextContentAsync("#command-line"));
        Assert.Equal("2026-12-03T08:00:00Z", await page.TextContentAsync("#run-date"));
        IReadOnlyList<string> headings = await page.Locator("h2").AllTextContentsAsync();
        Assert.Contains($"Confusion matrix (validation, {Images} images)", headings);
        Assert.Contains($"Per class (validation, {Images} images)", headings);
        Assert.Contains("Every setting (results.json's configuration)", headings);
        string body = (await page.TextContentAsync("body"))!;
        Assert.Contains("momentum0.9", body.Replace("\n", "", StringComparison.Ordinal));
        Assert.Contains($"The page holds all {Images} validation images.", body.ReplaceLineEndings(" "));
        Assert.Equal(100, await page.Locator("#confusion td[data-true]").CountAsync());
        Assert.Empty(open.Problems);
        await page.CloseAsync();
    }

    [Fact]
    public async Task An_activation_the_page_lacks_turns_the_live_view_off_and_says_which()
    {
        (string html, _, _) = WritePage(NetworkFor("lab"));
        string text = File.ReadAllText(html);
        Assert.Contains("\"function\":\"sigmoid\"", text);
        File.WriteAllText(html, text.Replace("\"function\":\"sigmoid\"", "\"function\":\"mish\"", StringComparison.Ordinal));
        OpenPage open = await browser.OpenAsync(html);
        Assert.Equal("The live view is off: this page has no JavaScript for mish; the tables and figures below are AnnLab's own.", await open.Page.TextContentAsync("#live-status"));
        Assert.False(await open.Page.Locator("#live").IsVisibleAsync());
        Assert.Empty(open.Problems);
        await open.Page.CloseAsync();
    }

    [Fact]
    public async Task Images_of_another_size_are_drawn_and_picked_at_their_size()
    {
        // 30 images of 20 rows x 16 columns: random bytes, seeded.
        var random = new Random(5);
        var pixels = new byte[30 * 320];
        random.NextBytes(pixels);
        byte[] labels = [.. Enumerable.Range(0, 30).Select(i => (byte)(i % 10))];
        var images = new ImageSet(pixels, labels, 320, 20, 16);
        Model model = RandomModel([320, 9, 10], "tanh", OutputLayers.Softmax, 0.1, 4, [20, 16]);
        (string html, _, _) = WritePage(model, images);
        OpenPage open = await browser.OpenAsync(html);
        IPage page = open.Page;
        Assert.Equal("192,240", await page.EvaluateAsync<string>("() => { const c = document.getElementById('draw'); return c.width + ',' + c.height; }"));

        State state = await CurrentAsync(page);
        Assert.Equal(images.Image(0).ToArray(), state.Pixels);
        AssertSameAsLibrary(model, state);
        Assert.Equal(9, state.Hidden[0].Length);
        Assert.Equal(9, await page.EvaluateAsync<int>("() => { const c = document.querySelector('#hidden-layers canvas'); return (c.width / c.dataset.cell) * (c.height / c.dataset.cell); }")); // a 3 x 3 grid

        LocatorBoundingBoxResult box = (await page.Locator("#draw").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync((float)(box.X + (0.2 * box.Width)), (float)(box.Y + (0.5 * box.Height)));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)(box.X + (0.8 * box.Width)), (float)(box.Y + (0.5 * box.Height)), new() { Steps = 10 });
        await page.Mouse.UpAsync();
        state = await CurrentAsync(page);
        Assert.Equal(320, state.Pixels.Length);
        Assert.True(state.Pixels.Count(p => p > 0) is > 10 and < 200, "the stroke should ink the middle rows of a cleared canvas");
        AssertSameAsLibrary(model, state);
        Assert.Empty(open.Problems);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_part_larger_than_8_MB_is_cut_and_the_page_says_so()
    {
        // 900 images of 100 x 100 pixels: 9 MB, of which the page holds the first 800 (8,000,000 bytes).
        var random = new Random(6);
        var pixels = new byte[900 * 10_000];
        random.NextBytes(pixels);
        byte[] labels = [.. Enumerable.Range(0, 900).Select(i => (byte)(i % 10))];
        var images = new ImageSet(pixels, labels, 10_000, 100, 100);
        Model model = RandomModel([10_000, 4, 10], "sigmoid", OutputLayers.Sigmoid, 0.05, 7, [100, 100]);
        (string html, int[] indices, byte[] predictions) = WritePage(model, images);
        OpenPage open = await browser.OpenAsync(html);
        IPage page = open.Page;
        Assert.Contains("The page holds the first 800 of the 900 validation images (at most 10,000 images and 8 MB); the confusion matrix counts all of them, a cell lists the embedded ones.", (await page.TextContentAsync("body"))!.ReplaceLineEndings(" "));
        State state = Parse(await page.EvaluateAsync<JsonElement>("() => { window.annlab.pick(799); return window.annlab.current(); }"));
        Assert.Equal(images.Image(799).ToArray(), state.Pixels);
        AssertSameAsLibrary(model, state);
        await page.EvaluateAsync("() => window.annlab.pick(800)");
        Assert.Equal("no embedded image 800: pick 0..799", await page.TextContentAsync("#source"));

        // A cell lists its embedded images only: those among the first 800.
        int t = labels[0], p = predictions[0];
        string[] listed = await page.EvaluateAsync<string[]>($"() => window.annlab.listCell({t}, {p}).map(String)");
        Assert.Equal([.. Enumerable.Range(0, 800).Where(i => labels[i] == t && predictions[i] == p).Select(i => indices[i].ToString(CultureInfo.InvariantCulture))], listed);
        Assert.Empty(open.Problems);
        await page.CloseAsync();
    }

    [Fact]
    public void The_page_embeds_at_most_10000_images_and_8_MB_of_pixels()
    {
        Assert.Equal(1000, Report.EmbeddedImages(1000, 784));
        Assert.Equal(10_000, Report.EmbeddedImages(60_000, 784));
        Assert.Equal(2604, Report.EmbeddedImages(60_000, 3072)); // 8,000,000 / (32 x 32 x 3)
    }

    [Fact]
    public void Without_chromium_the_message_says_how_to_install_it_and_where_it_looked()
    {
        string[] nowhere = ["/nonexistent/chromium", "/nonexistent/chrome"];
        var e = Assert.Throws<FileNotFoundException>(() => Browser.Find(nowhere));
        Assert.Equal("report.html's tests need Chromium: apt-get install chromium (Debian; .ci/run installs it); looked for /nonexistent/chromium, /nonexistent/chrome", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}

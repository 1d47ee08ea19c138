using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AnnLab.Data;
using AnnLab.IO;
using AnnLab.Metrics;
using AnnLab.Network;

namespace AnnLab.Plots;

/// <summary>What goes into a run's report page.</summary>
/// <param name="Title">Page title.</param>
/// <param name="Configuration">Setting name and value, in order.</param>
/// <param name="Metrics">Metric name and value, in order.</param>
/// <param name="Classes">Per-class precision, recall and F1 and the confusion matrix, on <paramref name="Part"/>; may be null.</param>
/// <param name="Figures">PNG path and caption, in order.</param>
/// <param name="CommandLine">The command line that reproduces the run, shown in the header; null for none.</param>
/// <param name="Date">When the run was made, shown in UTC as ISO 8601; null for none.</param>
/// <param name="Settings">Every setting as results.json records it (key, value), in order; null for none.</param>
/// <param name="Part">The part of the split that <paramref name="Classes"/> and the live view's images are on, e.g. <c>validation</c>.</param>
/// <param name="Live">The interactive part: the model and the images it runs on in the page; null for a page without it.</param>
public sealed record ReportContent(
    string Title,
    IReadOnlyList<KeyValuePair<string, string>> Configuration,
    IReadOnlyList<KeyValuePair<string, string>> Metrics,
    ClassificationReport? Classes,
    IReadOnlyList<KeyValuePair<string, string>> Figures,
    string? CommandLine = null,
    DateTimeOffset? Date = null,
    IReadOnlyList<KeyValuePair<string, string>>? Settings = null,
    string Part = "validation",
    ReportLiveView? Live = null);

/// <summary>
/// The report's interactive part: the model, run forward in the page's JavaScript on a drawn or a
/// picked image, and the images of one part of the split with the model's predictions.
/// </summary>
/// <param name="Model">The network, its float32 parameters and its class names.</param>
/// <param name="Images">The part's images (bytes 0..255, <see cref="ImageSet.Rows"/> x <see cref="ImageSet.Columns"/> each) and true labels; the page embeds at most <see cref="Report.MaxImages"/> of them and at most <see cref="Report.MaxImageBytes"/> bytes.</param>
/// <param name="Indices">Each image's index in the data set (what annlab explain takes), as many as the images.</param>
/// <param name="Predictions">The model's predicted class of each image, as many as the images.</param>
public sealed record ReportLiveView(Model Model, ImageSet Images, IReadOnlyList<int> Indices, IReadOnlyList<byte> Predictions);

/// <summary>
/// Writes <c>report.html</c>: one self-contained page (every figure embedded as a data: URI, no
/// external file, script or font) that opens from disk in any browser. With a
/// <see cref="ReportLiveView"/> the page also embeds the model's weights and biases and the part's
/// images, and its JavaScript (<c>ReportPage/live-view.js</c>) runs the forward pass on a drawn or a
/// picked image and lists a confusion-matrix cell's images.
/// </summary>
public static class Report
{
    /// <summary>The id of the element whose text a script sets to "all N images loaded" (or says which failed) once the page has loaded.</summary>
    public const string ImageCheckId = "image-check";

    /// <summary>The most images the live view embeds.</summary>
    public const int MaxImages = 10_000;

    /// <summary>The most pixel bytes the live view embeds (8 MB; base64 makes them a third larger in the page).</summary>
    public const int MaxImageBytes = 8_000_000;

    private static readonly Lazy<string> Script = new(() =>
    {
        using Stream stream = typeof(Report).Assembly.GetManifestResourceStream("AnnLab.Plots.ReportPage.live-view.js")
            ?? throw new InvalidOperationException("AnnLab.Plots was built without its resource live-view.js");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>How many of <paramref name="count"/> images of <paramref name="features"/> pixels the live view embeds: at most <see cref="MaxImages"/> and <see cref="MaxImageBytes"/> bytes.</summary>
    public static int EmbeddedImages(int count, int features) => Math.Min(count, Math.Min(MaxImages, MaxImageBytes / Math.Max(1, features)));

    /// <summary>Writes the page to <paramref name="path"/> atomically.</summary>
    /// <exception cref="FileNotFoundException">A figure file is missing.</exception>
    /// <exception cref="ArgumentException">The live view's images, indices and predictions differ in number, or its images' pixels are not the network's input size.</exception>
    public static void Write(string path, ReportContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var html = new StringBuilder();
        string E(string s) => WebUtility.HtmlEncode(s);
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
            <title>{{E(content.Title)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
            h1 { font-size: 1.6em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; }
            table { border-collapse: collapse; margin: 0.5em 0; }
            td, th { border: 1px solid #ccc; padding: 0.25em 0.7em; text-align: left; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            figure { margin: 1.2em 0; } figure img { max-width: 100%; border: 1px solid #ddd; }
            figcaption { color: #555; margin-top: 0.3em; }
            code { background: #f4f4f4; padding: 0.1em 0.3em; }
            #{{ImageCheckId}} { color: #888; font-size: 0.8em; }
            #live { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
            [hidden] { display: none !important; }
            #live > div:nth-child(1) { width: 340px; } #live > div:nth-child(2) { width: 200px; } #live > div:nth-child(3) { width: 440px; }
            #draw { image-rendering: pixelated; touch-action: none; cursor: crosshair; border: 1px solid #888; }
            #hidden-layers figure { margin: 0 0 0.8em 0; } #hidden-layers canvas { border: 1px solid #888; }
            #scores td { padding: 0.1em 0.5em; } #scores .bar { background: #4a7ab5; height: 0.9em; min-width: 1px; }
            #scores td:nth-child(2) { width: 180px; } #scores tr.predicted { font-weight: bold; }
            #predicted { font-size: 1.2em; font-weight: bold; }
            #confusion td[data-true] { cursor: pointer; } #confusion td.diagonal { background: #e8f0e8; }
            #cell-images { display: flex; flex-wrap: wrap; gap: 0.4em; }
            figure.thumb { margin: 0; cursor: pointer; font-size: 0.75em; text-align: center; }
            figure.thumb canvas { display: block; margin: auto; image-rendering: pixelated; }
            </style>
            </head>
            <body>
            <h1>{{E(content.Title)}}</h1>

            """);
        if (content.CommandLine is { } commandLine)
        {
            html.Append($"<p>Reproduce: <code id=\"command-line\">{E(commandLine)}</code></p>\n");
        }

        if (content.Date is { } date)
        {
            html.Append($"<p>Date (UTC): <time id=\"run-date\">{date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}</time></p>\n");
        }

        AppendTable(html, "Metrics (each row names its part)", content.Metrics);
        string part = content.Part;
        if (content.Live is { } live)
        {
            AppendLiveView(html, live, part);
        }

        if (content.Classes is { } classes)
        {
            string on = FormattableString.Invariant($"{part}, {classes.Total} images");
            AppendConfusion(html, classes, on, content.Live is not null);
            html.Append($"<h2>Per class ({E(on)})</h2>\n<table>\n<tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>images</th></tr>\n");
            foreach (ClassScores c in classes.Classes)
            {
                html.Append(FormattableString.Invariant($"<tr><td>{c.Class} {E(c.Name)}</td><td class=\"n\">{c.Precision:F3}</td><td class=\"n\">{c.Recall:F3}</td><td class=\"n\">{c.F1:F3}</td><td class=\"n\">{c.Support}</td></tr>\n"));
            }

            html.Append("</table>\n");
        }

        html.Append("<h2>Figures</h2>\n");
        foreach ((string file, string caption) in content.Figures)
        {
            string data = Convert.ToBase64String(File.ReadAllBytes(file));
            html.Append($"<figure><img src=\"data:image/png;base64,{data}\" alt=\"{E(caption)}\"><figcaption>{E(Path.GetFileName(file))}: {E(caption)}</figcaption></figure>\n");
        }

        AppendTable(html, "Configuration", content.Configuration);
        if (content.Settings is { } settings)
        {
            AppendTable(html, "Every setting (results.json's configuration)", settings);
        }

        html.Append($$"""
            <p id="{{ImageCheckId}}">checking images...</p>
            <script>
            window.addEventListener('load', function () {
              var images = Array.prototype.slice.call(document.images);
              var broken = images.filter(function (i) { return !i.complete || i.naturalWidth === 0; });
              document.getElementById('{{ImageCheckId}}').textContent = broken.length === 0
                ? 'all ' + images.length + ' images loaded'
                : broken.length + ' of ' + images.length + ' images failed: ' + broken.map(function (i) { return i.alt; }).join('; ');
            });
            </script>

            """);
        if (content.Live is not null)
        {
            html.Append("<script>\n").Append(Script.Value).Append("</script>\n");
        }

        html.Append("</body>\n</html>\n");
        AtomicFile.WriteAllText(path, html.ToString());
    }

    private static void AppendLiveView(StringBuilder html, ReportLiveView live, string part)
    {
        NeuralNetwork network = live.Model.Network;
        ImageSet images = live.Images;
        if (live.Indices.Count != images.Count || live.Predictions.Count != images.Count)
        {
            throw new ArgumentException($"the live view has {images.Count} images, {live.Indices.Count} indices and {live.Predictions.Count} predictions; expected as many of each", nameof(live));
        }

        if (images.Features != network.InputSize)
        {
            throw new ArgumentException($"the live view's images have {images.Features} pixels ({images.Rows}x{images.Columns}), the network {network} takes {network.InputSize}", nameof(live));
        }

        int embedded = EmbeddedImages(images.Count, images.Features);
        var layers = new List<Dictionary<string, object>>();
        foreach (LayerSpec layer in network.Layers)
        {
            layers.Add(layer switch
            {
                DenseSpec d => new() { ["kind"] = d.Kind, ["units"] = d.Units },
                ActivationSpec a => new() { ["kind"] = a.Kind, ["function"] = a.Function.Name },
                DropoutSpec r => new() { ["kind"] = r.Kind, ["rate"] = r.Rate },
                _ => new() { ["kind"] = layer.Kind },
            });
        }

        var data = new Dictionary<string, object>
        {
            ["network"] = new Dictionary<string, object>
            {
                ["input_shape"] = network.InputShape, ["layers"] = layers, ["output"] = network.OutputActivationName,
                ["parameters"] = Convert.ToBase64String(LittleEndian(live.Model.Parameters)),
            },
            ["input"] = new Dictionary<string, object> { ["rows"] = images.Rows, ["columns"] = images.Columns, ["scale"] = 255 },
            ["classes"] = live.Model.ClassNames,
            ["images"] = new Dictionary<string, object>
            {
                ["part"] = part, ["total"] = images.Count,
                ["indices"] = live.Indices.Take(embedded),
                ["pixels"] = Convert.ToBase64String(images.Pixels.Span[..(embedded * images.Features)]),
                ["labels"] = Convert.ToBase64String(images.Labels.Span[..embedded]),
                ["predictions"] = Convert.ToBase64String([.. live.Predictions.Take(embedded)]),
            },
        };

        // The default encoder writes <, > and & as \u003C..., so no text in the data can end the script element.
        string json = JsonSerializer.Serialize(data);
        string capped = embedded < images.Count
            ? FormattableString.Invariant($" The page holds the first {embedded:N0} of the {images.Count:N0} {part} images (at most {MaxImages:N0} images and {MaxImageBytes / 1_000_000} MB); the confusion matrix counts all of them, a cell lists the embedded ones.")
            : FormattableString.Invariant($" The page holds all {embedded:N0} {part} images.");
        string E(string s) => WebUtility.HtmlEncode(s);

        // Shown 336 pixels on its longer side, keeping the image's aspect ratio (at least 12 pixels on the shorter).
        int longer = Math.Max(images.Rows, images.Columns);
        int width = Math.Max(12, 336 * images.Columns / longer), height = Math.Max(12, 336 * images.Rows / longer);
        html.Append($$"""
            <h2>Live view ({{E(network.ToString())}}, computed in this page)</h2>
            <p>Draw on the black square (white ink, as Fashion-MNIST's images), or pick one of the {{E(part)}} images. The page
            runs the model's forward pass in its own JavaScript, with the weights and biases embedded in it, on the
            {{images.Rows}}x{{images.Columns}} pixels made into inputs as AnnLab makes them (x = byte / 255): each hidden
            layer's activations, the output layer's h and the predicted class are the numbers AnnLab computes.{{E(capped)}}</p>
            <p id="live-status">The live view needs JavaScript.</p>
            <div id="live">
            <div>
            <canvas id="draw" width="{{images.Columns * 12}}" height="{{images.Rows * 12}}" style="width: {{width}}px; height: {{height}}px"></canvas>
            <p><button id="clear" type="button">clear</button> <span id="source"></span></p>
            <p id="picker">{{E(part)}} image <input id="pick-index" type="number" min="0" value="0" style="width: 6em">
            <button id="pick" type="button">show</button> <button id="previous" type="button">previous</button>
            <button id="next" type="button">next</button></p>
            </div>
            <div><h3>Hidden layers</h3><div id="hidden-layers"></div></div>
            <div><h3>{{(network.Output == OutputLayers.Softmax ? "Output probabilities h = softmax(z)" : "Outputs h = sigmoid(z), each in 0..1 (not summing to 1)")}}</h3>
            <table id="scores"></table><p id="predicted"></p></div>
            </div>
            <script type="application/json" id="annlab-data">{{json}}</script>

            """);
    }

    // The confusion matrix as a table; with the live view each cell lists its images when clicked.
    private static void AppendConfusion(StringBuilder html, ClassificationReport classes, string on, bool clickable)
    {
        int k = classes.Counts.GetLength(0);
        html.Append($"<h2>Confusion matrix ({WebUtility.HtmlEncode(on)})</h2>\n");
        html.Append(clickable ? "<p>Rows: true class; columns: predicted class. Click a cell to see its images.</p>\n" : "<p>Rows: true class; columns: predicted class.</p>\n");
        html.Append("<table id=\"confusion\">\n<tr><th>true \\ predicted</th>");
        for (int p = 0; p < k; p++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th title=\"{WebUtility.HtmlEncode(classes.Classes[p].Name)}\">{p}</th>");
        }

        html.Append("</tr>\n");
        for (int t = 0; t < k; t++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>{t} {WebUtility.HtmlEncode(classes.Classes[t].Name)}</th>");
            for (int p = 0; p < k; p++)
            {
                string diagonal = t == p ? " diagonal" : "";
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"n{diagonal}\" data-true=\"{t}\" data-predicted=\"{p}\">{classes.Counts[t, p]}</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
        if (clickable)
        {
            html.Append("<p id=\"cell-heading\"></p>\n<div id=\"cell-images\"></div>\n");
        }
    }

    private static byte[] LittleEndian(float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return bytes;
    }

    private static void AppendTable(StringBuilder html, string heading, IReadOnlyList<KeyValuePair<string, string>> rows)
    {
        html.Append($"<h2>{WebUtility.HtmlEncode(heading)}</h2>\n<table>\n");
        foreach ((string key, string value) in rows)
        {
            string align = value.Length > 0 && (char.IsDigit(value[0]) || value[0] == '-') ? " class=\"n\"" : "";
            html.Append($"<tr><td>{WebUtility.HtmlEncode(key)}</td><td{align}>{WebUtility.HtmlEncode(value)}</td></tr>\n");
        }

        html.Append("</table>\n");
    }
}

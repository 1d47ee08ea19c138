using System.Net;
using System.Text;
using AnnLab.IO;
using AnnLab.Metrics;

namespace AnnLab.Plots;

/// <summary>What goes into a run's report page.</summary>
/// <param name="Title">Page title.</param>
/// <param name="Configuration">Setting name and value, in order.</param>
/// <param name="Metrics">Metric name and value, in order.</param>
/// <param name="Classes">Per-class precision, recall and F1; may be null.</param>
/// <param name="Figures">PNG path and caption, in order.</param>
public sealed record ReportContent(
    string Title,
    IReadOnlyList<KeyValuePair<string, string>> Configuration,
    IReadOnlyList<KeyValuePair<string, string>> Metrics,
    ClassificationReport? Classes,
    IReadOnlyList<KeyValuePair<string, string>> Figures);

/// <summary>
/// Writes <c>report.html</c>: one self-contained page (every figure embedded as a data: URI, no
/// external file, script or font) that opens from disk in any browser.
/// </summary>
public static class Report
{
    /// <summary>The id of the element whose text a script sets to "all N images loaded" (or says which failed) once the page has loaded.</summary>
    public const string ImageCheckId = "image-check";

    /// <summary>Writes the page to <paramref name="path"/> atomically.</summary>
    /// <exception cref="FileNotFoundException">A figure file is missing.</exception>
    public static void Write(string path, ReportContent content)
    {
        var html = new StringBuilder();
        string E(string s) => WebUtility.HtmlEncode(s);
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{{E(content.Title)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
            h1 { font-size: 1.6em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; }
            table { border-collapse: collapse; margin: 0.5em 0; }
            td, th { border: 1px solid #ccc; padding: 0.25em 0.7em; text-align: left; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            figure { margin: 1.2em 0; } figure img { max-width: 100%; border: 1px solid #ddd; }
            figcaption { color: #555; margin-top: 0.3em; }
            #{{ImageCheckId}} { color: #888; font-size: 0.8em; }
            </style>
            </head>
            <body>
            <h1>{{E(content.Title)}}</h1>

            """);
        AppendTable(html, "Metrics", content.Metrics);
        if (content.Classes is { } classes)
        {
            html.Append("<h2>Per class</h2>\n<table>\n<tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>images</th></tr>\n");
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
            </body>
            </html>

            """);
        AtomicFile.WriteAllText(path, html.ToString());
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

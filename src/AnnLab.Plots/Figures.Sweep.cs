using System.Globalization;
using SkiaSharp;

namespace AnnLab.Plots;

public static partial class Figures
{
    /// <summary>
    /// A grid search as heat maps: one panel per value of the outer setting (e.g. hidden size),
    /// rows and columns the two inner settings (e.g. lambda and learning rate), each cell the
    /// score written in it and coloured on one scale shared by all panels (darker = higher), the
    /// best cell framed in red.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">Figure title.</param>
    /// <param name="panelTitles">One title per panel.</param>
    /// <param name="scores">One rows x columns matrix per panel (NaN for a point that failed).</param>
    /// <param name="rowName">What the rows are, e.g. "lambda".</param>
    /// <param name="rowLabels">One label per row.</param>
    /// <param name="columnName">What the columns are, e.g. "learning rate".</param>
    /// <param name="columnLabels">One label per column.</param>
    /// <param name="format">Number format of the cells, e.g. "0.00".</param>
    /// <remarks>Size in pixels: (110 + 80 x columns) x panels + 120 wide (at least 500), 164 + 48 x rows high; under the
    /// cells a line reads the colour scale: "colour: <paramref name="format"/> lowest (light) to highest (dark); red frame: the best".</remarks>
    /// <exception cref="ArgumentException">No panel, or sizes that do not agree; the message names the list, the expected and the found size.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void SweepHeatmap(string path, string title, IReadOnlyList<string> panelTitles, IReadOnlyList<double[,]> scores,
        string rowName, IReadOnlyList<string> rowLabels, string columnName, IReadOnlyList<string> columnLabels, string format = "0.00")
    {
        if (scores.Count == 0)
        {
            throw new ArgumentException("scores: expected at least 1 panel, found 0", nameof(scores));
        }

        CheckLength(panelTitles.Count, scores.Count, "panelTitles: one per panel", nameof(panelTitles));
        int rows = rowLabels.Count, columns = columnLabels.Count;
        foreach (double[,] s in scores)
        {
            if (s.GetLength(0) != rows || s.GetLength(1) != columns)
            {
                throw new ArgumentException($"scores: expected {rows} x {columns} per panel, found {s.GetLength(0)} x {s.GetLength(1)}", nameof(scores));
            }
        }

        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        (int Panel, int Row, int Column) best = (-1, -1, -1);
        for (int p = 0; p < scores.Count; p++)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    double v = scores[p][r, c];
                    if (!double.IsFinite(v))
                    {
                        continue;
                    }

                    min = Math.Min(min, v);
                    if (v > max)
                    {
                        max = v;
                        best = (p, r, c);
                    }
                }
            }
        }

        const int Cell = 80, RowHeight = 48, LabelBand = 90, Top = 110;
        int panelWidth = LabelBand + (columns * Cell) + 20;
        int width = Math.Max(500, (panelWidth * scores.Count) + 120);
        int height = Top + 54 + (rows * RowHeight);
        using var figure = new FigureCanvas(width, height);
        (string[] titleLines, float titleSize) = FigureCanvas.Fit(title, width - 40, TitleSize, 14, bold: true);
        figure.Text(titleLines[0], width / 2f, 12, titleSize, SKTextAlign.Center, bold: true);
        double span = double.IsFinite(max - min) && max > min ? max - min : 1;
        using var highlight = new SKPaint { Color = new SKColor(214, 39, 40), Style = SKPaintStyle.Stroke, StrokeWidth = 3 };
        for (int p = 0; p < scores.Count; p++)
        {
            float left = 20 + (p * panelWidth) + LabelBand;
            figure.Text(panelTitles[p], left + (columns * Cell / 2f), 50, PanelTitleSize, SKTextAlign.Center, bold: true);
            figure.Text($"{columnName} →", left + (columns * Cell / 2f), 70, LabelSize, SKTextAlign.Center);
            for (int c = 0; c < columns; c++)
            {
                figure.TextCentered(columnLabels[c], SKRect.Create(left + (c * Cell), Top - 22, Cell, 20), LabelSize);
            }

            for (int r = 0; r < rows; r++)
            {
                figure.Text(rowLabels[r], left - 8, Top + (r * RowHeight) + 15, LabelSize, SKTextAlign.Right);
                for (int c = 0; c < columns; c++)
                {
                    double v = scores[p][r, c];
                    var rect = SKRect.Create(left + (c * Cell), Top + (r * RowHeight), Cell, RowHeight);
                    SKColor color = double.IsFinite(v) ? ColorScales.Blues(0.15 + (0.85 * (v - min) / span), 1) : new SKColor(220, 220, 220);
                    figure.Fill(rect, color);
                    figure.TextCentered(double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "failed", rect, LabelSize, color: ColorScales.TextOn(color));
                    if ((p, r, c) == best)
                    {
                        figure.Canvas.DrawRect(rect, highlight);
                    }
                }
            }

            figure.Frame(SKRect.Create(left, Top, columns * Cell, rows * RowHeight), SKColors.Gray);
            figure.TextVertical(rowName, left - LabelBand + 10, Top + (rows * RowHeight / 2f), LabelSize);
        }

        string legend = best.Panel < 0
            ? "colour: no point gave a score"
            : $"colour: {min.ToString(format, CultureInfo.InvariantCulture)} (light) to {max.ToString(format, CultureInfo.InvariantCulture)} (dark); red frame: the best"
              + (scores.Count > 1 ? $", in {panelTitles[best.Panel]}" : "");
        figure.Text(legend, width / 2f, Top + (rows * RowHeight) + 24, LabelSize, SKTextAlign.Center);
        figure.Save(path);
    }
}

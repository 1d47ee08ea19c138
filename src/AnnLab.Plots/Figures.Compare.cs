using ScottPlot;
using SkiaSharp;

namespace AnnLab.Plots;

public static partial class Figures
{
    private static readonly ScottPlot.Color[] ModelColors = [new(31, 119, 180), new(230, 110, 0), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189)];

    /// <summary>
    /// Learning curves of several models in one figure: validation cost (left) and validation
    /// accuracy in % (right) per step, one colour per model, training values dashed in the same colour.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="models">Model name and its curve, at most five.</param>
    /// <remarks>Size in pixels: 1200 x 460.</remarks>
    /// <exception cref="ArgumentException">No model, more than five, or a curve without steps.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void CompareLearningCurves(string path, IReadOnlyList<KeyValuePair<string, LearningCurve>> models)
    {
        if (models.Count == 0 || models.Count > ModelColors.Length)
        {
            throw new ArgumentException($"models: expected 1..{ModelColors.Length}, found {models.Count}", nameof(models));
        }

        foreach ((string name, LearningCurve curve) in models)
        {
            if (curve.Steps.Count == 0)
            {
                throw new ArgumentException($"models: the curve of {name} has no steps", nameof(models));
            }
        }

        using var figure = new FigureCanvas(2 * CurvePanelWidth, CurvePanelHeight);
        Plot cost = NewPlot();
        Plot accuracy = NewPlot();
        for (int i = 0; i < models.Count; i++)
        {
            (string name, LearningCurve curve) = models[i];
            AddCurve(cost, curve.Steps, curve.ValidationCost, 1, ModelColors[i], $"{name} validation", "0.0000", "", LinePattern.Solid);
            AddCurve(cost, curve.Steps, curve.TrainCost, 1, ModelColors[i], $"{name} training", "0.0000", "", LinePattern.Dashed);
            AddCurve(accuracy, curve.Steps, curve.ValidationAccuracy, 100, ModelColors[i], $"{name} validation", "0.0", " %", LinePattern.Solid);
            AddCurve(accuracy, curve.Steps, curve.TrainAccuracy, 100, ModelColors[i], $"{name} training", "0.0", " %", LinePattern.Dashed);
        }

        string step = models[0].Value.StepName;
        cost.Title("cost J");
        cost.XLabel(step);
        cost.YLabel("J");
        cost.ShowLegend(Alignment.UpperRight);
        // The models differ by a point or two near the top: the accuracy panel shows the range the
        // curves cover after their first tenth of steps, where they are compared, not the climb from 10 %.
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach ((_, LearningCurve curve) in models)
        {
            for (int j = curve.Steps.Count / 10; j < curve.Steps.Count; j++)
            {
                low = Math.Min(low, Math.Min(curve.TrainAccuracy[j], curve.ValidationAccuracy[j]));
                high = Math.Max(high, Math.Max(curve.TrainAccuracy[j], curve.ValidationAccuracy[j]));
            }
        }

        bool zoomed = double.IsFinite(low) && high > low;
        if (zoomed)
        {
            double margin = Math.Max(0.005, (high - low) * 0.08);
            accuracy.Axes.SetLimitsY(100 * (low - margin), 100 * Math.Min(1.0, high + margin) + 0.5);
        }

        accuracy.Title(zoomed ? "accuracy (after the first tenth of the run)" : "accuracy");
        accuracy.XLabel(step);
        accuracy.YLabel("accuracy (%)");
        accuracy.ShowLegend(Alignment.LowerRight);
        figure.Plot(cost, SKRect.Create(0, 0, CurvePanelWidth, CurvePanelHeight));
        figure.Plot(accuracy, SKRect.Create(CurvePanelWidth, 0, CurvePanelWidth, CurvePanelHeight));
        figure.Save(path);
    }
}

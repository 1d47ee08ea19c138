using System.Globalization;
using AnnLab.Network;
using ScottPlot;
using SkiaSharp;

namespace AnnLab.Plots;

public static partial class Figures
{
    private static readonly ScottPlot.Color Blue = new(31, 119, 180);
    private static readonly ScottPlot.Color Orange = new(230, 110, 0);
    private static readonly ScottPlot.Color ReferenceLine = new(160, 160, 160);

    private const int ActivationPanelWidth = 440;
    private const int ActivationPanelHeight = 340;
    private const int ActivationColumns = 3;
    private const int CurvePanelWidth = 600;
    private const int CurvePanelHeight = 460;

    /// <summary>
    /// Plots each activation g(z) (solid blue) and its derivative g'(z) (dashed orange) for z from
    /// <paramref name="from"/> to <paramref name="to"/>, one panel per activation titled with its name, from
    /// <see cref="IActivation.Value"/> and <see cref="IActivation.Derivative"/> at 401 evenly spaced z.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="activations">The activations, e.g. <c>Activations.Available</c>; panels go left to right, three to a row.</param>
    /// <param name="from">Left end of the z axis.</param>
    /// <param name="to">Right end of the z axis.</param>
    /// <remarks>Size in pixels: panels of 440 x 340 under a 44 px title band; width 440 x min(n, 3),
    /// height 44 + 340 x ceil(n / 3) for n activations (1320 x 724 for AnnLab's five).</remarks>
    /// <exception cref="ArgumentException"><paramref name="activations"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="from"/> or <paramref name="to"/> is not finite,
    /// or <paramref name="from"/> is not less than <paramref name="to"/>.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Activations(string path, IReadOnlyList<IActivation> activations, double from = -5, double to = 5)
    {
        if (activations.Count == 0)
        {
            throw new ArgumentException("activations: expected at least 1, found 0", nameof(activations));
        }

        if (!double.IsFinite(from))
        {
            throw new ArgumentOutOfRangeException(nameof(from), from, "must be finite");
        }

        if (!double.IsFinite(to) || to <= from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"must be finite and greater than from ({from})");
        }

        const int Samples = 401;
        double[] z = new double[Samples];
        for (int i = 0; i < Samples; i++)
        {
            z[i] = from + ((to - from) * i / (Samples - 1));
        }

        int columns = Math.Min(activations.Count, ActivationColumns);
        int rows = (activations.Count + columns - 1) / columns;
        const int TitleBand = 44;
        using var figure = new FigureCanvas(columns * ActivationPanelWidth, TitleBand + (rows * ActivationPanelHeight));
        figure.Text("Activation functions g(z) and their derivatives g'(z)", figure.Width / 2f, 12, TitleSize, SKTextAlign.Center, bold: true);
        for (int n = 0; n < activations.Count; n++)
        {
            IActivation activation = activations[n];
            Plot plot = NewPlot();
            plot.Add.HorizontalLine(0, 1, ReferenceLine);
            plot.Add.VerticalLine(0, 1, ReferenceLine);
            var g = plot.Add.ScatterLine(z, z.Select(activation.Value).ToArray(), Blue);
            g.LineWidth = 2.5f;
            g.LegendText = "g(z)";
            var derivative = plot.Add.ScatterLine(z, z.Select(activation.Derivative).ToArray(), Orange);
            derivative.LineWidth = 2.5f;
            derivative.LinePattern = LinePattern.Dashed;
            derivative.LegendText = "g'(z)";
            plot.Title(activation.Name);
            plot.XLabel("z");
            plot.ShowLegend(Alignment.UpperLeft);
            plot.Axes.SetLimitsX(from, to);
            var rect = SKRect.Create(n % columns * ActivationPanelWidth, TitleBand + (n / columns * ActivationPanelHeight), ActivationPanelWidth, ActivationPanelHeight);
            figure.Plot(plot, rect);
        }

        figure.Save(path);
    }

    /// <summary>
    /// Plots a learning curve as two panels side by side: cost J per step (left) and accuracy in % per step
    /// (right), each with the training set in blue and the validation set in orange, the last value of each
    /// in the legend. Non-finite values (a diverged step) are left out.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="curve">The measurements; the x axes are labeled with <see cref="LearningCurve.StepName"/>.</param>
    /// <remarks>Size in pixels: 1200 x 460 (two 600 x 460 panels). With 30 steps or fewer each value also gets a marker.</remarks>
    /// <exception cref="ArgumentException">The curve has no steps, or its lists differ in length from
    /// <see cref="LearningCurve.Steps"/>; the message names the list and both lengths.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void LearningCurves(string path, LearningCurve curve)
    {
        int steps = curve.Steps.Count;
        if (steps == 0)
        {
            throw new ArgumentException("curve.Steps: expected at least 1 step, found 0", nameof(curve));
        }

        CheckLength(curve.TrainCost.Count, steps, "curve.TrainCost: one per step", nameof(curve));
        CheckLength(curve.ValidationCost.Count, steps, "curve.ValidationCost: one per step", nameof(curve));
        CheckLength(curve.TrainAccuracy.Count, steps, "curve.TrainAccuracy: one per step", nameof(curve));
        CheckLength(curve.ValidationAccuracy.Count, steps, "curve.ValidationAccuracy: one per step", nameof(curve));

        using var figure = new FigureCanvas(2 * CurvePanelWidth, CurvePanelHeight);
        Plot cost = CurvePanel(curve, curve.TrainCost, curve.ValidationCost, 1, "cost J", "J", "0.0000", "");
        MarkKeptStep(cost, curve);
        cost.ShowLegend(Alignment.UpperRight);
        figure.Plot(cost, SKRect.Create(0, 0, CurvePanelWidth, CurvePanelHeight));
        Plot accuracy = CurvePanel(curve, curve.TrainAccuracy, curve.ValidationAccuracy, 100, "accuracy", "accuracy (%)", "0.0", " %");
        MarkKeptStep(accuracy, curve);
        accuracy.ShowLegend(Alignment.LowerRight);
        figure.Plot(accuracy, SKRect.Create(CurvePanelWidth, 0, CurvePanelWidth, CurvePanelHeight));
        figure.Save(path);
    }

    // A dashed vertical line at the step whose weights early stopping kept.
    private static void MarkKeptStep(Plot plot, LearningCurve curve)
    {
        if (curve.KeptStep is int kept)
        {
            var line = plot.Add.VerticalLine(kept, 1.5f, ReferenceLine);
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = $"weights kept: {curve.StepName} {kept}";
        }
    }

    private static Plot CurvePanel(LearningCurve curve, IReadOnlyList<double> train, IReadOnlyList<double> validation, double factor,
        string title, string yLabel, string format, string unit)
    {
        Plot plot = NewPlot();
        AddCurve(plot, curve.Steps, train, factor, Blue, "training", format, unit, LinePattern.Solid);
        AddCurve(plot, curve.Steps, validation, factor, Orange, "validation", format, unit, LinePattern.Dashed);
        plot.Title(title);
        plot.XLabel(curve.StepName);
        plot.YLabel(yLabel);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Bottom.TickLabelStyle.FontName = EmbeddedFont.FamilyName;
        plot.Axes.Bottom.TickLabelStyle.FontSize = LabelSize;
        return plot;
    }

    private static void AddCurve(Plot plot, IReadOnlyList<int> steps, IReadOnlyList<double> values, double factor, ScottPlot.Color color,
        string name, string format, string unit, LinePattern pattern)
    {
        var xs = new List<double>(steps.Count);
        var ys = new List<double>(steps.Count);
        for (int i = 0; i < steps.Count; i++)
        {
            if (double.IsFinite(values[i]))
            {
                xs.Add(steps[i]);
                ys.Add(values[i] * factor);
            }
        }

        if (xs.Count == 0)
        {
            return;
        }

        var scatter = plot.Add.Scatter(xs.ToArray(), ys.ToArray(), color);
        scatter.LineWidth = 2;
        scatter.LinePattern = pattern;
        scatter.MarkerSize = steps.Count <= 30 ? 6 : 0;
        scatter.LegendText = $"{name}: {ys[^1].ToString(format, CultureInfo.InvariantCulture)}{unit}";
    }
}

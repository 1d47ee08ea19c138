using AnnLab.Training;

namespace AnnLab.Plots;

/// <summary>
/// Cost and accuracy measured after each step of training (an epoch for sgd, an iteration for cg), on
/// the training and the validation set, for <see cref="Figures.LearningCurves"/>. All five lists have
/// one entry per step.
/// </summary>
/// <param name="StepName">What a step is, used as the x-axis label, e.g. <c>epoch</c> or <c>iteration</c>.</param>
/// <param name="Steps">The step numbers, e.g. 1, 2, ..., 500.</param>
/// <param name="TrainCost">Cost J on the training set after each step.</param>
/// <param name="ValidationCost">Cost J on the validation set after each step.</param>
/// <param name="TrainAccuracy">Fraction (0..1) of training images classified right after each step.</param>
/// <param name="ValidationAccuracy">Fraction (0..1) of validation images classified right after each step.</param>
public sealed record LearningCurve(
    string StepName,
    IReadOnlyList<int> Steps,
    IReadOnlyList<double> TrainCost,
    IReadOnlyList<double> ValidationCost,
    IReadOnlyList<double> TrainAccuracy,
    IReadOnlyList<double> ValidationAccuracy)
{
    /// <summary>The step whose weights were kept (early stopping restored them), marked with a vertical line; null for the last step.</summary>
    public int? KeptStep { get; init; }

    /// <summary>
    /// The points of a training history that a <see cref="LearningCurveMonitor"/> measured (the steps
    /// whose training and validation cost and accuracy are all set), in order, with the step early
    /// stopping kept (<see cref="TrainingResult.RestoredEpoch"/>) as <see cref="KeptStep"/>.
    /// </summary>
    /// <param name="result">A finished training run.</param>
    /// <param name="stepName">What a step is: <c>epoch</c> (sgd) or <c>iteration</c> (cg, lbfgs).</param>
    /// <returns>The curve; null when no step was measured (training ran without a monitor).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    public static LearningCurve? FromHistory(TrainingResult result, string stepName)
    {
        ArgumentNullException.ThrowIfNull(result);
        TrainingProgress[] points = result.History
            .Where(p => p.TrainCost is not null && p.ValidationCost is not null && p.TrainAccuracy is not null && p.ValidationAccuracy is not null)
            .ToArray();
        if (points.Length == 0)
        {
            return null;
        }

        return new LearningCurve(
            stepName,
            points.Select(p => p.Step).ToArray(),
            points.Select(p => p.TrainCost!.Value).ToArray(),
            points.Select(p => p.ValidationCost!.Value).ToArray(),
            points.Select(p => p.TrainAccuracy!.Value).ToArray(),
            points.Select(p => p.ValidationAccuracy!.Value).ToArray())
        {
            KeptStep = result.RestoredEpoch,
        };
    }
}

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
}

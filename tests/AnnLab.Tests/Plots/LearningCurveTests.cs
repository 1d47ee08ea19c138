using AnnLab.Plots;
using AnnLab.Training;

namespace AnnLab.Tests.Plots;

public class LearningCurveTests
{
    private static TrainingProgress Measured(int step, double trainCost, double validationCost, double trainAccuracy, double validationAccuracy)
        => new(step, 4, trainCost + 0.5, 1e-5, step * 0.1) { TrainCost = trainCost, ValidationCost = validationCost, TrainAccuracy = trainAccuracy, ValidationAccuracy = validationAccuracy };

    private static TrainingResult Result(TrainingProgress[] history)
        => new(StopReason.MaxEpochs, history.Length, history.Length * 20, 0, 0.4, history.Length * 4000L, "reached the 4 epochs allowed", history);

    [Fact]
    public void FromHistory_takes_the_measured_steps_in_order_with_their_four_values()
    {
        // Steps 1 and 4 measured, 2 and 3 not (a monitor measures every few steps).
        TrainingProgress[] history =
        [
            Measured(1, 2.5, 2.75, 0.25, 0.2),
            new(2, 4, 2.0, 1e-5, 0.2),
            new(3, 4, 1.5, 1e-5, 0.3),
            Measured(4, 1.25, 1.5, 0.75, 0.7),
        ];

        LearningCurve curve = LearningCurve.FromHistory(Result(history), "epoch")!;

        Assert.Equal("epoch", curve.StepName);
        Assert.Equal([1, 4], curve.Steps);
        Assert.Equal([2.5, 1.25], curve.TrainCost);
        Assert.Equal([2.75, 1.5], curve.ValidationCost);
        Assert.Equal([0.25, 0.75], curve.TrainAccuracy);
        Assert.Equal([0.2, 0.7], curve.ValidationAccuracy);
        Assert.Null(curve.KeptStep);
    }

    [Fact]
    public void FromHistory_marks_the_step_early_stopping_restored()
    {
        TrainingResult result = Result([Measured(1, 2.5, 2.75, 0.25, 0.2), Measured(2, 1.25, 1.5, 0.75, 0.7)]) with { RestoredEpoch = 1 };

        Assert.Equal(1, LearningCurve.FromHistory(result, "epoch")!.KeptStep);
    }

    [Fact]
    public void FromHistory_is_null_for_a_history_no_monitor_measured()
    {
        Assert.Null(LearningCurve.FromHistory(Result([new(1, 2, 2.0, 1e-5, 0.1), new(2, 2, 1.5, 1e-5, 0.2)]), "iteration"));
    }
}

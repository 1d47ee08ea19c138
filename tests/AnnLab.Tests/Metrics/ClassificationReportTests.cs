using AnnLab.Metrics;

namespace AnnLab.Tests.Metrics;

public class ClassificationReportTests
{
    [Fact]
    public void Worked_example_matches_scikit_learn()
    {
        // y_true = [0, 0, 1, 1, 2, 2], y_pred = [0, 1, 1, 1, 0, 2]
        // sklearn.metrics.confusion_matrix: [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
        // precision = [0.5, 0.6667, 1.0], recall = [0.5, 1.0, 0.5], f1 = [0.5, 0.8, 0.6667]
        var r = ClassificationReport.Create([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 0, 2], ["a", "b", "c"]);
        Assert.Equal(new int[,] { { 1, 1, 0 }, { 0, 2, 0 }, { 1, 0, 1 } }, r.Counts);
        Assert.Equal(0.5, r.Classes[0].Precision, 12);
        Assert.Equal(2.0 / 3, r.Classes[1].Precision, 12);
        Assert.Equal(1.0, r.Classes[2].Precision, 12);
        Assert.Equal(1.0, r.Classes[1].Recall, 12);
        Assert.Equal(0.5, r.Classes[2].Recall, 12);
        Assert.Equal(0.8, r.Classes[1].F1, 12);
        Assert.Equal(2.0 / 3, r.Classes[2].F1, 12);
        Assert.Equal(4.0 / 6, r.Accuracy, 12);
        Assert.Equal(2, r.Classes[0].Support);
        Assert.Equal((0.5 + 0.8 + (2.0 / 3)) / 3, r.MacroF1, 12);
    }

    [Fact]
    public void A_class_never_predicted_has_precision_0_and_counts_sum_to_the_total()
    {
        var r = ClassificationReport.Create([0, 1, 2, 2], [0, 0, 0, 0], ["a", "b", "c"]);
        Assert.Equal(0, r.Classes[1].Precision);
        Assert.Equal(0, r.Classes[1].F1);
        Assert.Equal(4, r.Counts.Cast<int>().Sum());
    }

    [Fact]
    public void Mismatched_lengths_and_bad_classes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ClassificationReport.Create([0, 1], [0], ["a", "b"]));
        var e = Assert.Throws<ArgumentException>(() => ClassificationReport.Create([0, 3], [0, 1], ["a", "b"]));
        Assert.Contains("class 3 is outside 0..1", e.Message);
    }

    [Fact]
    public void TopConfusions_lists_off_diagonal_cells_largest_first_ties_by_class()
    {
        // y_true = [0, 0, 0, 1, 1, 2, 2, 2, 2], y_pred = [1, 1, 0, 0, 2, 0, 0, 1, 2]
        // counts: [[1, 2, 0], [1, 0, 1], [2, 1, 1]]; off-diagonal: (0,1) 2, (2,0) 2, (1,0) 1, (1,2) 1, (2,1) 1.
        var r = ClassificationReport.Create([0, 0, 0, 1, 1, 2, 2, 2, 2], [1, 1, 0, 0, 2, 0, 0, 1, 2], ["a", "b", "c"]);
        Assert.Equal(
            [new Confusion(0, 1, 2), new Confusion(2, 0, 2), new Confusion(1, 0, 1), new Confusion(1, 2, 1)],
            r.TopConfusions(4));
        Assert.Equal(5, r.TopConfusions(100).Count);
        Assert.Empty(ClassificationReport.Create([0, 1], [0, 1], ["a", "b"]).TopConfusions(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.TopConfusions(-1));
    }
}

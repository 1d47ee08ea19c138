using AnnLab.Cli;
using AnnLab.Data;
using AnnLab.Results;
using AnnLab.Tests.Results;
using AnnLab.Training;

namespace AnnLab.Tests.Cli;

public class RunOutputsTests
{
    private static Dictionary<string, string> Rows(IReadOnlyList<KeyValuePair<string, string>> rows) => rows.ToDictionary(r => r.Key, r => r.Value);

    [Fact]
    public void The_report_rows_of_a_cg_run_come_from_its_results()
    {
        (IReadOnlyList<KeyValuePair<string, string>> configuration, IReadOnlyList<KeyValuePair<string, string>> metrics) = RunOutputs.ReportRows(RunResultsTests.Sample());
        Assert.Equal(
            ["training accuracy", "validation accuracy", "test accuracy", "training cost J", "validation cost J", "iterations", "stop reason", "training seconds", "samples per second"],
            metrics.Select(m => m.Key));
        Dictionary<string, string> m = Rows(metrics);
        Assert.Equal("75.00 %", m["training accuracy"]);
        Assert.Equal("33.33 %", m["test accuracy"]);
        Assert.Equal("0.99723", m["training cost J"]);
        Assert.Equal("7", m["iterations"]);
        Assert.Equal("line-search-failed", m["stop reason"]);
        Assert.Equal("4.62", m["training seconds"]);
        Assert.Equal("432,580", m["samples per second"]);

        Dictionary<string, string> c = Rows(configuration);
        Assert.Equal("784-512-256-10 relu softmax", c["network"]);
        Assert.Equal("cg", c["solver"]);
        Assert.Equal("he", c["initialization"]);
        Assert.Equal("7", c["max iterations"]);
        Assert.False(c.ContainsKey("batch size"));
        Assert.Equal("60,000 training images: 4 training, 4 validation; 3 test", c["split"]);
    }

    [Fact]
    public void The_report_rows_of_an_sgd_run_name_its_update_rule_and_schedule()
    {
        RunResults sgd = RunResultsTests.Sample() with { Solver = Solver.Sgd, StopReason = StopReason.EarlyStopped, Epochs = 12, TestAccuracy = null, TrainCost = 3e7 };
        (IReadOnlyList<KeyValuePair<string, string>> configuration, IReadOnlyList<KeyValuePair<string, string>> metrics) = RunOutputs.ReportRows(sgd);
        Dictionary<string, string> m = Rows(metrics);
        Assert.False(m.ContainsKey("test accuracy"));
        Assert.Equal("12", m["epochs"]);
        Assert.Equal("early-stopped", m["stop reason"]);
        Assert.Equal("3E+07", m["training cost J"]);
        Dictionary<string, string> c = Rows(configuration);
        Assert.Equal("sgd with adamw", c["solver"]);
        Assert.Equal("0.001, cosine schedule, 2 warm-up epochs", c["learning rate"]);
        Assert.Equal("patience 3 on validation-accuracy", c["early stopping"]);
        Assert.Equal("shifts and flips", c["augmentation"]);
        Assert.Equal("training-set", c["lambda scale"]);
    }

    [Fact]
    public void The_configuration_records_the_options_under_their_option_strings()
    {
        RunConfiguration c = RunOutputs.Configuration(new TrainingOptions { Solver = Solver.Lbfgs, LambdaScale = LambdaScale.TrainingSet, Hidden = [128, 64] }, new DataRequest { Dataset = "csv", Path = "/data" }, [6, 128, 64, 3]);
        Assert.Equal("lbfgs", c.Solver);
        Assert.Equal("/data", c.Data);
        Assert.Equal("csv", c.Dataset);
        Assert.Equal(new Dictionary<string, string> { ["data"] = "/data", ["dataset"] = "csv" }, c.DataRequest);
        Assert.Equal("training-set", c.LambdaScale);
        Assert.Equal("sgd", c.Optimizer);
        Assert.Equal("constant", c.Schedule);
        Assert.Equal("validation-cost", c.Monitor);
        Assert.Equal("uniform", c.Init);
        Assert.Equal([6, 128, 64, 3], c.LayerSizes); // the network's, which train builds from the data set
        Assert.Equal("/data", c.Data);
    }
}

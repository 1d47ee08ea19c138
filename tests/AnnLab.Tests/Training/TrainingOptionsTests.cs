using AnnLab.Training;

namespace AnnLab.Tests.Training;

public class TrainingOptionsTests
{
    [Fact]
    public void Defaults_are_the_labs_and_valid()
    {
        var o = new TrainingOptions();
        o.Validate();
        Assert.Equal(5000, o.Samples);
        Assert.Equal(4000, o.TrainCount);
        Assert.Equal(1000, o.ValidationCount);
        Assert.Equal([25], o.Hidden);
        Assert.Equal(0.1, o.LearningRate);
        Assert.Equal(200, o.BatchSize);
        Assert.Equal(LambdaScale.Batch, o.LambdaScale);
    }

    [Fact]
    public void An_unknown_lambda_scale_is_named_with_its_value()
    {
        var e = Assert.Throws<OptionOutOfRangeException>(() => new TrainingOptions { LambdaScale = (LambdaScale)2 }.Validate());
        Assert.Equal("LambdaScale", e.Option);
        Assert.Equal("got 2, expected batch or training-set", e.Detail);
    }

    [Theory]
    [InlineData("BatchSize", "0")]
    [InlineData("TrainFraction", "1")]
    [InlineData("TrainFraction", "0")]
    [InlineData("LearningRate", "-0.1")]
    [InlineData("Lambda", "-1")]
    [InlineData("Hidden", "25,0")]
    [InlineData("MaxEpochs", "0")]
    [InlineData("Threads", "0")]
    [InlineData("InitEpsilon", "0")]
    [InlineData("WarmupEpochs", "500")]
    public void Each_bad_option_is_named_with_value_and_range(string option, string value)
    {
        TrainingOptions o = option switch
        {
            "BatchSize" => new() { BatchSize = int.Parse(value) },
            "TrainFraction" => new() { TrainFraction = double.Parse(value) },
            "LearningRate" => new() { LearningRate = double.Parse(value) },
            "Lambda" => new() { Lambda = double.Parse(value) },
            "Hidden" => new() { Hidden = value.Split(',').Select(int.Parse).ToArray() },
            "MaxEpochs" => new() { MaxEpochs = int.Parse(value) },
            "Threads" => new() { Threads = int.Parse(value) },
            "InitEpsilon" => new() { InitEpsilon = double.Parse(value) },
            _ => new() { WarmupEpochs = int.Parse(value) },
        };
        var e = Assert.Throws<OptionOutOfRangeException>(() => o.Validate());
        Assert.Equal(option, e.Option);
        Assert.StartsWith($"got {value}, expected ", e.Detail);
    }

    [Fact]
    public void The_table_reads_text_into_typed_choices_and_refuses_other_names_listing_the_choices()
    {
        OptionSpec optimizer = TrainingOptionTable.Get(nameof(TrainingOptions.Optimizer));
        Assert.Same(AnnLab.Optimization.MiniBatchOptimizers.Get("adamw"), optimizer.Parse(new TrainingOptions(), "AdamW").Optimizer);
        var e = Assert.Throws<OptionOutOfRangeException>(() => optimizer.Parse(new TrainingOptions(), "adma"));
        Assert.Equal("got adma, expected one of sgd, momentum, nesterov, adam, adamw, rmsprop", e.Detail);
        Assert.Equal(ScheduleKind.Cosine, TrainingOptionTable.Get(nameof(TrainingOptions.Schedule)).Parse(new TrainingOptions(), "cosine").Schedule);
        Assert.Equal(EarlyStoppingMetric.ValidationAccuracy, TrainingOptionTable.Get(nameof(TrainingOptions.Monitor)).Parse(new TrainingOptions(), "validation-accuracy").Monitor);
        Assert.Equal("swish", TrainingOptionTable.Get(nameof(TrainingOptions.Activation)).Parse(new TrainingOptions(), "silu").Activation.Name);
        Assert.Contains("a number with a decimal point", Assert.Throws<OptionOutOfRangeException>(() => TrainingOptionTable.Get(nameof(TrainingOptions.Dropout)).Parse(new TrainingOptions(), "0,5")).Detail);
    }

    [Fact]
    public void The_table_knows_which_solvers_use_each_option_and_its_default()
    {
        Assert.Equal(Solvers.Sgd, TrainingOptionTable.Get(nameof(TrainingOptions.Dropout)).AppliesTo);
        Assert.Equal(Solvers.FullBatch, TrainingOptionTable.Get(nameof(TrainingOptions.MaxIterations)).AppliesTo);
        Assert.Equal(["Dropout", "BatchSize"], TrainingOptionTable.IgnoredBy(Solver.Cg, ["Dropout", "Lambda", "BatchSize", "Seed"]).Select(s => s.Property));
        Assert.Empty(TrainingOptionTable.IgnoredBy(Solver.Sgd, ["Dropout", "Lambda"]));
        Assert.Equal("0.9", TrainingOptionTable.Get(nameof(TrainingOptions.Momentum)).DefaultText);
        Assert.Equal("validation-cost", TrainingOptionTable.Get(nameof(TrainingOptions.Monitor)).DefaultText);
        Assert.Equal("cg or lbfgs", TrainingOptionTable.SolverNames(Solvers.FullBatch));
        Assert.All(TrainingOptionTable.All, s => Assert.False(string.IsNullOrWhiteSpace(s.Help)));
    }
}

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

    [Fact]
    public void Intervals_say_and_check_their_ends()
    {
        Assert.Equal("a number in (0, 1]", Interval.Reals(0, 1, Closed.Right).Allowed);
        Assert.False(Interval.Reals(0, 1, Closed.Right).Allows(0));
        Assert.True(Interval.Reals(0, 1, Closed.Right).Allows(1));
        Assert.Equal("a rate in [0, 1)", Interval.Reals(0, 1, Closed.Left, noun: "rate").Allowed);
        Assert.True(Interval.Reals(0, 1, Closed.Left).Allows(0));
        Assert.False(Interval.Reals(0, 1, Closed.Left).Allows(1));
        Assert.Equal("a number in [0, 1]", Interval.Reals(0, 1, Closed.Both).Allowed);
        Assert.True(Interval.Reals(0, 1, Closed.Both).Allows(1));
        Assert.Equal("a number strictly between 0 and 1", Interval.Reals(0, 1, Closed.Neither).Allowed);
        Assert.Equal("a finite number > 0", Interval.Reals(0, null, Closed.Neither).Allowed);
        Assert.Equal("a finite number >= 0 (0 = off)", Interval.Reals(0, null, Closed.Left, note: " (0 = off)").Allowed);
        Assert.Equal("a finite number <= 2", Interval.Reals(null, 2, Closed.Right).Allowed);
        Assert.False(Interval.Reals(0, null, Closed.Left).Allows(double.PositiveInfinity));
        Assert.False(Interval.Reals(null, null, Closed.Both).Allows(double.NaN));
        Assert.Equal("an integer in 1..1000000", Interval.Integers(1, 1_000_000).Allowed);
        Assert.Equal("an integer >= 1", Interval.Integers(1).Allowed);
        Assert.False(Interval.Integers(1, 3).Allows(1.5));
        Assert.True(Interval.Integers(1, 3).Allows(3));
        Assert.False(Interval.Integers(1, 3).Allows(4));
    }

    // Every interval row of the table, set just outside each end it has, is refused by Validate naming
    // the property and the row's own words; just inside passes. Nothing here repeats a range by hand.
    [Fact]
    public void The_table_drives_validation_for_every_interval_row()
    {
        int checkedEnds = 0;
        foreach (OptionSpec spec in TrainingOptionTable.All)
        {
            if (spec.Constraint is not Interval interval)
            {
                continue;
            }

            foreach ((double? end, bool closed, double direction) in new[] { (interval.Min, interval.Ends is Closed.Left or Closed.Both, -1.0), (interval.Max, interval.Ends is Closed.Right or Closed.Both, 1.0) })
            {
                if (end is not { } e || (interval.IsInteger && Math.Abs(e) >= int.MaxValue))
                {
                    continue;
                }

                double outside = interval.IsInteger ? e + direction : closed ? e + (direction * 1e-9) : e;
                var ex = Assert.Throws<OptionOutOfRangeException>(() => spec.Parse(new TrainingOptions(), Text(outside, interval)).Validate());
                Assert.Equal(spec.Property, ex.Option);
                Assert.Equal(interval.Allowed, ex.Allowed);
                if (closed && spec.Property != nameof(TrainingOptions.WarmupEpochs))
                {
                    spec.Parse(new TrainingOptions(), Text(e, interval)).Validate();
                }

                checkedEnds++;
            }
        }

        Assert.True(checkedEnds >= 15, $"only {checkedEnds} interval ends in the table");
    }

    [Fact]
    public void The_table_drives_validation_for_non_finite_numbers_lists_and_choices()
    {
        var inf = Assert.Throws<OptionOutOfRangeException>(() => new TrainingOptions { Lambda = double.PositiveInfinity }.Validate());
        Assert.Equal("got ∞, expected a finite number >= 0", inf.Detail.Replace("Infinity", "∞"));
        var nan = Assert.Throws<OptionOutOfRangeException>(() => new TrainingOptions { Momentum = double.NaN }.Validate());
        Assert.Equal(nameof(TrainingOptions.Momentum), nan.Option);

        var empty = Assert.Throws<OptionOutOfRangeException>(() => new TrainingOptions { Hidden = [] }.Validate());
        Assert.Equal(nameof(TrainingOptions.Hidden), empty.Option);
        Assert.Equal("a comma-separated list of 1..999 layer sizes, each in 1..100000", empty.Allowed);
        Assert.Equal(nameof(TrainingOptions.Hidden), Assert.Throws<OptionOutOfRangeException>(() => new TrainingOptions { Hidden = [25, 100_001] }.Validate()).Option);

        var schedule = Assert.Throws<OptionOutOfRangeException>(() => new TrainingOptions { Schedule = (ScheduleKind)7 }.Validate());
        Assert.Equal(nameof(TrainingOptions.Schedule), schedule.Option);
        Assert.Equal("got 7, expected constant, step or cosine", schedule.Detail);
        var monitor = Assert.Throws<OptionOutOfRangeException>(() => new TrainingOptions { Monitor = (EarlyStoppingMetric)9 }.Validate());
        Assert.Equal(nameof(TrainingOptions.Monitor), monitor.Option);
        var choices = Assert.IsType<ChoiceSet>(TrainingOptionTable.Get(nameof(TrainingOptions.Optimizer)).Constraint);
        Assert.Equal(["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop"], choices.Names);
    }

    [Fact]
    public void The_tables_default_is_the_options_default()
    {
        Assert.All(TrainingOptionTable.All, s => Assert.Equal(s.Text(new TrainingOptions()), s.DefaultText));
        Assert.Equal(0.9, TrainingOptionTable.Get(nameof(TrainingOptions.Momentum)).Default);
        Assert.Equal("constant", TrainingOptionTable.Get(nameof(TrainingOptions.Schedule)).Default);
    }

    private static string Text(double value, Interval interval)
        => interval.IsInteger ? ((long)value).ToString(System.Globalization.CultureInfo.InvariantCulture) : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

using AnnLab.Optimization;

namespace AnnLab.Tests.Optimization;

public class LearningRateScheduleTests
{
    [Fact]
    public void Constant_gives_the_same_rate_in_every_epoch()
    {
        var schedule = new ConstantSchedule(0.1);

        Assert.Equal(0.1, schedule.Rate(0, 10));
        Assert.Equal(0.1, schedule.Rate(5, 10));
        Assert.Equal(0.1, schedule.Rate(9, 10));
    }

    [Fact]
    public void Step_multiplies_by_gamma_every_step_size_epochs()
    {
        // 1 * 0.5^floor(e / 3): epochs 0-2 1, 3-5 0.5, 6-8 0.25, 9 0.125.
        var schedule = new StepSchedule(1, stepSize: 3, gamma: 0.5);

        Assert.Equal(
            [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125],
            Enumerable.Range(0, 10).Select(e => schedule.Rate(e, 10)));
    }

    [Fact]
    public void Step_default_gamma_is_PyTorchs()
    {
        var schedule = new StepSchedule(0.1, stepSize: 2);

        Assert.Equal(0.1, schedule.Gamma);
        Assert.Equal(0.001, schedule.Rate(4, 5), 1e-15); // 0.1 * 0.1^2
    }

    [Fact]
    public void Cosine_anneals_from_the_base_rate_toward_the_minimum()
    {
        // (1 + cos(pi e / 4)) / 2 for e = 0..3: 1, (1 + 1/sqrt 2) / 2 = 0.853553390593..., 1/2, (1 - 1/sqrt 2) / 2 = 0.146446609406...
        var schedule = new CosineSchedule(1, 0);

        double[] rates = [.. Enumerable.Range(0, 4).Select(e => schedule.Rate(e, 4))];

        Assert.Equal(1, rates[0], 1e-15);
        Assert.Equal(0.8535533905932737, rates[1], 1e-15);
        Assert.Equal(0.5, rates[2], 1e-15);
        Assert.Equal(0.1464466094067262, rates[3], 1e-15);
    }

    [Fact]
    public void Cosine_with_a_floor()
    {
        // Halfway: 0.001 + (0.1 - 0.001) * (1 + cos(pi/2)) / 2 = 0.001 + 0.099 / 2 = 0.0505.
        var schedule = new CosineSchedule(0.1, 0.001);

        Assert.Equal(0.1, schedule.Rate(0, 10), 1e-15);
        Assert.Equal(0.0505, schedule.Rate(5, 10), 1e-15);
        Assert.InRange(schedule.Rate(9, 10), 0.001, 0.0035); // 0.001 + 0.099 (1 - cos(pi/10)) / 2 = 0.00342
    }

    [Fact]
    public void Warmup_rises_linearly_to_a_constant_rate()
    {
        // 0.1 (e + 1) / 4 while e < 4: 0.025, 0.05, 0.075, 0.1; then 0.1.
        var schedule = new WarmupSchedule(new ConstantSchedule(0.1), 4);

        double[] rates = [.. Enumerable.Range(0, 6).Select(e => schedule.Rate(e, 6))];

        Assert.Equal([0.025, 0.05, 0.075, 0.1, 0.1, 0.1], rates, (a, b) => Math.Abs(a - b) <= 1e-15);
    }

    [Fact]
    public void Warmup_multiplies_the_inner_schedule_without_shifting_it()
    {
        // Inner: step 1 * 0.5^floor(e / 2) = 1, 1, 0.5, 0.5, 0.25. Warm-up of 3: times 1/3, 2/3, 3/3, then 1.
        var schedule = new WarmupSchedule(new StepSchedule(1, stepSize: 2, gamma: 0.5), 3);

        double[] rates = [.. Enumerable.Range(0, 5).Select(e => schedule.Rate(e, 5))];

        Assert.Equal([1.0 / 3, 2.0 / 3, 0.5, 0.5, 0.25], rates, (a, b) => Math.Abs(a - b) <= 1e-15);
    }

    [Fact]
    public void Warmup_over_cosine()
    {
        // Inner over 4 epochs: 1, 0.85355..., 0.5, 0.14645...; warm-up of 2 halves epoch 0 only.
        var schedule = new WarmupSchedule(new CosineSchedule(1), 2);

        Assert.Equal(0.5, schedule.Rate(0, 4), 1e-15);
        Assert.Equal(0.8535533905932737, schedule.Rate(1, 4), 1e-15);
        Assert.Equal(0.5, schedule.Rate(2, 4), 1e-15);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Warmup_of_zero_or_one_epoch_changes_nothing(int warmupEpochs)
    {
        var inner = new CosineSchedule(0.3, 0.01);
        var schedule = new WarmupSchedule(inner, warmupEpochs);

        for (int e = 0; e < 7; e++)
        {
            Assert.Equal(inner.Rate(e, 7), schedule.Rate(e, 7));
        }
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(10, 10)]
    [InlineData(0, 0)]
    public void Epochs_out_of_range_throw(int epoch, int totalEpochs)
    {
        ILearningRateSchedule[] schedules =
        [
            new ConstantSchedule(0.1),
            new StepSchedule(0.1, 2),
            new CosineSchedule(0.1),
            new WarmupSchedule(new ConstantSchedule(0.1), 3),
        ];

        foreach (ILearningRateSchedule schedule in schedules)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => schedule.Rate(epoch, totalEpochs));
        }
    }

    [Fact]
    public void Settings_out_of_range_throw()
    {
        Assert.Equal("baseRate", Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule(-0.1)).ParamName);
        Assert.Equal("baseRate", Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule(double.NaN)).ParamName);
        Assert.Equal("stepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new StepSchedule(0.1, 0)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new StepSchedule(0.1, 2, 0)).ParamName);
        Assert.Equal("baseRate", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(0.1, 0.2)).ParamName);
        Assert.Equal("minRate", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(0.1, -1)).ParamName);
        Assert.Equal("warmupEpochs", Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupSchedule(new ConstantSchedule(0.1), -1)).ParamName);
        Assert.Throws<ArgumentNullException>(() => new WarmupSchedule(null!, 2));
    }
}

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
        Assert.Equal("--lambda-scale: got 2, expected batch or training-set", e.Line);
    }

    [Theory]
    [InlineData("--batch-size", "0")]
    [InlineData("--learning-rate", "-0.1")]
    [InlineData("--lambda", "-1")]
    [InlineData("--hidden", "25,0")]
    [InlineData("--max-epochs", "0")]
    [InlineData("--threads", "0")]
    [InlineData("--init-epsilon", "0")]
    [InlineData("--activation", "mish")]
    public void Each_bad_option_is_named_with_value_and_range(string option, string value)
    {
        TrainingOptions o = option switch
        {
            "--batch-size" => new() { BatchSize = int.Parse(value) },
            "--learning-rate" => new() { LearningRate = double.Parse(value) },
            "--lambda" => new() { Lambda = double.Parse(value) },
            "--hidden" => new() { Hidden = value.Split(',').Select(int.Parse).ToArray() },
            "--max-epochs" => new() { MaxEpochs = int.Parse(value) },
            "--threads" => new() { Threads = int.Parse(value) },
            "--init-epsilon" => new() { InitEpsilon = double.Parse(value) },
            _ => new() { Activation = value },
        };
        var e = Assert.Throws<OptionOutOfRangeException>(() => o.Validate());
        Assert.Equal(option, e.OptionName);
        Assert.StartsWith($"{option}: got {value}, expected ", e.Line);
    }

    [Fact]
    public void Property_names_become_option_names()
    {
        Assert.Equal("--learning-rate", OptionOutOfRangeException.ToOptionName("LearningRate"));
        Assert.Equal("--samples", OptionOutOfRangeException.ToOptionName("Samples"));
    }
}

using AnnLab.Network;

namespace AnnLab.Tests.Network;

public class InitializationTests
{
    // A 784-256-10 network: layer 0 has 200,704 weights, layer 1 has 2,560. The sample standard
    // deviation of n uniform draws has a relative standard error of about sqrt(0.8 / 4n) (0.9 % for
    // n = 2,560), of n normal draws sqrt(1 / 2n) (1.4 %), so 5 % is at least 3.5 standard errors.
    private static readonly NeuralNetwork Wide = new([784, 256, 10], new Relu());

    public static TheoryData<string> Names => new(Initializers.Names);

    [Theory]
    [InlineData(0.12, 1)]
    [InlineData(0.12, 7)]
    [InlineData(0.5, 1)]
    public void Uniform_is_the_labs_Initialize_bit_for_bit(double epsilon, int seed)
    {
        var network = new NeuralNetwork([784, 25, 10], new Sigmoid());
        var expectedFloat = new float[network.ParameterCount];
        network.Initialize<float>(expectedFloat, epsilon, seed);
        var actualFloat = new float[network.ParameterCount];
        Initializers.Get("uniform", epsilon).Initialize<float>(network, actualFloat, seed);
        Assert.Equal(expectedFloat, actualFloat);

        var expectedDouble = new double[network.ParameterCount];
        network.Initialize<double>(expectedDouble, epsilon, seed);
        var actualDouble = new double[network.ParameterCount];
        new UniformInitializer(epsilon).Initialize<double>(network, actualDouble, seed);
        Assert.Equal(expectedDouble, actualDouble);
    }

    [Fact]
    public void Uniform_defaults_to_the_labs_epsilon()
    {
        var initializer = (UniformInitializer)Initializers.Get("uniform");
        Assert.Equal(0.12, initializer.Epsilon);
        Assert.Equal(0.12, new UniformInitializer().Epsilon);
    }

    [Fact]
    public void Glorot_weights_fill_plus_minus_r_with_variance_2_over_fanIn_plus_fanOut()
    {
        var parameters = new double[Wide.ParameterCount];
        Initializers.Get("glorot").Initialize<double>(Wide, parameters, seed: 1);
        for (int l = 0; l < Wide.LayerCount; l++)
        {
            double r = Math.Sqrt(6.0 / (Wide.FanIn(l) + Wide.FanOut(l)));  // 0.0760 and 0.1502
            Assert.Equal(r, GlorotUniformInitializer.Limit(Wide, l), 1e-15);
            double[] w = Wide.Weights<double>(parameters, l).ToArray();
            Assert.All(w, v => Assert.InRange(v, -r, r));
            Assert.True(w.Max() > 0.99 * r && w.Min() < -0.99 * r, $"layer {l}: weights in [{w.Min()}, {w.Max()}], r = {r}");
            (double mean, double sd) = MeanAndStandardDeviation(w);
            double target = Math.Sqrt(2.0 / (Wide.FanIn(l) + Wide.FanOut(l)));  // r / sqrt 3
            Assert.True(Math.Abs(sd - target) < 0.05 * target, $"layer {l}: standard deviation {sd}, target {target}");
            Assert.True(Math.Abs(mean) < 4 * target / Math.Sqrt(w.Length), $"layer {l}: mean {mean}");
            Assert.All(Wide.Biases<double>(parameters, l).ToArray(), b => Assert.Equal(0.0, b));
        }
    }

    [Fact]
    public void He_weights_are_normal_with_variance_2_over_fanIn()
    {
        var parameters = new double[Wide.ParameterCount];
        Initializers.Get("he").Initialize<double>(Wide, parameters, seed: 1);
        for (int l = 0; l < Wide.LayerCount; l++)
        {
            double target = Math.Sqrt(2.0 / Wide.FanIn(l));  // 0.0505 and 0.0884
            Assert.Equal(target, HeNormalInitializer.StandardDeviation(Wide, l), 1e-15);
            double[] w = Wide.Weights<double>(parameters, l).ToArray();
            (double mean, double sd) = MeanAndStandardDeviation(w);
            Assert.True(Math.Abs(sd - target) < 0.05 * target, $"layer {l}: standard deviation {sd}, target {target}");
            Assert.True(Math.Abs(mean) < 4 * target / Math.Sqrt(w.Length), $"layer {l}: mean {mean}");
            Assert.All(Wide.Biases<double>(parameters, l).ToArray(), b => Assert.Equal(0.0, b));
        }

        // Normal, not uniform: 68.27 % within one standard deviation (standard error 0.1 % for
        // 200,704 draws; a uniform with that variance would give 57.7 %), none beyond 6.
        double[] w0 = Wide.Weights<double>(parameters, 0).ToArray();
        double sd0 = Math.Sqrt(2.0 / 784);
        double withinOne = w0.Count(v => Math.Abs(v) < sd0) / (double)w0.Length;
        Assert.InRange(withinOne, 0.6727, 0.6927);
        Assert.All(w0, v => Assert.True(Math.Abs(v) < 6 * sd0));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Same_seed_gives_the_same_numbers_and_another_seed_others(string name)
    {
        IInitializer initializer = Initializers.Get(name);
        var first = new float[Wide.ParameterCount];
        var second = new float[Wide.ParameterCount];
        var other = new float[Wide.ParameterCount];
        initializer.Initialize<float>(Wide, first, seed: 3);
        Initializers.Get(name).Initialize<float>(Wide, second, seed: 3);
        initializer.Initialize<float>(Wide, other, seed: 4);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Float_parameters_are_the_double_ones_rounded(string name)
    {
        IInitializer initializer = Initializers.Get(name);
        var network = new NeuralNetwork([20, 7, 3], new Tanh());
        var f = new float[network.ParameterCount];
        var d = new double[network.ParameterCount];
        initializer.Initialize<float>(network, f, seed: 5);
        initializer.Initialize<double>(network, d, seed: 5);
        Assert.Equal(d.Select(v => (float)v), f);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_parameter_is_written(string name)
    {
        // Odd weight counts (9 and 3) leave the he initializer half a Box-Muller pair at each layer's end.
        var network = new NeuralNetwork([3, 3, 1], new Relu());
        var parameters = Enumerable.Repeat(double.NaN, network.ParameterCount).ToArray();
        Initializers.Get(name).Initialize<double>(network, parameters, seed: 1);
        Assert.All(parameters, v => Assert.True(double.IsFinite(v)));
        Assert.All(network.Weights<double>(parameters, 1).ToArray(), v => Assert.NotEqual(0.0, v));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Names_in_the_table_match_the_initializers_and_ignore_case(string name)
    {
        Assert.Equal(name, Initializers.Get(name).Name);
        Assert.Equal(name, Initializers.Get(name.ToUpperInvariant()).Name);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Wrong_length_is_an_error(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => Initializers.Get(name).Initialize<float>(Wide, new float[10], seed: 1));
        Assert.Contains(Wide.ParameterCount.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.12)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Uniform_needs_a_finite_positive_epsilon(double epsilon)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.Get("uniform", epsilon));
        Assert.Equal("epsilon", e.ParamName);
    }

    [Fact]
    public void Glorot_and_he_ignore_epsilon()
    {
        var a = new float[Wide.ParameterCount];
        var b = new float[Wide.ParameterCount];
        Initializers.Get("he", 0.5).Initialize<float>(Wide, a, 1);
        Initializers.Get("he").Initialize<float>(Wide, b, 1);
        Assert.Equal(a, b);
        Initializers.Get("glorot", double.NaN).Initialize<float>(Wide, a, 1);
        Initializers.Get("glorot").Initialize<float>(Wide, b, 1);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Unknown_name_lists_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => Initializers.Get("xavier"));
        Assert.Contains("xavier", e.Message);
        Assert.Contains("uniform, glorot, he", e.Message);
        Assert.Equal("name", e.ParamName);
    }

    private static (double Mean, double StandardDeviation) MeanAndStandardDeviation(double[] values)
    {
        double mean = values.Average();
        double sumOfSquares = values.Sum(v => (v - mean) * (v - mean));
        return (mean, Math.Sqrt(sumOfSquares / (values.Length - 1)));
    }
}

using AnnLab.Network;

namespace AnnLab.Tests.Network;

public class ActivationTests
{
    public static TheoryData<string> Names => new(Activations.Names);

    [Theory]
    [InlineData(88f)]
    [InlineData(-88f)]
    [InlineData(89f)]
    [InlineData(-89f)]
    [InlineData(1000f)]
    [InlineData(-1000f)]
    public void Sigmoid_stays_in_0_1_without_NaN_in_float_and_double(float z)
    {
        var f = new float[1];
        new Sigmoid().Forward<float>([z], f);
        var d = new double[1];
        new Sigmoid().Forward<double>([z], d);
        Assert.InRange(f[0], 0f, 1f);
        Assert.InRange(d[0], 0.0, 1.0);
        Assert.False(float.IsNaN(f[0]));
        Assert.False(double.IsNaN(d[0]));
    }

    [Fact]
    public void Sigmoid_of_plus_and_minus_1000_is_exactly_1_and_0()
    {
        var f = new float[2];
        new Sigmoid().Forward<float>([1000f, -1000f], f);
        Assert.Equal(1f, f[0]);
        Assert.Equal(0f, f[1]);
        var d = new double[2];
        new Sigmoid().Forward<double>([1000.0, -1000.0], d);
        Assert.Equal(1.0, d[0]);
        Assert.Equal(0.0, d[1]);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Vector_forms_agree_with_scalar_forms(string name)
    {
        IActivation g = Activations.Get(name);
        double[] z = [-3, -1.5, -0.25, 0.3, 1, 2.5];
        var a = new double[z.Length];
        g.Forward<double>(z, a);
        var delta = Enumerable.Repeat(2.0, z.Length).ToArray();
        g.MultiplyByDerivative<double>(z, a, delta);
        for (int i = 0; i < z.Length; i++)
        {
            Assert.Equal(g.Value(z[i]), a[i], 1e-12);
            Assert.Equal(2 * g.Derivative(z[i]), delta[i], 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Scalar_derivative_matches_central_differences(string name)
    {
        IActivation g = Activations.Get(name);
        foreach (double z in new[] { -2.0, -0.7, 0.4, 1.9 })
        {
            double numeric = (g.Value(z + 1e-6) - g.Value(z - 1e-6)) / 2e-6;
            Assert.Equal(numeric, g.Derivative(z), 1e-8);
        }
    }

    [Fact]
    public void Known_values()
    {
        Assert.Equal(0.5, new Sigmoid().Value(0), 15);
        Assert.Equal(0.25, new Sigmoid().Derivative(0), 15);
        Assert.Equal(-0.02, new LeakyRelu().Value(-2), 15);
        Assert.Equal(Math.Exp(-1) - 1, new Elu().Value(-1), 15);
        Assert.Equal(0.0, new Relu().Value(-3));
        Assert.Equal(1 - (Math.Tanh(0.5) * Math.Tanh(0.5)), new Tanh().Derivative(0.5), 15);
    }

    [Fact]
    public void Unknown_name_lists_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => Activations.Get("swishy"));
        Assert.Contains("swishy", e.Message);
        Assert.Contains("sigmoid, tanh, relu, leaky-relu, elu", e.Message);
    }
}

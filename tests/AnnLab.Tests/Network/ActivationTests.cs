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

    [Theory]
    [MemberData(nameof(Names))]
    public void Vector_forms_agree_with_scalar_forms_at_every_chunk_boundary(string name)
    {
        // 256 is the stack buffer of the chunked vector forms; the others are tails and odd sizes.
        IActivation g = Activations.Get(name);
        foreach (int n in new[] { 0, 1, 7, 255, 256, 257, 1000 })
        {
            double[] z = Enumerable.Range(0, n).Select(i => -6 + (12.0 * i / Math.Max(1, n - 1)) + 1e-3).ToArray();
            var a = new double[n];
            g.Forward<double>(z, a);
            var delta = Enumerable.Range(0, n).Select(i => 1.0 + (i % 3)).ToArray();
            g.MultiplyByDerivative<double>(z, a, delta);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(g.Value(z[i]), a[i], 1e-12);
                Assert.Equal((1.0 + (i % 3)) * g.Derivative(z[i]), delta[i], 1e-12);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Float_vector_forms_agree_with_the_double_scalar_forms(string name)
    {
        IActivation g = Activations.Get(name);
        float[] z = Enumerable.Range(0, 300).Select(i => -6f + (0.04f * i) + 1e-3f).ToArray();
        var a = new float[z.Length];
        g.Forward<float>(z, a);
        var delta = Enumerable.Repeat(1f, z.Length).ToArray();
        g.MultiplyByDerivative<float>(z, a, delta);
        for (int i = 0; i < z.Length; i++)
        {
            double value = g.Value(z[i]), derivative = g.Derivative(z[i]);
            Assert.True(Math.Abs(a[i] - value) <= 1e-6 * (1 + Math.Abs(value)), $"{name}({z[i]}): float {a[i]}, double {value}");
            Assert.True(Math.Abs(delta[i] - derivative) <= 1e-6 * (1 + Math.Abs(derivative)), $"{name}'({z[i]}): float {delta[i]}, double {derivative}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_works_in_place(string name)
    {
        IActivation g = Activations.Get(name);
        double[] z = Enumerable.Range(0, 600).Select(i => -5 + (0.017 * i)).ToArray();
        var separate = new double[z.Length];
        g.Forward<double>(z, separate);
        double[] inPlace = (double[])z.Clone();
        g.Forward<double>(inPlace, inPlace);
        Assert.Equal(separate, inPlace);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Values_and_derivatives_stay_finite_at_plus_and_minus_1000(string name)
    {
        IActivation g = Activations.Get(name);
        float[] zf = [1000f, -1000f, 0f];
        var af = new float[3];
        g.Forward<float>(zf, af);
        float[] df = [1f, 1f, 1f];
        g.MultiplyByDerivative<float>(zf, af, df);
        double[] zd = [1000.0, -1000.0, 0.0];
        var ad = new double[3];
        g.Forward<double>(zd, ad);
        double[] dd = [1.0, 1.0, 1.0];
        g.MultiplyByDerivative<double>(zd, ad, dd);
        Assert.All(af.Concat(df), v => Assert.True(float.IsFinite(v), $"{name}: {v}"));
        Assert.All(ad.Concat(dd), v => Assert.True(double.IsFinite(v), $"{name}: {v}"));
        Assert.All(zd, z => Assert.True(double.IsFinite(g.Value(z)) && double.IsFinite(g.Derivative(z)), $"{name} at {z}"));
    }

    // Expected values in the tests below are mpmath at 40 digits, rounded to double
    // (e.g. mpmath.log1p(mpmath.exp(-40)), mpmath.ncdf(1)).
    [Fact]
    public void Softplus_known_values()
    {
        var g = new Softplus();
        Assert.Equal(Math.Log(2), g.Value(0), 1e-15);
        Assert.Equal(0.5, g.Derivative(0), 1e-15);
        Assert.Equal(3.048587351573742, g.Value(3), 1e-14);
        Assert.Equal(0.04858735157374206, g.Value(-3), 1e-16);
        Assert.Equal(4.248354255291589e-18, g.Value(-40), 1e-32);  // log1p, not log(1 + x), which gives 0
        Assert.Equal(800.0, g.Value(800));
        double atMinus800 = g.Value(-800);
        Assert.True(double.IsFinite(atMinus800) && atMinus800 >= 0 && atMinus800 < 1e-300, $"softplus(-800) = {atMinus800}");
        Assert.Equal(1.0, g.Derivative(800));
        Assert.Equal(0.0, g.Derivative(-800));
    }

    [Fact]
    public void Softplus_vector_forms_handle_extremes_in_float_and_double()
    {
        var g = new Softplus();
        var f = new float[3];
        g.Forward<float>([800f, -800f, -40f], f);
        Assert.Equal(800f, f[0]);
        Assert.Equal(0f, f[1]);
        Assert.Equal(4.248354255291589e-18, f[2], 1e-24);
        var d = new double[3];
        g.Forward<double>([800.0, -800.0, -40.0], d);
        Assert.Equal(800.0, d[0]);
        Assert.Equal(0.0, d[1]);
        Assert.Equal(4.248354255291589e-18, d[2], 1e-32);
    }

    [Fact]
    public void Swish_known_values()
    {
        var g = new Swish();
        Assert.Equal(0.7310585786300049, g.Value(1), 1e-15);
        Assert.Equal(-0.2689414213699951, g.Value(-1), 1e-15);
        Assert.Equal(-4.122307236380407e-08, g.Value(-20), 1e-22);
        Assert.Equal(0.0, g.Value(0));
        Assert.Equal(0.5, g.Derivative(0), 1e-15);
    }

    [Fact]
    public void Silu_is_an_alias_of_swish_that_model_files_never_store()
    {
        Assert.IsType<Swish>(Activations.Get("silu"));
        Assert.IsType<Swish>(Activations.Get("SiLU"));
        Assert.Equal("swish", Activations.Get("silu").Name);
        Assert.DoesNotContain("silu", Activations.Names);
        Assert.True(Activations.TryGet("silu", out IActivation? a));
        Assert.IsType<Swish>(a);
        Assert.False(Activations.TryGet("swishy", out _));
        Assert.False(Activations.TryGet(null, out _));
    }

    [Fact]
    public void Gelu_known_values()
    {
        var g = new Gelu();
        Assert.Equal(0.8413447460685429, g.Value(1), 1e-15);
        Assert.Equal(-0.15865525393145705, g.Value(-1), 1e-15);
        // Phi from erfc keeps the left tail (1 + erf would give 0 or noise). Relative tolerance 1e-13: the
        // rounding of z / sqrt 2 is amplified 2 (z / sqrt 2)^2 = 100 times by erfc's slope there.
        Assert.Equal(-7.619853024160526e-23, g.Value(-10), 1e-35);
        Assert.Equal(0.0, g.Value(0));
        Assert.Equal(0.5, g.Derivative(0), 1e-15);
        Assert.Equal(1.0833154705876864, g.Derivative(1), 1e-15);
        Assert.Equal(-0.0852318010781969, g.Derivative(-2), 1e-15);
    }

    [Fact]
    public void Selu_known_values()
    {
        var g = new Selu();
        Assert.Equal(-1.1113307378125628, g.Value(-1), 1e-15);
        Assert.Equal(Selu.Lambda, g.Value(1), 1e-15);
        Assert.Equal(0.0, g.Value(0));
        Assert.Equal(-1.7580993407594719e-10, g.Value(-1e-10), 1e-24);
        Assert.Equal(0.6467686030348141, g.Derivative(-1), 1e-15);
        Assert.Equal(Selu.Lambda, g.Derivative(2));
        Assert.Equal(-Selu.Lambda * Selu.Alpha, g.Value(-1000), 1e-15);
    }

    [Fact]
    public void Identity_known_values()
    {
        var g = new Identity();
        Assert.Equal(3.5, g.Value(3.5));
        Assert.Equal(-2.0, g.Value(-2));
        Assert.Equal(1.0, g.Derivative(-7));
        var delta = new float[] { 0.5f, -2f };
        g.MultiplyByDerivative<float>([1f, 2f], [1f, 2f], delta);
        Assert.Equal([0.5f, -2f], delta);
    }

    // erf and erfc: mpmath.erf / mpmath.erfc at 40 digits, rounded to double. Cody's approximation is
    // good to about 1 ulp; the tolerance 1e-15 is 100 times tighter than the brief's 1e-14.
    [Theory]
    [InlineData(0.5, 0.5204998778130465, 0.4795001221869535)]
    [InlineData(1.0, 0.8427007929497149, 0.15729920705028513)]
    [InlineData(2.0, 0.9953222650189527, 0.004677734981047266)]
    [InlineData(-1.0, -0.8427007929497149, 1.8427007929497148)]
    [InlineData(3.0, 0.9999779095030014, 2.209049699858544e-05)]
    [InlineData(0.1, 0.1124629160182849, 0.8875370839817152)]
    [InlineData(0.46875, 0.49261347321793797, 0.507386526782062)]
    [InlineData(-0.46875, -0.49261347321793797, 1.492613473217938)]
    [InlineData(4.0, 0.9999999845827421, 1.541725790028002e-08)]
    [InlineData(-4.5, -0.9999999998033839, 1.999999999803384)]
    [InlineData(1e-10, 1.1283791670955126e-10, 0.999999999887162)]
    [InlineData(6.0, 1.0, 2.1519736712498913e-17)]
    public void Erf_and_erfc_known_values(double x, double erf, double erfc)
    {
        Assert.Equal(erf, SpecialFunctions.Erf(x), 1e-15);
        Assert.Equal(erfc, SpecialFunctions.Erfc(x), 1e-15);
        Assert.Equal(1.0, SpecialFunctions.Erf(x) + SpecialFunctions.Erfc(x), 1e-15);
    }

    [Theory]
    [InlineData(5.0, 1.537459794428035e-12)]
    [InlineData(10.0, 2.088487583762545e-45)]
    [InlineData(20.0, 5.395865611607901e-176)]
    [InlineData(26.0, 5.663192408856143e-296)]
    [InlineData(-3.0, 1.9999779095030015)]
    public void Erfc_keeps_its_relative_accuracy_in_the_tail(double x, double erfc)
    {
        double relative = Math.Abs(SpecialFunctions.Erfc(x) - erfc) / erfc;
        Assert.True(relative < 2e-15, $"erfc({x}) = {SpecialFunctions.Erfc(x):R}, expected {erfc:R}, relative error {relative:E2}");
    }

    [Fact]
    public void Erf_is_odd_and_handles_special_values()
    {
        foreach (double x in new[] { 1e-300, 0.3, 0.46875, 0.9, 2.7, 4.0, 5.5, 27.0 })
        {
            Assert.Equal(-SpecialFunctions.Erf(x), SpecialFunctions.Erf(-x));
            Assert.Equal(2.0 - SpecialFunctions.Erfc(x), SpecialFunctions.Erfc(-x), 1e-15);
        }

        Assert.Equal(0.0, SpecialFunctions.Erf(0));
        Assert.Equal(1.0, SpecialFunctions.Erf(double.PositiveInfinity));
        Assert.Equal(-1.0, SpecialFunctions.Erf(double.NegativeInfinity));
        Assert.Equal(0.0, SpecialFunctions.Erfc(double.PositiveInfinity));
        Assert.Equal(2.0, SpecialFunctions.Erfc(double.NegativeInfinity));
        Assert.True(double.IsNaN(SpecialFunctions.Erf(double.NaN)));
        Assert.True(double.IsNaN(SpecialFunctions.Erfc(double.NaN)));
    }

    [Fact]
    public void Log1P_and_ExpM1_keep_small_arguments()
    {
        // .NET's double.LogP1 and ExpM1 return 0 for these.
        Assert.Equal(1e-20, SpecialFunctions.Log1P(1e-20));
        Assert.Equal(1e-20, SpecialFunctions.ExpM1(1e-20));
        Assert.Equal(9.9999999995e-11, SpecialFunctions.Log1P(1e-10), 1e-25);
        Assert.Equal(1.00000000005e-10, SpecialFunctions.ExpM1(1e-10), 1e-25);
        Assert.Equal(-9.999950000166666e-06, SpecialFunctions.ExpM1(-1e-5), 1e-20);
        Assert.Equal(-Math.Log(2), SpecialFunctions.Log1P(-0.5), 1e-15);
        Assert.Equal(1e-10f, SpecialFunctions.Log1P(1e-10f));
        Assert.Equal(1e-10f, SpecialFunctions.ExpM1(1e-10f));
        Assert.Equal(-1.0, SpecialFunctions.ExpM1(-800.0));
        Assert.Equal(double.PositiveInfinity, SpecialFunctions.ExpM1(800.0));
        Assert.Equal(double.PositiveInfinity, SpecialFunctions.Log1P(double.PositiveInfinity));
        Assert.Equal(double.NegativeInfinity, SpecialFunctions.Log1P(-1.0));
    }

    [Fact]
    public void Unknown_name_lists_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => Activations.Get("swishy"));
        Assert.Contains("swishy", e.Message);
        Assert.Contains("sigmoid, tanh, relu, leaky-relu, elu, softplus, swish, gelu, selu, identity", e.Message);
        Assert.Contains("silu", e.Message);
    }
}

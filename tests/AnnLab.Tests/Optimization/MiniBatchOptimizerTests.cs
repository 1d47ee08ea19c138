using AnnLab.Optimization;

namespace AnnLab.Tests.Optimization;

public class MiniBatchOptimizerTests
{
    private const double LearningRate = 0.1;

    private static readonly float[] Start = [1.0f, -2.0f, 0.5f, 3.0f, -1.5f];

    private static readonly float[][] Gradients =
    [
        [0.1f, -0.2f, 0.3f, -0.4f, 0.5f],
        [-0.3f, 0.1f, 0.2f, 0.5f, -0.1f],
        [0.2f, 0.4f, -0.1f, 0.0f, 0.3f],
    ];

    // AdamW in the fixture: weight decay 0.1 on parameters 0, 1 and 3 only.
    private static readonly bool[] DecayMask = [true, true, false, true, false];

    // After three steps with learning rate 0.1, computed in float64 by NumPy 1.24.2 (python3):
    //   import numpy as np
    //   p0 = np.array([1.0, -2.0, 0.5, 3.0, -1.5]); lr = 0.1
    //   G = [np.array([0.1, -0.2, 0.3, -0.4, 0.5]), np.array([-0.3, 0.1, 0.2, 0.5, -0.1]),
    //        np.array([0.2, 0.4, -0.1, 0.0, 0.3])]
    //   def sgd():
    //       p = p0.copy()
    //       for g in G: p -= lr * g
    //       return p
    //   def momentum(nesterov, mu=0.9):
    //       p = p0.copy(); v = np.zeros(5)
    //       for g in G:
    //           v = mu * v + g
    //           p -= lr * (g + mu * v if nesterov else v)
    //       return p
    //   def adam(wd=0.0, mask=None, b1=0.9, b2=0.999, eps=1e-8):
    //       p = p0.copy(); m = np.zeros(5); v = np.zeros(5)
    //       mask = np.ones(5) if mask is None else mask
    //       for t, g in enumerate(G, 1):
    //           p -= lr * wd * p * mask
    //           m = b1 * m + (1 - b1) * g
    //           v = b2 * v + (1 - b2) * g * g
    //           mhat = m / (1 - b1**t); vhat = v / (1 - b2**t)
    //           p -= lr * mhat / (np.sqrt(vhat) + eps)
    //       return p
    //   def rmsprop(alpha=0.99, eps=1e-8):
    //       p = p0.copy(); s = np.zeros(5)
    //       for g in G:
    //           s = alpha * s + (1 - alpha) * g * g
    //           p -= lr * g / (np.sqrt(s) + eps)
    //       return p
    //   for name, val in [("sgd", sgd()), ("momentum", momentum(False)), ("nesterov", momentum(True)),
    //                     ("adam", adam()), ("adamw", adam(0.1, np.array([1.0, 1.0, 0.0, 1.0, 0.0]))),
    //                     ("rmsprop", rmsprop())]:
    //       print(name, ", ".join(repr(float(x)) for x in val))
    public static TheoryData<string, double[]> AfterThreeSteps => new()
    {
        { "sgd", [1.0, -2.03, 0.45999999999999996, 2.99, -1.57] },
        { "momentum", [1.0098999999999998, -2.0048, 0.3907, 3.0134000000000003, -1.6465] },
        { "nesterov", [1.00891, -2.0343199999999997, 0.36162999999999995, 3.0020599999999997, -1.70185] },
        { "adam", [0.9475402217659346, -1.9190994799913499, 0.24777560721131855, 3.0711475210408183, -1.7175582257981292] },
        { "adamw", [0.9193350317557337, -1.8619538169146632, 0.24777560721131855, 2.9802172533486444, -1.7175582257981292] },
        { "rmsprop", [0.4125259215239344, -2.323753029171643, -0.7872524917355921, 3.217602942523527, -2.8137433404655066] },
    };

    public static TheoryData<string> Names => new(MiniBatchOptimizers.Names);

    [Theory]
    [MemberData(nameof(AfterThreeSteps))]
    public void Three_steps_match_NumPy(string name, double[] expected)
    {
        IMiniBatchOptimizer optimizer = Create(name, Start.Length);
        float[] p = [.. Start];

        foreach (float[] g in Gradients)
        {
            optimizer.Step(p, g, LearningRate);
        }

        AssertRelative(expected, p, 1e-6);
    }

    [Theory]
    [MemberData(nameof(AfterThreeSteps))]
    public void Reset_starts_over(string name, double[] expected)
    {
        IMiniBatchOptimizer optimizer = Create(name, Start.Length);
        float[] p = [.. Start];
        optimizer.Step(p, Gradients[2], 0.5);
        optimizer.Step(p, Gradients[1], 0.5);

        optimizer.Reset();
        p = [.. Start];
        foreach (float[] g in Gradients)
        {
            optimizer.Step(p, g, LearningRate);
        }

        AssertRelative(expected, p, 1e-6);
    }

    [Fact]
    public void Adam_first_step_moves_each_parameter_by_the_learning_rate()
    {
        // t = 1: m = 0.1 g, v = 0.001 g^2, mhat = g, vhat = g^2, so p -= lr g / (|g| + 1e-8) = lr sign(g)
        // up to 1e-8 / |g|: 1 - 0.1 = 0.9, -2 + 0.1 = -1.9, whatever the size of g.
        var adam = new Adam(2);
        float[] p = [1, -2];

        adam.Step(p, [1e-3f, -50f], LearningRate);

        Assert.Equal(0.9, p[0], 1e-6);
        Assert.Equal(-1.9, p[1], 1e-6);
        Assert.Equal(1, adam.StepCount);
    }

    [Fact]
    public void RmsProp_first_step_is_ten_learning_rates()
    {
        // s = (1 - 0.99) g^2 = 0.01 g^2, sqrt(s) = 0.1 |g|, so p -= lr g / (0.1 |g|) = 10 lr sign(g): 1 - 1 = 0, 3 + 1 = 4.
        var rmsProp = new RmsProp(2);
        float[] p = [1, 3];

        rmsProp.Step(p, [0.25f, -4f], LearningRate);

        Assert.Equal(0, p[0], 1e-6);
        Assert.Equal(4, p[1], 1e-6);
    }

    [Fact]
    public void Momentum_and_Nesterov_by_hand()
    {
        // g = 1 twice, mu = 0.9, lr = 0.1, p0 = 0.
        // momentum: v1 = 1, p1 = -0.1; v2 = 0.9 + 1 = 1.9, p2 = -0.1 - 0.19 = -0.29.
        // nesterov: v1 = 1, p1 = -0.1 (1 + 0.9) = -0.19; v2 = 1.9, p2 = -0.19 - 0.1 (1 + 1.71) = -0.461.
        var momentum = new Momentum(1);
        var nesterov = new Nesterov(1);
        float[] p = [0];
        float[] q = [0];

        for (int i = 0; i < 2; i++)
        {
            momentum.Step(p, [1f], LearningRate);
            nesterov.Step(q, [1f], LearningRate);
        }

        Assert.Equal(-0.29, p[0], 1e-6);
        Assert.Equal(-0.461, q[0], 1e-6);
    }

    [Fact]
    public void AdamW_decays_only_the_masked_parameters()
    {
        // With g = 0 Adam's step is 0 / (0 + eps) = 0, so only the decay acts:
        // p *= 1 - lr lambda_w = 1 - 0.1 * 0.5 = 0.95 on the masked weight; the bias stays exactly.
        bool[] weightNotBias = [true, false];
        var adamW = new AdamW(2, weightDecay: 0.5, decayMask: weightNotBias);
        float[] p = [2, 2];

        adamW.Step(p, [0f, 0f], LearningRate);

        Assert.Equal(1.9, p[0], 1e-6);
        Assert.Equal(2f, p[1]);
    }

    [Fact]
    public void AdamW_without_a_mask_decays_every_parameter()
    {
        var adamW = new AdamW(2, weightDecay: 0.5);
        float[] p = [2, -4];

        adamW.Step(p, [0f, 0f], LearningRate);

        Assert.Equal(1.9, p[0], 1e-6);
        Assert.Equal(-3.8, p[1], 1e-6);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Vector_step_matches_a_scalar_reference_for_every_length(string name)
    {
        // TensorPrimitives goes through Vector512/256/128 blocks and a scalar tail; every length from
        // 0 to 256 exercises each path. The reference is the plain loop of each formula, in double.
        for (int n = 0; n <= 256; n++)
        {
            bool[] mask = [.. Enumerable.Range(0, n).Select(i => i % 3 != 0)];
            IMiniBatchOptimizer optimizer = Create(name, n, mask);
            var reference = new ScalarReference(name, n, mask);
            float[] p = [.. Enumerable.Range(0, n).Select(i => (float)(1 + 0.5 * Math.Sin(i)))];
            double[] expected = [.. p.Select(v => (double)v)];
            for (int t = 1; t <= 3; t++)
            {
                float[] g = [.. Enumerable.Range(0, n).Select(i => (float)Math.Cos(0.7 * i + t))];
                optimizer.Step(p, g, 0.01);
                reference.Step(expected, g, 0.01);
            }

            AssertRelative(expected, p, 1e-6);
        }
    }

    [Theory]
    [InlineData("sgd", 0.1)]
    [InlineData("momentum", 0.05)]
    [InlineData("nesterov", 0.05)]
    [InlineData("adam", 0.1)]
    [InlineData("adamw", 0.1)]
    [InlineData("rmsprop", 0.01)]
    public void Minimizes_a_quadratic(string name, double learningRate)
    {
        // f = sum a_i (p_i - c_i)^2 / 2 with curvatures a = (1, 3, 10): gradient a_i (p_i - c_i). The rates
        // are stable for the largest curvature (sgd: 0.1 * 10 = 1 < 2); in float64 each reaches the
        // minimizer to 1e-14 within 1000 steps (NumPy, same formulas). AdamW without decay, which would
        // move the fixed point away from c.
        double[] a = [1, 3, 10];
        double[] c = [1, -2, 0.5];
        IMiniBatchOptimizer optimizer = MiniBatchOptimizers.Create(name, 3, weightDecay: 0);
        float[] p = new float[3];
        float[] g = new float[3];

        for (int step = 0; step < 1000; step++)
        {
            for (int i = 0; i < 3; i++)
            {
                g[i] = (float)(a[i] * (p[i] - c[i]));
            }

            optimizer.Step(p, g, learningRate);
        }

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(c[i], p[i], 1e-5);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Steps_allocate_nothing(string name)
    {
        IMiniBatchOptimizer optimizer = Create(name, 1000, [.. Enumerable.Range(0, 1000).Select(i => i % 2 == 0)]);
        float[] p = new float[1000];
        float[] g = [.. Enumerable.Range(0, 1000).Select(i => (float)Math.Sin(i))];
        optimizer.Step(p, g, 0.01); // JIT out of the way

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            optimizer.Step(p, g, 0.01);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Create_makes_the_named_optimizer(string name)
    {
        IMiniBatchOptimizer optimizer = MiniBatchOptimizers.Create(name.ToUpperInvariant(), 4);

        Assert.Equal(name, optimizer.Name);
    }

    [Fact]
    public void Create_passes_its_constants_on()
    {
        var momentum = (Momentum)MiniBatchOptimizers.Create("momentum", 4, momentum: 0.5);
        var adamW = (AdamW)MiniBatchOptimizers.Create("adamw", 4, weightDecay: 0.2);

        Assert.Equal(0.5, momentum.Mu);
        Assert.Equal(0.2, adamW.WeightDecay);
        Assert.Equal(0.9, ((Nesterov)MiniBatchOptimizers.Create("nesterov", 4)).Mu);
        Assert.Equal(0.01, ((AdamW)MiniBatchOptimizers.Create("adamw", 4)).WeightDecay);
    }

    [Fact]
    public void An_unknown_name_lists_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => MiniBatchOptimizers.Create("adagrad", 4));

        Assert.Equal("name", e.ParamName);
        Assert.Contains("'adagrad'", e.Message, StringComparison.Ordinal);
        Assert.Contains("sgd, momentum, nesterov, adam, adamw, rmsprop", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Wrong_lengths_throw(string name)
    {
        IMiniBatchOptimizer optimizer = Create(name, 3);

        Assert.Throws<ArgumentException>(() => optimizer.Step(new float[2], new float[2], 0.1));
        Assert.Throws<ArgumentException>(() => optimizer.Step(new float[3], new float[4], 0.1));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_bad_learning_rate_throws(string name)
    {
        IMiniBatchOptimizer optimizer = Create(name, 3);

        foreach (double rate in new[] { -0.1, double.NaN, double.PositiveInfinity })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Step(new float[3], new float[3], rate));
            Assert.Equal("learningRate", e.ParamName);
        }
    }

    [Fact]
    public void Constants_out_of_range_throw()
    {
        Assert.Equal("parameterCount", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(-1)).ParamName);
        Assert.Equal("mu", Assert.Throws<ArgumentOutOfRangeException>(() => new Momentum(3, 1)).ParamName);
        Assert.Equal("mu", Assert.Throws<ArgumentOutOfRangeException>(() => new Nesterov(3, -0.1)).ParamName);
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(3, beta1: 1)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(3, beta2: double.NaN)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(3, epsilon: -1e-8)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(3, weightDecay: -0.01)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(3, alpha: 1.5)).ParamName);
        Assert.Equal("decayMask", Assert.Throws<ArgumentException>(() => new AdamW(3, decayMask: new bool[2])).ParamName);
    }

    // Weight decay 0.1 for adamw, with the fixture's mask on 5 parameters. (A null bool[] would convert to an
    // empty, non-null ReadOnlyMemory, so the mask is passed only when there is one.)
    private static IMiniBatchOptimizer Create(string name, int n, bool[]? mask = null)
    {
        mask ??= n == Start.Length ? DecayMask : null;
        return mask is null
            ? MiniBatchOptimizers.Create(name, n, weightDecay: 0.1)
            : MiniBatchOptimizers.Create(name, n, weightDecay: 0.1, decayMask: mask);
    }

    private static void AssertRelative(double[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]) / Math.Max(Math.Abs(expected[i]), 1e-30);
            Assert.True(error <= tolerance, $"element {i}: expected {expected[i]:R}, got {actual[i]:R} (relative error {error:G3})");
        }
    }

    // The update formulas as one plain loop each, in double (Kingma and Ba 2015, Algorithm 1; PyTorch's docs).
    private sealed class ScalarReference(string name, int n, bool[] mask)
    {
        private readonly double[] _m = new double[n];
        private readonly double[] _v = new double[n];
        private int _t;

        public void Step(double[] p, float[] g, double lr)
        {
            _t++;
            for (int i = 0; i < n; i++)
            {
                switch (name)
                {
                    case "sgd":
                        p[i] -= lr * g[i];
                        break;
                    case "momentum":
                        _m[i] = 0.9 * _m[i] + g[i];
                        p[i] -= lr * _m[i];
                        break;
                    case "nesterov":
                        _m[i] = 0.9 * _m[i] + g[i];
                        p[i] -= lr * (g[i] + 0.9 * _m[i]);
                        break;
                    case "adam" or "adamw":
                        if (name == "adamw" && mask[i])
                        {
                            p[i] -= lr * 0.1 * p[i];
                        }

                        _m[i] = 0.9 * _m[i] + 0.1 * g[i];
                        _v[i] = 0.999 * _v[i] + 0.001 * g[i] * g[i];
                        double mHat = _m[i] / (1 - Math.Pow(0.9, _t));
                        double vHat = _v[i] / (1 - Math.Pow(0.999, _t));
                        p[i] -= lr * mHat / (Math.Sqrt(vHat) + 1e-8);
                        break;
                    case "rmsprop":
                        _v[i] = 0.99 * _v[i] + 0.01 * g[i] * g[i];
                        p[i] -= lr * g[i] / (Math.Sqrt(_v[i]) + 1e-8);
                        break;
                    default:
                        throw new ArgumentException(name);
                }
            }
        }
    }
}

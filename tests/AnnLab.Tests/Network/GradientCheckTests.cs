using AnnLab.Network;

namespace AnnLab.Tests.Network;

public class GradientCheckTests
{
    public static TheoryData<string, string, double> Cases()
    {
        var data = new TheoryData<string, string, double>();
        foreach (string name in Activations.Names)
        {
            foreach (string output in OutputLayers.Names)
            {
                data.Add(name, output, 0);
                data.Add(name, output, 1);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backpropagation_matches_central_differences(string activation, string output, double lambda)
    {
        GradientCheckResult r = GradientCheck.Run(Activations.Get(activation), lambda, output: OutputLayers.Parse(output));
        Assert.True(r.RelativeError < 1e-7, $"{activation}, {output} output, lambda {lambda}: relative error {r.RelativeError:E2}");
    }

    [Fact]
    public void Two_hidden_layers_check_too()
    {
        GradientCheckResult r = GradientCheck.Run(new Tanh(), 1, [6, 5, 4, 3], samples: 4);
        Assert.True(r.RelativeError < 1e-7, $"relative error {r.RelativeError:E2}");
    }

    [Fact]
    public void A_described_network_with_two_activations_and_a_linear_stack_checks_too()
    {
        var network = new NeuralNetwork([2, 3], [new DenseSpec(5), new ActivationSpec(new Gelu()), new DenseSpec(4), new DenseSpec(4), new ActivationSpec(new Elu()), new DenseSpec(3)], OutputLayers.Softmax);
        GradientCheckResult r = GradientCheck.Run(network, 1, samples: 4);
        Assert.Equal("gelu/elu", r.Activation);
        Assert.True(r.RelativeError < 1e-7, $"relative error {r.RelativeError:E2}");
    }

    [Fact]
    public void Dropout_in_inference_is_the_identity()
    {
        var plain = new NeuralNetwork([6, 5, 3], new Tanh());
        var dropped = new NeuralNetwork([6], [new DenseSpec(5), new ActivationSpec(new Tanh()), new DropoutSpec(0.5), new DenseSpec(3)], OutputLayers.Sigmoid);
        var p = new double[plain.ParameterCount];
        plain.Initialize<double>(p, 1, 3);
        double[] x = [.. Enumerable.Range(0, 12).Select(i => Math.Sin(i))];
        using var a = new Backpropagation<double>(plain, 2);
        using var b = new Backpropagation<double>(dropped, 2);
        a.LoadInputs(x, [0, 2]);
        b.LoadInputs(x, [0, 2]);
        Assert.Equal(a.Forward(p, 2), b.Forward(p, 2));
        Assert.Equal(a.Outputs(2).ToArray(), b.Outputs(2).ToArray());
        var g = new double[p.Length];
        Assert.NotEqual(a.Forward(p, 2), b.AccumulateGradient(p, 2, g));
        Assert.Throws<ArgumentException>(() => GradientCheck.Run(dropped, 0));
    }
}

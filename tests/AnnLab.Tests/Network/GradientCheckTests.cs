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
}

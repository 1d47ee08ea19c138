using AnnLab.Data;
using AnnLab.Network;

namespace AnnLab.Tests.Network;

public class NetworkDescriptionTests
{
    [Fact]
    public void The_readmes_layer_list_builds_the_engine_and_its_layout()
    {
        DatasetSource source = FashionMnist.Open(TestPaths.DataDirectory);
        Dataset data = source.LoadFor(SplitKind.Lab, 10);
        var deep = new NeuralNetwork(data.Shape.Dimensions, [new DenseSpec(128), new ActivationSpec(new Relu()), new DropoutSpec(0.2), new DenseSpec(data.ClassNames.Count)], OutputLayers.Softmax);
        Assert.Equal([28, 28], deep.InputShape);
        Assert.Equal((784 * 128) + 128 + (128 * 10) + 10, deep.ParameterCount);
        Assert.Equal([true, false, true, false], deep.Layout.Segments.Select(s => s.Regularized));
        Assert.Equal("784-128-10 relu softmax dropout 0.2", deep.ToString());
        using var engine = new Backpropagation<float>(deep, 4);
        Assert.Equal(["DenseLayer`1", "ActivationLayer`1", "DropoutLayer`1", "DenseLayer`1"], engine.Layers.Select(l => l.GetType().Name));
    }

    [Fact]
    public void A_description_must_start_and_end_with_a_dense_layer()
    {
        var e = Assert.Throws<ArgumentException>(() => new NeuralNetwork([4], [new ActivationSpec(new Relu()), new DenseSpec(2)], OutputLayers.Sigmoid));
        Assert.Contains("start and end with a dense layer, got [activation, dense]", e.Message);
        Assert.Throws<ArgumentException>(() => new NeuralNetwork([4], [new DenseSpec(3), new DropoutSpec(1)], OutputLayers.Sigmoid));
        Assert.Throws<ArgumentException>(() => new NeuralNetwork([0], [new DenseSpec(3)], OutputLayers.Sigmoid));
    }
}

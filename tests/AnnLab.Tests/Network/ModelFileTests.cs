using AnnLab.Data;
using AnnLab.Network;

namespace AnnLab.Tests.Network;

public class ModelFileTests
{
    [Fact]
    public void Round_trips_every_field()
    {
        var network = new NeuralNetwork([784, 32, 16, 10], new LeakyRelu());
        var p = new float[network.ParameterCount];
        network.Initialize<float>(p, 0.12, 5);
        string path = Path.Combine(TestPaths.NewTempDirectory(), "m.annlab");
        ModelFile.Save(new Model(network, p, FashionMnist.ClassNames), path);
        Model back = ModelFile.Load(path);
        Assert.Equal([784, 32, 16, 10], back.Network.LayerSizes);
        Assert.Equal("leaky-relu", back.Network.HiddenActivation.Name);
        Assert.Equal(FashionMnist.ClassNames, back.ClassNames);
        Assert.Equal(p, back.Parameters);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void A_file_that_is_not_a_model_is_refused_with_its_name()
    {
        string path = Path.Combine(TestPaths.NewTempDirectory(), "x.annlab");
        File.WriteAllText(path, "hello world, not a model");
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("ANNLABM1", e.Message);
    }

    [Fact]
    public void A_truncated_model_is_refused()
    {
        var network = new NeuralNetwork([4, 3, 2], new Sigmoid());
        var p = new float[network.ParameterCount];
        string path = Path.Combine(TestPaths.NewTempDirectory(), "t.annlab");
        ModelFile.Save(new Model(network, p, ["a", "b"]), path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^6]);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.Contains($"expected {p.Length * 4} bytes of parameters, got {(p.Length * 4) - 6}", e.Message);
    }

    [Fact]
    public void A_failed_save_leaves_the_old_file_untouched()
    {
        var network = new NeuralNetwork([4, 3, 2], new Sigmoid());
        string path = Path.Combine(TestPaths.NewTempDirectory(), "keep.annlab");
        File.WriteAllText(path, "old");
        Assert.Throws<ArgumentException>(() => ModelFile.Save(new Model(network, new float[3], ["a", "b"]), path));
        Assert.Equal("old", File.ReadAllText(path));
    }

    [Fact]
    public void Version_2_stores_the_input_shape_and_the_layer_list()
    {
        var network = new NeuralNetwork([7, 3], [new DenseSpec(5), new ActivationSpec(new Tanh()), new DropoutSpec(0.25), new DenseSpec(4), new ActivationSpec(new Relu()), new DenseSpec(3)], OutputLayers.Softmax);
        var p = new float[network.ParameterCount];
        network.Initialize<float>(p, 0.5, 2);
        string path = Path.Combine(TestPaths.NewTempDirectory(), "v2.annlab");
        ModelFile.Save(new Model(network, p, ["a", "b", "c"]), path);
        Assert.Equal(2, BitConverter.ToInt32(File.ReadAllBytes(path), 8));
        Model back = ModelFile.Load(path);
        Assert.Equal([7, 3], back.Network.InputShape);
        Assert.Equal(["dense", "activation", "dropout", "dense", "activation", "dense"], back.Network.Layers.Select(l => l.Kind));
        Assert.Equal(0.25, Assert.IsType<DropoutSpec>(back.Network.Layers[2]).Rate);
        Assert.Equal("relu", Assert.IsType<ActivationSpec>(back.Network.Layers[4]).Function.Name);
        Assert.Equal([21, 5, 4, 3], back.Network.LayerSizes);
        Assert.Same(OutputLayers.Softmax, back.Network.Output);
        Assert.Equal(p, back.Parameters);
    }

    [Fact]
    public void A_version_1_file_still_loads()
    {
        // Version 1 as AnnLab wrote it before the layer list: sizes, hidden and output names, classes, parameters.
        string path = Path.Combine(TestPaths.NewTempDirectory(), "v1.annlab");
        float[] p = [.. Enumerable.Range(0, (3 * 2) + 2 + (2 * 2) + 2).Select(i => i * 0.25f)];
        using (var w = new BinaryWriter(File.Create(path)))
        {
            w.Write("ANNLABM1"u8);
            w.Write(1);
            w.Write(3);
            w.Write(3);
            w.Write(2);
            w.Write(2);
            foreach (string s in new[] { "tanh", "sigmoid" })
            {
                w.Write(s.Length);
                w.Write(System.Text.Encoding.UTF8.GetBytes(s));
            }

            w.Write(2);
            foreach (string s in new[] { "yes", "no" })
            {
                w.Write(s.Length);
                w.Write(System.Text.Encoding.UTF8.GetBytes(s));
            }

            w.Write(p.Length);
            foreach (float v in p)
            {
                w.Write(v);
            }
        }

        Model back = ModelFile.Load(path);
        Assert.Equal([3, 2, 2], back.Network.LayerSizes);
        Assert.Equal("tanh", back.Network.HiddenActivation.Name);
        Assert.Same(OutputLayers.Sigmoid, back.Network.Output);
        Assert.Equal(["yes", "no"], back.ClassNames);
        Assert.Equal(p, back.Parameters);
    }

    [Fact]
    public void A_non_finite_parameter_is_refused_naming_its_index()
    {
        var network = new NeuralNetwork([4, 3, 2], new Sigmoid());
        var p = new float[network.ParameterCount];
        p[7] = float.NaN;
        string path = Path.Combine(TestPaths.NewTempDirectory(), "nan.annlab");
        ModelFile.Save(new Model(network, p, ["a", "b"]), path);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("expected finite parameters, got NaN at parameter 7", e.Message);
    }

    [Fact]
    public void An_unknown_layer_kind_is_refused()
    {
        var network = new NeuralNetwork([4, 3, 2], new Sigmoid());
        string path = Path.Combine(TestPaths.NewTempDirectory(), "kind.annlab");
        ModelFile.Save(new Model(network, new float[network.ParameterCount], ["a", "b"]), path);
        byte[] bytes = File.ReadAllBytes(path);
        int at = bytes.AsSpan().IndexOf("activation"u8);
        "actuation"u8.CopyTo(bytes.AsSpan(at));
        bytes[at + 9] = (byte)'x';
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.Contains("expected a layer kind dense, activation or dropout, got 'actuationx' (layer 1)", e.Message);
    }
}

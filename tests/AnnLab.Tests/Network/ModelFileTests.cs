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
}

using AnnLab.Network;
using AnnLab.Optimization;
using AnnLab.Training;

namespace AnnLab.Tests.Network;

/// <summary>
/// The model reader under damaged files: seeded mutations of a real model file (bit flips, byte
/// changes, truncation, insertion, deletion, count fields set to edge values). Iterations from
/// ANNLAB_FUZZ_ITERATIONS (default 3000).
/// </summary>
public class ModelFileFuzzTests
{
    private static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("ANNLAB_FUZZ_ITERATIONS"), out int n) && n > 0 ? n : 3000;

    private static byte[] Original(string dir)
    {
        // Small so that most mutations land in the header, not in the parameters.
        var network = new NeuralNetwork([4, 3, 2], new Sigmoid(), OutputLayers.Softmax, inputShape: [2, 2]);
        float[] parameters = Enumerable.Range(0, network.ParameterCount).Select(i => (i - 10) * 0.125f).ToArray();
        string path = Path.Combine(dir, "original.annlab");
        ModelFile.Save(new Model(network, parameters, ["sandal", "shirt"]), path);
        return File.ReadAllBytes(path);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 4:
                    bytes.RemoveAt(at);
                    break;
                default:
                    // An int32 field (the header's counts sit at 4-byte steps after the magic) set to an edge value.
                    int field = 8 + 4 * random.Next(Math.Max(1, (Math.Min(bytes.Count, 120) - 8) / 4));
                    int[] edges = [0, 1, -1, 2, 3, 1000, 1001, 3000, 3001, int.MaxValue, int.MinValue, 10_000_000];
                    byte[] value = BitConverter.GetBytes(edges[random.Next(edges.Length)]);
                    for (int i = 0; i < 4 && field + i < bytes.Count; i++)
                    {
                        bytes[field + i] = value[i];
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    [Fact]
    public void Every_mutated_model_file_reads_back_faithfully_or_throws_InvalidDataException()
    {
        string dir = TestPaths.NewTempDirectory();
        byte[] original = Original(dir);
        var random = new Random(10);
        string path = Path.Combine(dir, "mutated.annlab");
        string again = Path.Combine(dir, "again.annlab");
        int rejected = 0, read = 0, unchanged = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] mutated = Mutate(original, random);
            File.WriteAllBytes(path, mutated);
            Model model;
            try
            {
                model = ModelFile.Load(path);
            }
            catch (InvalidDataException)
            {
                rejected++;
                continue;
            }

            // Accepted: then it is what the file says, bit for bit (saving it gives the same bytes),
            // unless the file was a version 1 file, which is saved as version 2.
            read++;
            ModelFile.Save(model, again);
            if (BitConverter.ToInt32(mutated, 8) != 1)
            {
                Assert.True(mutated.AsSpan().SequenceEqual(File.ReadAllBytes(again)), $"iteration {i}: the file {Convert.ToHexString(mutated)} read as another model, saved as {Convert.ToHexString(File.ReadAllBytes(again))}");
            }

            unchanged += mutated.AsSpan().SequenceEqual(original) ? 1 : 0;
            Assert.All(model.Parameters, p => Assert.True(float.IsFinite(p)));
        }

        Assert.Equal(Iterations, rejected + read);
        // Most damage is caught; what is read is a file whose changes fell in the parameters.
        Assert.True(rejected > Iterations / 2, $"{rejected} rejected, {read} read ({unchanged} unchanged) of {Iterations}");
        Console.WriteLine($"model file fuzz: {Iterations} mutations, {rejected} rejected, {read} read back faithfully ({unchanged} unchanged)");
    }

    [Fact]
    public void A_network_with_the_most_dense_layers_saves_and_loads_and_one_more_is_refused()
    {
        string dir = TestPaths.NewTempDirectory();
        var most = new NeuralNetwork([2, .. Enumerable.Repeat(1, NeuralNetwork.MaxWeightLayers - 1), 2], new Sigmoid());
        string path = Path.Combine(dir, "deep.annlab");
        ModelFile.Save(new Model(most, new float[most.ParameterCount], ["a", "b"]), path);
        Assert.Equal(NeuralNetwork.MaxWeightLayers, ModelFile.Load(path).Network.LayerCount);
        var error = Assert.Throws<ArgumentException>(() => new NeuralNetwork([2, .. Enumerable.Repeat(1, NeuralNetwork.MaxWeightLayers), 2], new Sigmoid()));
        Assert.Contains("a network has at most 1000 dense layers, got 1001", error.Message);
    }

    [Fact]
    public void A_model_file_claiming_ten_million_units_is_invalid_data()
    {
        string dir = TestPaths.NewTempDirectory();
        var network = new NeuralNetwork([4, 3, 3, 2], new Sigmoid());
        string path = Path.Combine(dir, "huge.annlab");
        ModelFile.Save(new Model(network, new float[network.ParameterCount], ["a", "b"]), path);
        byte[] bytes = File.ReadAllBytes(path);
        // Version 2, rank 1, dimension 4, 5 layers, "dense" (int32 5 + 5 bytes), then the units: offset 8+4+4+4+4+4+5 = 33;
        // "activation" (4 + 10), "sigmoid" (4 + 7), "dense" (4 + 5), the second units at 33+4+14+11+9 = 71.
        BitConverter.GetBytes(10_000_000).CopyTo(bytes, 33);
        BitConverter.GetBytes(10_000_000).CopyTo(bytes, 71);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.Contains("has more than 2147483647 parameters", error.Message + Convert.ToHexString(bytes));
    }

    [Fact]
    public void The_memory_check_names_the_bytes_needed_and_available()
    {
        var options = new TrainingOptions { Hidden = [40000, 40000] };
        var error = Assert.Throws<OptionOutOfRangeException>(() => NetworkSize.Check([784, 40000, 40000, 10], options, 4000, availableBytes: 8_000_000_000));
        Assert.Equal(nameof(TrainingOptions.Hidden), error.Option);
        // sgd, batch 200: parameters, the warm-up's 2, 2 row blocks, the summed gradient = 6 vectors of
        // 1,631,840,010 float32, 10 % margin; 3 x 500 x 80,794 units x 4 bytes of activations; 150 MB for the process.
        Assert.Equal((long)Math.Ceiling(1_631_840_010L * 6 * 1.1 * 4) + 3L * 500 * 80_794 * 4, NetworkSize.TrainingBytes([784, 40000, 40000, 10], options, 4000));
        Assert.Contains("the network 784-40000-40000-10 has 1631840010 parameters and needs about 43.72 GB (6 parameter-sized vectors", error.Message);
        Assert.Contains("the machine has 8 GB available", error.Message);
        NetworkSize.Check([784, 25, 10], new TrainingOptions(), 4000, availableBytes: 200_000_000);

        // Adam keeps 3 more, early stopping 1; L-BFGS its 2 x 10 pairs twice.
        Assert.Equal(10, NetworkSize.ParameterVectors(new TrainingOptions { Optimizer = MiniBatchOptimizers.Get("adam"), Patience = 1 }, 4000));
        Assert.Equal(57, NetworkSize.ParameterVectors(new TrainingOptions { Solver = Solver.Lbfgs }, 4000));
        var twice = Assert.Throws<OptionOutOfRangeException>(() => NetworkSize.Check([784, 1000, 10], new TrainingOptions(), 4000, runsAtOnce: 2, availableBytes: 200_000_000, option: "HiddenSizes"));
        Assert.Contains("2 such networks trained at once need about", twice.Message);
        Assert.Equal("HiddenSizes", twice.Option);
        NetworkSize.Check([784, 1000, 10], new TrainingOptions(), 4000, runsAtOnce: 1, availableBytes: 200_000_000);
    }
}

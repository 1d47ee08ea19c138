using System.Numerics;
using System.Text.Json;
using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Onnx;
using AnnLab.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;

namespace AnnLab.Tests.Onnx;

/// <summary>ONNX Runtime runs the exported files and must give AnnLab's own outputs.</summary>
public class OnnxExportTests
{
    /// <summary>The largest difference allowed between ONNX Runtime's and AnnLab's outputs (issue 11).</summary>
    private const double Tolerance = 1e-5;

    private const int Images = 1000;

    private static readonly Lazy<Dataset> Data = new(() => FashionMnist.Open(TestPaths.DataDirectory).Load(Images));

    private static Lazy<ImageSet> FirstImages { get; } = new(() => Data.Value.Images);

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string activation in Activations.Names)
        {
            foreach (string output in OutputLayers.Names)
            {
                data.Add(activation, output, "16");
                data.Add(activation, output, "32,16");
            }
        }

        return data;
    }

    /// <summary>A network for the data set's images with the given hidden layers, its parameters uniform in [-0.3, 0.3].</summary>
    private static Model RandomModel(IActivation activation, OutputLayer output, int[] hidden, int seed = 1, double dropout = 0)
    {
        Dataset data = Data.Value;
        var layers = new List<LayerSpec>();
        foreach (int units in hidden)
        {
            layers.Add(new DenseSpec(units));
            layers.Add(new ActivationSpec(activation));
            if (dropout > 0)
            {
                layers.Add(new DropoutSpec(dropout));
            }
        }

        layers.Add(new DenseSpec(data.ClassNames.Count));
        var network = new NeuralNetwork(data.Shape.Dimensions, layers, output);
        var parameters = new float[network.ParameterCount];
        network.Initialize<float>(parameters, epsilon: 0.3, seed);
        return new Model(network, parameters, data.ClassNames);
    }

    private static byte[] Export(Model model)
    {
        using var stream = new MemoryStream();
        OnnxExport.Write(model, stream);
        return stream.ToArray();
    }

    /// <summary>AnnLab's forward pass over the images: the inputs it used (m x InputSize), the first hidden layer's z, and the outputs (m x classes).</summary>
    internal static (float[] Inputs, float[] FirstZ, float[] Outputs) AnnLabForward(Model model, ImageSet images)
    {
        using var engine = new Backpropagation<float>(model.Network, images.Count);
        int m = engine.LoadRange(images, 0, images.Count);
        engine.Forward(model.Parameters, m);
        return (engine.Inputs(m).ToArray(), engine.PreActivations(0, m).ToArray(), engine.Outputs(m).ToArray());
    }

    /// <summary>ONNX Runtime's output for <paramref name="inputs"/> (m x width) through the model in <paramref name="onnx"/>.</summary>
    internal static float[] OnnxRuntimeOutputs(InferenceSession session, float[] inputs, int width)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, [inputs.Length / width, width]);
        string output = session.OutputMetadata.Keys.Single();
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, new Dictionary<string, OrtValue> { [OnnxExport.InputName] = input }, [output]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    internal static double MaxDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }

        return max;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Onnx_Runtime_gives_AnnLabs_outputs_on_1000_images(string activation, string output, string hidden)
    {
        Model model = RandomModel(Activations.Get(activation), OutputLayers.Parse(output), [.. hidden.Split(',').Select(int.Parse)]);
        (float[] inputs, float[] firstZ, float[] expected) = AnnLabForward(model, FirstImages.Value);

        // Both branches of the piecewise activations are exercised: z is negative and positive often.
        double negative = firstZ.Count(z => z < 0) / (double)firstZ.Length;
        Assert.InRange(negative, 0.2, 0.8);
        Assert.True(firstZ.Max() > 2 && firstZ.Min() < -2, $"first-layer z in {firstZ.Min()}..{firstZ.Max()}");

        using var session = new InferenceSession(Export(model));
        float[] actual = OnnxRuntimeOutputs(session, inputs, model.Network.InputSize);
        Assert.Equal(Images * model.Network.OutputSize, actual.Length);
        double difference = MaxDifference(expected, actual);
        Assert.True(difference <= Tolerance, $"{model.Network}: ONNX Runtime differs from AnnLab by up to {difference:E2}");

        // The outputs are not all saturated at 0 or 1, where any two sigmoids would agree.
        Assert.InRange(expected.Count(h => h > 0.01 && h < 0.99) / (double)expected.Length, 0.05, 1);
    }

    [Fact]
    public void The_tolerance_tells_an_activation_from_its_look_alike()
    {
        // If leaky-relu were exported for relu (or gelu's tanh form for its erf form), the comparison above would fail.
        Model relu = RandomModel(new Relu(), OutputLayers.Softmax, [16]);
        Model leaky = relu with { Network = RandomModel(new LeakyRelu(), OutputLayers.Softmax, [16]).Network };
        (float[] inputs, _, float[] expected) = AnnLabForward(relu, FirstImages.Value);
        using var session = new InferenceSession(Export(leaky));
        double difference = MaxDifference(expected, OnnxRuntimeOutputs(session, inputs, relu.Network.InputSize));
        Assert.True(difference > 100 * Tolerance, $"relu and leaky-relu differ by only {difference:E2}");
    }

    [Fact]
    public void The_lab_network_is_two_Gemm_nodes_with_sigmoids_and_its_weights_as_AnnLab_stores_them()
    {
        Model model = RandomModel(new Sigmoid(), OutputLayers.Sigmoid, [25]);
        ModelProto proto = ModelProto.Parser.ParseFrom(Export(model));
        Assert.Equal(7, proto.IrVersion);
        Assert.Equal(13, proto.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal("annlab", proto.ProducerName);
        Assert.Equal(["Gemm", "Sigmoid", "Gemm", "Sigmoid"], proto.Graph.Node.Select(n => n.OpType));
        Assert.All(proto.Graph.Node.Where(n => n.OpType == "Gemm"), n => Assert.Equal(1, n.Attribute.Single(a => a.Name == "transB").I));
        TensorProto weights = proto.Graph.Initializer.Single(t => t.Name == "layer0.weights");
        Assert.Equal([25L, 784L], weights.Dims);
        Assert.Equal(model.Network.Weights<float>(model.Parameters, 0).ToArray(), weights.FloatData);
        Assert.Equal(model.Network.Biases<float>(model.Parameters, 1).ToArray(), proto.Graph.Initializer.Single(t => t.Name == "layer1.biases").FloatData);
        Assert.Equal(["layer0.weights", "layer0.biases"], proto.Graph.Node[0].Input.Skip(1));
        Assert.Equal("logits", proto.Graph.Node[2].Output.Single());
        Assert.Equal("scores", proto.Graph.Output.Single().Name);
    }

    [Fact]
    public void The_inputs_outputs_and_metadata_are_what_ONNX_Runtime_reports()
    {
        Model model = RandomModel(new Relu(), OutputLayers.Softmax, [32, 16]);
        using var session = new InferenceSession(Export(model));
        NodeMetadata input = session.InputMetadata[OnnxExport.InputName];
        Assert.Equal([-1, 784], input.Dimensions);
        Assert.Equal("batch", input.SymbolicDimensions[0]);
        Assert.Equal(typeof(float), input.ElementType);
        Assert.Equal([-1, 10], session.OutputMetadata["probabilities"].Dimensions);
        ModelMetadata metadata = session.ModelMetadata;
        Assert.Equal("annlab", metadata.ProducerName);
        Assert.Equal(Data.Value.ClassNames, JsonSerializer.Deserialize<string[]>(metadata.CustomMetadataMap["class_names"]));
        Assert.Equal("Ankle boot", JsonSerializer.Deserialize<string[]>(metadata.CustomMetadataMap["class_names"])![9]);
        Assert.Equal([28, 28], JsonSerializer.Deserialize<int[]>(metadata.CustomMetadataMap["input_shape"])!);
        Assert.Equal("softmax", metadata.CustomMetadataMap["output_activation"]);
        Assert.Equal("784-32-16-10 relu softmax", metadata.CustomMetadataMap["network"]);
    }

    [Fact]
    public void Activation_forms_use_opset_13_operators_with_AnnLabs_constants()
    {
        static NodeProto[] Nodes(IActivation activation) => [.. ModelProto.Parser.ParseFrom(Export(RandomModel(activation, OutputLayers.Softmax, [4]))).Graph.Node];
        Assert.Equal(["Gemm", "Div", "Erf", "Add", "Mul", "Mul", "Gemm", "Softmax"], Nodes(new Gelu()).Select(n => n.OpType));
        Assert.Equal(["Gemm", "Sigmoid", "Mul", "Gemm", "Softmax"], Nodes(new Swish()).Select(n => n.OpType));
        Assert.Equal(0.01f, Nodes(new LeakyRelu())[1].Attribute.Single(a => a.Name == "alpha").F);
        Assert.Equal(1f, Nodes(new Elu())[1].Attribute.Single(a => a.Name == "alpha").F);
        NodeProto selu = Nodes(new Selu())[1];
        Assert.Equal((float)Selu.Alpha, selu.Attribute.Single(a => a.Name == "alpha").F);
        Assert.Equal((float)Selu.Lambda, selu.Attribute.Single(a => a.Name == "gamma").F);
        Assert.Equal(1, Nodes(new Relu())[^1].Attribute.Single(a => a.Name == "axis").I);
        Assert.Equal(Activations.Names, OnnxExport.ExportableActivations);
    }

    [Fact]
    public void Dropout_layers_export_as_nothing_and_the_outputs_still_agree()
    {
        Model model = RandomModel(new Tanh(), OutputLayers.Softmax, [32, 16], dropout: 0.5);
        byte[] onnx = Export(model);
        Assert.Equal(["Gemm", "Tanh", "Gemm", "Tanh", "Gemm", "Softmax"], ModelProto.Parser.ParseFrom(onnx).Graph.Node.Select(n => n.OpType));
        (float[] inputs, _, float[] expected) = AnnLabForward(model, FirstImages.Value);
        using var session = new InferenceSession(onnx);
        double difference = MaxDifference(expected, OnnxRuntimeOutputs(session, inputs, model.Network.InputSize));
        Assert.True(difference <= Tolerance, $"differs by {difference:E2}");
    }

    [Fact]
    public void Two_activations_in_a_row_and_a_linear_stack_keep_distinct_value_names()
    {
        Dataset data = Data.Value;
        var network = new NeuralNetwork(data.Shape.Dimensions, [new DenseSpec(8), new ActivationSpec(new Gelu()), new ActivationSpec(new Gelu()), new DenseSpec(6), new DenseSpec(data.ClassNames.Count)], OutputLayers.Sigmoid);
        var parameters = new float[network.ParameterCount];
        network.Initialize<float>(parameters, 0.3, 4);
        var model = new Model(network, parameters, data.ClassNames);
        byte[] onnx = Export(model);
        string[] outputs = [.. ModelProto.Parser.ParseFrom(onnx).Graph.Node.SelectMany(n => n.Output)];
        Assert.Equal(outputs.Length, outputs.Distinct().Count());
        (float[] inputs, _, float[] expected) = AnnLabForward(model, FirstImages.Value);
        using var session = new InferenceSession(onnx);
        double difference = MaxDifference(expected, OnnxRuntimeOutputs(session, inputs, network.InputSize));
        Assert.True(difference <= Tolerance, $"differs by {difference:E2}");
    }

    [Fact]
    public void The_same_model_gives_the_same_bytes_and_Save_writes_them()
    {
        Model model = RandomModel(new Elu(), OutputLayers.Sigmoid, [16]);
        byte[] first = Export(model);
        Assert.Equal(first, Export(model));
        string path = Path.Combine(TestPaths.NewTempDirectory(), "model.onnx");
        File.WriteAllText(path, "an older file");
        OnnxExportResult result = OnnxExport.Save(model, path);
        Assert.Equal(first, File.ReadAllBytes(path));
        Assert.Equal(first.Length, result.Bytes);
        Assert.Equal("scores", result.OutputName);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    /// <summary>An activation AnnLab's table does not have: a user's own.</summary>
    private readonly struct Cube : IActivation
    {
        public string Name => "cube";

        public void Forward<T>(ReadOnlySpan<T> z, Span<T> a) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = z[i] * z[i] * z[i];
            }
        }

        public void MultiplyByDerivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < delta.Length; i++)
            {
                delta[i] *= T.CreateChecked(3) * z[i] * z[i];
            }
        }

        public double Value(double z) => z * z * z;

        public double Derivative(double z) => 3 * z * z;
    }

    [Fact]
    public void An_activation_without_an_exact_form_is_refused_and_nothing_is_written()
    {
        Model model = RandomModel(new Cube(), OutputLayers.Softmax, [4]);
        string dir = TestPaths.NewTempDirectory();
        var e = Assert.Throws<NotSupportedException>(() => OnnxExport.Save(model, Path.Combine(dir, "model.onnx")));
        Assert.StartsWith("the activation 'cube' (", e.Message);
        Assert.EndsWith("has no exact ONNX form; AnnLab exports sigmoid, tanh, relu, leaky-relu, elu, softplus, swish, gelu, selu, identity", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
        Assert.False(OnnxExport.CanExport(new Cube()));
    }

    /// <summary>An output layer AnnLab's table does not have.</summary>
    private sealed class Linear : OutputLayer
    {
        public override string Name => "linear";

        public override string CostName => "none";

        public override void Forward<T>(ReadOnlySpan<T> z, Span<T> h, int k) => z.CopyTo(h);

        public override void SampleCosts<T>(ReadOnlySpan<T> z, ReadOnlySpan<byte> labels, Span<double> costs, Span<T> scratch, int k) => costs.Clear();

        public override double SampleCost(ReadOnlySpan<double> z, int label) => 0;
    }

    [Fact]
    public void An_output_layer_without_an_ONNX_form_is_refused()
    {
        Model model = RandomModel(new Relu(), new Linear(), [4]);
        var e = Assert.Throws<NotSupportedException>(() => OnnxExport.Write(model, Stream.Null));
        Assert.Equal("the output layer 'linear' has no ONNX form; AnnLab exports sigmoid and softmax", e.Message);
    }

    [Fact]
    public void A_network_over_protobufs_2_GB_is_refused_before_any_work()
    {
        var network = new NeuralNetwork([784, 700_000, 10], new Relu());
        var e = Assert.Throws<NotSupportedException>(() => OnnxExport.CheckSize(network));
        Assert.Equal("the network 784-700000-10 relu has 556,500,010 parameters (2.23 GB as float32); an ONNX file holds at most 2 GB (protobuf's message limit) and AnnLab writes no external data files", e.Message);
        OnnxExport.CheckSize(new NeuralNetwork([784, 600_000, 10], new Relu()));
    }

    [Fact]
    public void The_readmes_three_lines_run_an_exported_model()
    {
        Model model = RandomModel(new Relu(), OutputLayers.Softmax, [16]);
        string path = Path.Combine(TestPaths.NewTempDirectory(), "model.onnx");
        OnnxExport.Save(model, path);
        (float[] inputs, _, float[] expected) = AnnLabForward(model, FirstImages.Value.Slice(0, 1));
        float[] pixels = inputs;

        // As in the README's "Using the library".
        using var session = new InferenceSession(path);
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [1, pixels.Length]);
        using var outputs = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["pixels"] = input }, ["probabilities"]);
        float[] probabilities = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.True(MaxDifference(expected, probabilities) <= Tolerance);
        Assert.Equal(1.0, probabilities.Sum(), 5);
    }
}

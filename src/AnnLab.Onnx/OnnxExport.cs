using System.Globalization;
using System.Reflection;
using System.Text.Json;
using AnnLab.IO;
using AnnLab.Network;
using AnnLab.Onnx.Proto;
using Google.Protobuf;

namespace AnnLab.Onnx;

/// <summary>What <see cref="OnnxExport"/> wrote.</summary>
/// <param name="Opset">The ONNX operator set the graph uses (<see cref="OnnxExport.Opset"/>).</param>
/// <param name="InputName">The graph's input, <c>pixels</c>: batch x input-size float32 in 0..1.</param>
/// <param name="OutputName">The graph's output: <c>probabilities</c> (softmax) or <c>scores</c> (independent sigmoid units), batch x classes.</param>
/// <param name="Operators">The nodes' operator types in graph order, e.g. Gemm, Sigmoid, Gemm, Sigmoid.</param>
/// <param name="Bytes">The file's size in bytes (0 when written to a stream).</param>
public sealed record OnnxExportResult(int Opset, string InputName, string OutputName, IReadOnlyList<string> Operators, long Bytes);

/// <summary>
/// Writes a <see cref="Model"/> as an ONNX model (onnx/onnx docs/IR.md), to run with ONNX Runtime
/// or any other ONNX tool: per dense layer a <c>Gemm</c> node (Y = X W^T + b, transB = 1, since
/// AnnLab stores W as fanOut x fanIn, see <see cref="ParameterLayout"/>), per activation layer
/// the nodes that compute exactly that activation, no node for dropout (the identity in
/// inference), and the output layer's <c>Softmax</c> (axis 1) or <c>Sigmoid</c>.
/// </summary>
/// <remarks>
/// <para>The graph's input <c>pixels</c> is [batch, <see cref="NeuralNetwork.InputSize"/>] float32
/// (batch a symbolic dimension), each row one input of <see cref="NeuralNetwork.InputShape"/>
/// flattened row-major with the values AnnLab trains on: 8-bit pixels divided by 255, 0..1. The
/// output is [batch, classes]: <see cref="OutputName"/> gives its name. The last Gemm's output is
/// named <c>logits</c>.</para>
/// <para>The model's metadata_props hold <c>class_names</c> (a JSON array, one name per output),
/// <c>input_shape</c> (a JSON array), <c>output_activation</c> (<c>softmax</c> or
/// <c>sigmoid</c>) and <c>network</c> (<see cref="NeuralNetwork.ToString"/>); its producer is
/// <c>annlab</c> with this assembly's version.</para>
/// <para>Opset 13 (IR version 7), so that older runtimes read the file too: gelu (exact, erf form) is
/// written as 0.5 z (1 + Erf(z / sqrt 2)) since ONNX's own Gelu operator comes only with opset 20,
/// swish (beta = 1) as z Sigmoid(z). Every activation in <see cref="Activations.Available"/> has
/// an exact form here (<see cref="ExportableActivations"/>); any other <see cref="IActivation"/>
/// is refused, never mapped to a look-alike.</para>
/// </remarks>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the graph imports (the default domain).</summary>
    public const int Opset = 13;

    /// <summary>The IR version that goes with <see cref="Opset"/> (ONNX 1.8, onnx/onnx docs/Versioning.md).</summary>
    public const long IrVersion = 7;

    /// <summary>The graph input's name.</summary>
    public const string InputName = "pixels";

    /// <summary>The symbolic name of the batch dimension.</summary>
    public const string BatchDimension = "batch";

    /// <summary>The producer name written into every file.</summary>
    public const string ProducerName = "annlab";

    // A protobuf message may not exceed 2 GB (int.MaxValue bytes); keep 16 MB for all but the parameters.
    private const long MaxParameterBytes = int.MaxValue - (16L << 20);

    /// <summary>The one table of exact ONNX forms: each activation type and the nodes that compute a = g(z).</summary>
    private static readonly (Type Type, Action<GraphBuilder, string, string> Add)[] ActivationForms =
    [
        (typeof(Sigmoid), (g, z, a) => g.Node("Sigmoid", [z], a)),
        (typeof(Tanh), (g, z, a) => g.Node("Tanh", [z], a)),
        (typeof(Relu), (g, z, a) => g.Node("Relu", [z], a)),
        (typeof(LeakyRelu), (g, z, a) => g.Node("LeakyRelu", [z], a, Float("alpha", (float)LeakyRelu.Slope))),
        (typeof(Elu), (g, z, a) => g.Node("Elu", [z], a, Float("alpha", 1f))),
        (typeof(Softplus), (g, z, a) => g.Node("Softplus", [z], a)),
        (typeof(Swish), (g, z, a) => g.Node("Mul", [z, g.Node("Sigmoid", [z], $"{a}.sigmoid")], a)),
        (typeof(Gelu), AddGelu),
        (typeof(Selu), (g, z, a) => g.Node("Selu", [z], a, Float("alpha", (float)Selu.Alpha), Float("gamma", (float)Selu.Lambda))),
        (typeof(Identity), (g, z, a) => g.Node("Identity", [z], a)),
    ];

    /// <summary>The names of the activations that export, in <see cref="Activations.Available"/>'s order.</summary>
    public static IReadOnlyList<string> ExportableActivations { get; } = Activations.Available.Where(CanExport).Select(a => a.Name).ToArray();

    /// <summary>Whether <paramref name="activation"/> has an exact ONNX form here.</summary>
    public static bool CanExport(IActivation activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        return ActivationForms.Any(f => f.Type == activation.GetType());
    }

    /// <summary>The graph output's name for an output layer: <c>probabilities</c> for softmax, <c>scores</c> for the lab's independent sigmoid units (which need not sum to 1).</summary>
    /// <exception cref="NotSupportedException">An output layer other than AnnLab's two.</exception>
    public static string OutputName(OutputLayer output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output switch
        {
            SoftmaxCrossEntropy => "probabilities",
            SigmoidCrossEntropy => "scores",
            _ => throw new NotSupportedException($"the output layer '{output.Name}' has no ONNX form; AnnLab exports {string.Join(" and ", OutputLayers.Names)}"),
        };
    }

    /// <summary>Writes <paramref name="model"/> as an ONNX file at <paramref name="path"/>, through a temporary file (<see cref="AtomicFile"/>), so the target is complete or untouched.</summary>
    /// <returns>What was written, with the file's size.</returns>
    /// <exception cref="ArgumentException">The parameters or class names do not fit the network.</exception>
    /// <exception cref="NotSupportedException">An activation or output layer without an exact ONNX form, or parameters over protobuf's 2 GB message limit; the message names it.</exception>
    /// <exception cref="IOException">The file cannot be written; the message names it.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its folder may not be written.</exception>
    public static OnnxExportResult Save(Model model, string path)
    {
        ModelProto proto = Build(model);
        AtomicFile.Write(path, stream => proto.WriteTo(stream));
        return Describe(proto, new FileInfo(path).Length);
    }

    /// <summary>Writes <paramref name="model"/> as ONNX to <paramref name="stream"/>.</summary>
    /// <returns>What was written (<see cref="OnnxExportResult.Bytes"/> is the bytes written).</returns>
    /// <exception cref="ArgumentException">The parameters or class names do not fit the network.</exception>
    /// <exception cref="NotSupportedException">As <see cref="Save"/>.</exception>
    public static OnnxExportResult Write(Model model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ModelProto proto = Build(model);
        proto.WriteTo(stream);
        return Describe(proto, proto.CalculateSize());
    }

    /// <summary>The ONNX model for <paramref name="model"/>.</summary>
    internal static ModelProto Build(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        NeuralNetwork network = model.Network;
        CheckSize(network);
        if (model.Parameters.Length != network.ParameterCount)
        {
            throw new ArgumentException($"the parameter vector has {model.Parameters.Length} values, the network {network} needs {network.ParameterCount}", nameof(model));
        }

        if (model.ClassNames.Count != network.OutputSize)
        {
            throw new ArgumentException($"{model.ClassNames.Count} class names for {network.OutputSize} outputs", nameof(model));
        }

        string outputName = OutputName(network.Output);
        foreach (ActivationSpec spec in network.Layers.OfType<ActivationSpec>())
        {
            if (!CanExport(spec.Function))
            {
                throw new NotSupportedException($"the activation '{spec.Function.Name}' ({spec.Function.GetType().FullName}) has no exact ONNX form; AnnLab exports {string.Join(", ", ExportableActivations)}");
            }
        }

        var g = new GraphBuilder();
        string value = InputName;
        int dense = -1;
        foreach (LayerSpec layer in network.Layers)
        {
            switch (layer)
            {
                case DenseSpec:
                    dense++;
                    string weights = g.Initializer($"layer{dense}.weights", [network.FanOut(dense), network.FanIn(dense)], network.Weights<float>(model.Parameters, dense));
                    string biases = g.Initializer($"layer{dense}.biases", [network.FanOut(dense)], network.Biases<float>(model.Parameters, dense));
                    value = g.Node("Gemm", [value, weights, biases], dense == network.LayerCount - 1 ? "logits" : $"layer{dense}.z", Int("transB", 1));
                    break;
                case ActivationSpec activation:
                    Type type = activation.Function.GetType();
                    string a = g.Reserve($"layer{dense}.a");
                    ActivationForms.First(f => f.Type == type).Add(g, value, a);
                    value = a;
                    break;
                case DropoutSpec:
                    // Inverted dropout scales while training: in inference it is the identity, no node.
                    break;
                default:
                    throw new NotSupportedException($"the layer kind '{layer.Kind}' has no ONNX form");
            }
        }

        if (network.Output is SoftmaxCrossEntropy)
        {
            g.Node("Softmax", [value], outputName, Int("axis", 1));
        }
        else
        {
            g.Node("Sigmoid", [value], outputName);
        }

        string shape = string.Join("x", network.InputShape);
        var graph = g.Graph;
        graph.Name = "annlab";
        graph.DocString = $"AnnLab network {network}";
        graph.Input.Add(Tensor(InputName, network.InputSize,
            $"one row per input: {shape} values (row-major) in 0..1, 8-bit pixels divided by 255, as AnnLab trains on"));
        graph.Output.Add(Tensor(outputName, network.OutputSize, network.Output is SoftmaxCrossEntropy
            ? "the probability of each class (softmax), one row per input"
            : "each class's independent sigmoid score in 0..1 (the lab's output units; a row need not sum to 1)"));

        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            DocString = $"AnnLab network {network}: input {InputName} [{BatchDimension}, {network.InputSize}], output {outputName} [{BatchDimension}, {network.OutputSize}]",
            Graph = graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        proto.MetadataProps.Add(Entry("class_names", JsonSerializer.Serialize(model.ClassNames)));
        proto.MetadataProps.Add(Entry("input_shape", JsonSerializer.Serialize(network.InputShape)));
        proto.MetadataProps.Add(Entry("output_activation", network.Output.Name));
        proto.MetadataProps.Add(Entry("network", network.ToString()));
        return proto;
    }

    /// <summary>Refuses a network whose parameters would not fit in one protobuf message (2 GB).</summary>
    /// <exception cref="NotSupportedException">More than about 532 million parameters.</exception>
    internal static void CheckSize(NeuralNetwork network)
    {
        long bytes = 4L * network.ParameterCount;
        if (bytes > MaxParameterBytes)
        {
            throw new NotSupportedException($"the network {network} has {network.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)} parameters ({bytes / 1e9:F2} GB as float32); an ONNX file holds at most 2 GB (protobuf's message limit) and AnnLab writes no external data files");
        }
    }

    // gelu(z) = z Phi(z) = 0.5 z (1 + erf(z / sqrt 2)) (Hendrycks and Gimpel 2016, eq. 1); AnnLab's Gelu is this exact form.
    private static void AddGelu(GraphBuilder g, string z, string a)
    {
        string sqrt2 = g.Constant("gelu.sqrt2", MathF.Sqrt(2f));
        string one = g.Constant("gelu.one", 1f);
        string half = g.Constant("gelu.half", 0.5f);
        string erf = g.Node("Erf", [g.Node("Div", [z, sqrt2], $"{a}.scaled")], $"{a}.erf");
        string zTimes = g.Node("Mul", [z, g.Node("Add", [erf, one], $"{a}.erf_plus_one")], $"{a}.z_times");
        g.Node("Mul", [zTimes, half], a);
    }

    private static string ProducerVersion
    {
        get
        {
            string version = typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
            int plus = version.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? version : version[..plus];
        }
    }

    private static OnnxExportResult Describe(ModelProto proto, long bytes)
        => new(Opset, InputName, proto.Graph.Output[0].Name, proto.Graph.Node.Select(n => n.OpType).ToArray(), bytes);

    private static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static StringStringEntryProto Entry(string key, string value) => new() { Key = key, Value = value };

    // A float32 tensor [batch, width], the batch dimension symbolic.
    private static ValueInfoProto Tensor(string name, int width, string doc)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            DocString = doc,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    /// <summary>Collects nodes and initializers with unique value names.</summary>
    private sealed class GraphBuilder
    {
        private readonly HashSet<string> names = [];
        private readonly HashSet<string> reserved = [];

        public GraphProto Graph { get; } = new();

        /// <summary><paramref name="name"/>, or name.2, name.3... when it is taken.</summary>
        public string UniqueName(string name)
        {
            string unique = name;
            for (int i = 2; names.Contains(unique); i++)
            {
                unique = $"{name}.{i}";
            }

            names.Add(unique);
            return unique;
        }

        /// <summary>A unique name for a value that a later <see cref="Node"/> computes under exactly that name.</summary>
        public string Reserve(string name)
        {
            string unique = UniqueName(name);
            reserved.Add(unique);
            return unique;
        }

        /// <summary>Adds a node computing <paramref name="output"/> (as reserved, else made unique) from <paramref name="inputs"/>; returns the output's name.</summary>
        public string Node(string op, string[] inputs, string output, params AttributeProto[] attributes)
        {
            string name = reserved.Remove(output) ? output : UniqueName(output);
            var node = new NodeProto { OpType = op, Name = $"{name}.{op}" };
            node.Input.AddRange(inputs);
            node.Output.Add(name);
            node.Attribute.AddRange(attributes);
            Graph.Node.Add(node);
            return name;
        }

        /// <summary>Adds a float32 tensor of <paramref name="dims"/> holding <paramref name="values"/> (row-major).</summary>
        public string Initializer(string name, long[] dims, ReadOnlySpan<float> values)
        {
            var tensor = new TensorProto { Name = UniqueName(name), DataType = (int)TensorProto.Types.DataType.Float };
            tensor.Dims.AddRange(dims);
            tensor.FloatData.AddRange(values.ToArray());
            Graph.Initializer.Add(tensor);
            return tensor.Name;
        }

        /// <summary>A scalar float32 constant, added once however often it is asked for.</summary>
        public string Constant(string name, float value)
        {
            if (!names.Contains(name))
            {
                Initializer(name, [], [value]);
            }

            return name;
        }
    }
}

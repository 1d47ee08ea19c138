using System.Text;
using AnnLab.IO;

namespace AnnLab.Network;

/// <summary>A trained network: its layout, its parameters and the names of its classes.</summary>
/// <param name="Network">The layout and hidden activation.</param>
/// <param name="Parameters">The flat parameter vector (see <see cref="NeuralNetwork"/> for the layout).</param>
/// <param name="ClassNames">One name per output unit.</param>
public sealed record Model(NeuralNetwork Network, float[] Parameters, IReadOnlyList<string> ClassNames);

/// <summary>
/// The model file format, little-endian, starting with the 8 ASCII bytes "ANNLABM1" and an int32
/// format version. Strings are an int32 byte length and UTF-8.
/// <para>Version 2 (written): int32 input-shape rank and that many int32 dimensions; int32 layer
/// count and per layer its kind (<see cref="LayerSpec.Kind"/>) and then, for dense, int32 units,
/// for activation, its name (<see cref="Activations"/>), for dropout, its float64 rate; the output
/// layer's name (<see cref="OutputLayers"/>); int32 class count (= units of the last dense layer)
/// and the names; int32 parameter count and the parameters as float32 in
/// <see cref="ParameterLayout"/>'s order.</para>
/// <para>Version 1 (still read): int32 number of layer sizes and the sizes, hidden activation
/// name, output name, class count and names, parameter count and parameters.</para>
/// </summary>
public static class ModelFile
{
    /// <summary>The 8 bytes every model file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "ANNLABM1"u8;

    /// <summary>The format version this code writes; it also reads version 1.</summary>
    public const int FormatVersion = 2;

    /// <summary>The most UTF-8 bytes a string of a model file (a class name, an activation's name) may have: the reader refuses longer ones, so nothing longer may be written.</summary>
    public const int MaxStringBytes = 4096;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> through a temporary file, so the target is complete or untouched.</summary>
    /// <exception cref="ArgumentException">The parameters or class names do not fit the network.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(Model model, string path)
    {
        model.Network.CheckLength(model.Parameters.Length);
        if (model.ClassNames.Count != model.Network.OutputSize)
        {
            throw new ArgumentException($"{model.ClassNames.Count} class names for {model.Network.OutputSize} outputs", nameof(model));
        }

        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(FormatVersion);
            NeuralNetwork network = model.Network;
            w.Write(network.InputShape.Count);
            foreach (int d in network.InputShape)
            {
                w.Write(d);
            }

            w.Write(network.Layers.Count);
            foreach (LayerSpec layer in network.Layers)
            {
                WriteString(w, layer.Kind);
                switch (layer)
                {
                    case DenseSpec dense:
                        w.Write(dense.Units);
                        break;
                    case ActivationSpec activation:
                        WriteString(w, activation.Function.Name);
                        break;
                    case DropoutSpec dropout:
                        w.Write(dropout.Rate);
                        break;
                }
            }

            WriteString(w, network.Output.Name);
            w.Write(model.ClassNames.Count);
            foreach (string name in model.ClassNames)
            {
                WriteString(w, name);
            }

            w.Write(model.Parameters.Length);
            foreach (float p in model.Parameters)
            {
                w.Write(p);
            }
        });
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">Not a model file, an unknown version, or inconsistent contents; the message names the file, what was expected and what was found.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Model Load(string path)
    {
        // A FIFO, a device or a folder is refused before opening, which on a FIFO would wait for a
        // writer forever. Every model file holds at least its magic and version.
        AnnLab.IO.RegularFile.Check(path, "a model file");
        var info = new FileInfo(path);
        if (info.Length < Magic.Length + sizeof(int))
        {
            throw new InvalidDataException($"{path}: expected a regular model file of at least {Magic.Length + sizeof(int)} bytes, got {info.Length} bytes");
        }

        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            byte[] magic = r.ReadBytes(8);
            if (!magic.AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException($"{path}: not an AnnLab model file (expected the bytes \"ANNLABM1\" first, got {Convert.ToHexString(magic)} in hex)");
            }

            int version = r.ReadInt32();
            NeuralNetwork network = version switch
            {
                1 => ReadVersion1(r, path),
                2 => ReadVersion2(r, path),
                _ => throw new InvalidDataException($"{path}: expected model format version 1 or {FormatVersion}, got {version}"),
            };
            int classes = ReadCount(r, path, "class names", 1, 1_000_000);
            if (classes != network.OutputSize)
            {
                throw new InvalidDataException($"{path}: expected {network.OutputSize} class names (one per output), got {classes}");
            }

            var names = new string[classes];
            for (int i = 0; i < classes; i++)
            {
                names[i] = ReadString(r, path);
            }

            int parameterCount = r.ReadInt32();
            if (parameterCount != network.ParameterCount)
            {
                throw new InvalidDataException($"{path}: expected {network.ParameterCount} parameters for {network}, got {parameterCount}");
            }

            long remaining = stream.Length - stream.Position;
            if (remaining != parameterCount * 4L)
            {
                throw new InvalidDataException($"{path}: expected {parameterCount * 4L} bytes of parameters, got {remaining}");
            }

            var parameters = new float[parameterCount];
            for (int i = 0; i < parameterCount; i++)
            {
                parameters[i] = r.ReadSingle();
                if (!float.IsFinite(parameters[i]))
                {
                    throw new InvalidDataException($"{path}: expected finite parameters, got {parameters[i].ToString(System.Globalization.CultureInfo.InvariantCulture)} at parameter {i}");
                }
            }

            return new Model(network, parameters, names);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{path}: expected UTF-8 names, got invalid bytes at byte {stream.Position}", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: the model file ends early (at byte {stream.Position} of {stream.Length})", e);
        }
    }

    /// <summary>The format version a model file states (its int32 after the magic), without reading the rest: 1 or <see cref="FormatVersion"/> for files <see cref="Load"/> reads.</summary>
    /// <exception cref="InvalidDataException">Not a model file (no magic, or shorter than magic and version); the message names the file.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static int ReadFormatVersion(string path)
    {
        AnnLab.IO.RegularFile.Check(path, "a model file");
        using var stream = File.OpenRead(path);
        Span<byte> header = stackalloc byte[12];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header[..8].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path}: not an AnnLab model file (expected the bytes \"ANNLABM1\" and a format version first)");
        }

        return System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
    }

    private static NeuralNetwork ReadVersion1(BinaryReader r, string path)
    {
        int count = ReadCount(r, path, "layer sizes", 2, NeuralNetwork.MaxWeightLayers + 1);
        var sizes = new int[count];
        for (int i = 0; i < count; i++)
        {
            sizes[i] = ReadCount(r, path, "layer size", 1, 10_000_000);
        }

        IActivation activation = ReadActivation(r, path);
        OutputLayer output = ReadOutput(r, path);
        return Build(path, () => new NeuralNetwork(sizes, activation, output));
    }

    private static NeuralNetwork ReadVersion2(BinaryReader r, string path)
    {
        int rank = ReadCount(r, path, "input dimensions", 1, 8);
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            shape[i] = ReadCount(r, path, "input dimension", 1, 10_000_000);
        }

        // Each dense layer may come with an activation and a dropout layer; the network checks the dense count.
        int count = ReadCount(r, path, "layers", 1, 3 * NeuralNetwork.MaxWeightLayers);
        var layers = new LayerSpec[count];
        for (int i = 0; i < count; i++)
        {
            string kind = ReadString(r, path);
            layers[i] = kind switch
            {
                "dense" => new DenseSpec(ReadCount(r, path, "units", 1, 10_000_000)),
                "activation" => new ActivationSpec(ReadActivation(r, path)),
                "dropout" => new DropoutSpec(r.ReadDouble()),
                _ => throw new InvalidDataException($"{path}: expected a layer kind dense, activation or dropout, got '{kind}' (layer {i})"),
            };
        }

        OutputLayer output = ReadOutput(r, path);
        return Build(path, () => new NeuralNetwork(shape, layers, output));
    }

    private static NeuralNetwork Build(string path, Func<NeuralNetwork> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message.Split(" (Parameter")[0]}", e);
        }
    }

    private static IActivation ReadActivation(BinaryReader r, string path)
    {
        string name = ReadString(r, path);
        // Exactly the name written: the table's lookup forgives case, a file must not.
        return Activations.TryGet(name, out IActivation? activation) && activation.Name == name
            ? activation
            : throw new InvalidDataException($"{path}: expected an activation ({string.Join(", ", Activations.Names)}), got '{name}'");
    }

    private static OutputLayer ReadOutput(BinaryReader r, string path)
    {
        string name = ReadString(r, path);
        return OutputLayers.Available.FirstOrDefault(o => o.Name == name)
            ?? throw new InvalidDataException($"{path}: expected output activation {string.Join(" or ", OutputLayers.Names)}, got {name}");
    }

    private static int ReadCount(BinaryReader r, string path, string what, int min, int max)
    {
        int v = r.ReadInt32();
        if (v < min || v > max)
        {
            throw new InvalidDataException($"{path}: expected a count of {what} in {min}..{max}, got {v}");
        }

        return v;
    }

    // Invalid bytes throw instead of turning into U+FFFD: a changed file must not read as a valid one.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static void WriteString(BinaryWriter w, string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static string ReadString(BinaryReader r, string path)
    {
        int length = ReadCount(r, path, "bytes in a name", 0, MaxStringBytes);
        byte[] bytes = r.ReadBytes(length);
        if (bytes.Length != length)
        {
            throw new EndOfStreamException();
        }

        return StrictUtf8.GetString(bytes);
    }
}

using System.Text;
using AnnLab.IO;

namespace AnnLab.Network;

/// <summary>A trained network: its layout, its parameters and the names of its classes.</summary>
/// <param name="Network">The layout and hidden activation.</param>
/// <param name="Parameters">The flat parameter vector (see <see cref="NeuralNetwork"/> for the layout).</param>
/// <param name="ClassNames">One name per output unit.</param>
public sealed record Model(NeuralNetwork Network, float[] Parameters, IReadOnlyList<string> ClassNames);

/// <summary>
/// The model file format, version 1, little-endian:
/// magic "ANNLAB" 0x4D 0x31 ("ANNLABM1" as 8 ASCII bytes), int32 format version (1),
/// int32 number of layer sizes, that many int32 sizes, hidden activation name and output
/// activation name (each int32 byte length + UTF-8), int32 class count (= output size), that many
/// names, int32 parameter count, then the parameters as float32 in <see cref="NeuralNetwork"/>'s layout.
/// </summary>
public static class ModelFile
{
    /// <summary>The 8 bytes every model file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "ANNLABM1"u8;

    /// <summary>The format version this code writes and reads.</summary>
    public const int FormatVersion = 1;

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
            w.Write(model.Network.LayerSizes.Count);
            foreach (int s in model.Network.LayerSizes)
            {
                w.Write(s);
            }

            WriteString(w, model.Network.HiddenActivation.Name);
            WriteString(w, model.Network.OutputActivationName);
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
    public static Model Load(string path)
    {
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
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"{path}: expected model format version {FormatVersion}, got {version}");
            }

            int count = ReadCount(r, path, "layer sizes", 2, 1000);
            var sizes = new int[count];
            for (int i = 0; i < count; i++)
            {
                sizes[i] = ReadCount(r, path, "layer size", 1, 10_000_000);
            }

            string hidden = ReadString(r, path);
            string output = ReadString(r, path);
            if (!OutputLayers.Names.Contains(output))
            {
                throw new InvalidDataException($"{path}: expected output activation {string.Join(" or ", OutputLayers.Names)}, got {output}");
            }

            IActivation activation;
            try
            {
                activation = Activations.Get(hidden);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{path}: {e.Message.Split(" (Parameter")[0]}", e);
            }

            var network = new NeuralNetwork(sizes, activation, OutputLayers.Parse(output));
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
            }

            return new Model(network, parameters, names);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: the model file ends early (at byte {stream.Position} of {stream.Length})", e);
        }
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

    private static void WriteString(BinaryWriter w, string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static string ReadString(BinaryReader r, string path)
    {
        int length = ReadCount(r, path, "bytes in a name", 0, 4096);
        byte[] bytes = r.ReadBytes(length);
        if (bytes.Length != length)
        {
            throw new EndOfStreamException();
        }

        return Encoding.UTF8.GetString(bytes);
    }
}

using System.Security.Cryptography;
using System.Text;
using AnnLab.Data;
using AnnLab.IO;
using AnnLab.Optimization;

namespace AnnLab.Training;

/// <summary>
/// Where a training run stands after an epoch (sgd) or an iteration (cg, lbfgs): everything
/// <see cref="Trainer.Train"/> needs to go on bit for bit as the run that was never stopped
/// (PyTorch's checkpoint dict of model, optimizer and scheduler state; Keras's BackupAndRestore).
/// </summary>
/// <remarks>
/// <para>The random state is kept as counters: the shuffles draw from <c>new Random(seed + 1)</c>, which a
/// resume replays for <see cref="Step"/> epochs (and checks against <see cref="Order"/>); dropout and
/// augmentation draw from counters of (seed, <see cref="TrainingStep"/>, row, unit). The learning-rate
/// schedule is a function of the epoch, so <see cref="Step"/> is its position.</para>
/// <para>The file (<see cref="Save"/>, <see cref="Load"/>) is little-endian: the 8 ASCII bytes
/// "ANNLABCK", int32 format version, int64 payload length, the payload, and the SHA-256 of the payload
/// (32 bytes). The payload is the fields below in order, strings as int32 byte length and UTF-8,
/// vectors as int32 length and the values.</para>
/// </remarks>
public sealed record TrainingCheckpoint
{
    /// <summary>The 8 bytes every checkpoint file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "ANNLABCK"u8;

    /// <summary>The format version this code writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The network, as <see cref="Network.NeuralNetwork.ToString"/> describes it (<c>784-25-10 sigmoid</c>).</summary>
    public required string Network { get; init; }

    /// <summary>The options of the run; <see cref="TrainingOptions.Threads"/> is the only one a resume may change (the numbers do not depend on it).</summary>
    public required TrainingOptions Options { get; init; }

    /// <summary>The SHA-256 (hex) of the training images and labels, in training order, from <see cref="Fingerprint"/>.</summary>
    public required string TrainingData { get; init; }

    /// <summary>Training images.</summary>
    public required int TrainingCount { get; init; }

    /// <summary>What the program that ran the training needs to rebuild it (its data folder, split...), keys and values of its own; the library does not read them.</summary>
    public IReadOnlyDictionary<string, string> Context { get; init; } = new Dictionary<string, string>();

    /// <summary>Epochs (sgd) or iterations (cg, lbfgs) completed.</summary>
    public required int Step { get; init; }

    /// <summary>sgd: mini-batch steps taken.</summary>
    public int Steps { get; init; }

    /// <summary>sgd: the engine's training-step counter, the key of dropout's and augmentation's draws.</summary>
    public long TrainingStep { get; init; }

    /// <summary>sgd: the shuffled order of the training images after epoch <see cref="Step"/>.</summary>
    public int[] Order { get; init; } = [];

    /// <summary>The parameters, length n, in <see cref="Network.ParameterLayout"/>'s order.</summary>
    public required float[] Parameters { get; init; }

    /// <summary>sgd: the optimizer's state.</summary>
    public OptimizerState? Optimizer { get; init; }

    /// <summary>cg, lbfgs: the minimizer's state.</summary>
    public FullBatchState<float>? FullBatch { get; init; }

    /// <summary>The history so far, one entry per epoch or iteration.</summary>
    public IReadOnlyList<TrainingProgress> History { get; init; } = [];

    /// <summary>Seconds of training so far.</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>sgd's divergence references: the ridge sum of squares at the initial weights.</summary>
    public double InitialSquares { get; init; }

    /// <summary>sgd's divergence references: the first batch's cost (NaN before any step).</summary>
    public double FirstCost { get; init; } = double.NaN;

    /// <summary>sgd's divergence references: the first batch's lambda.</summary>
    public double FirstLambda { get; init; }

    /// <summary>sgd's divergence references: the first batch's size.</summary>
    public int FirstBatch { get; init; }

    /// <summary>Early stopping: the best score so far (lower is better), its epoch and weights (empty when off).</summary>
    public double BestScore { get; init; } = double.PositiveInfinity;

    /// <summary>Early stopping: the epoch of <see cref="BestScore"/> (0: none yet).</summary>
    public int BestEpoch { get; init; }

    /// <summary>Early stopping: the weights of <see cref="BestEpoch"/>, length n; empty when early stopping is off.</summary>
    public float[] BestParameters { get; init; } = [];

    /// <summary>The SHA-256 (hex) of a training set's pixels and labels: what tells one data set (or split) from another.</summary>
    public static string Fingerprint(ImageSet train)
    {
        ArgumentNullException.ThrowIfNull(train);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> header = stackalloc byte[12];
        BitConverter.TryWriteBytes(header, train.Count);
        BitConverter.TryWriteBytes(header[4..], train.Rows);
        BitConverter.TryWriteBytes(header[8..], train.Columns);
        hash.AppendData(header);
        hash.AppendData(train.Pixels.Span);
        hash.AppendData(train.Labels.Span);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Writes the checkpoint to <paramref name="path"/> through a temporary file, so the target is complete or untouched.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path)
    {
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            WritePayload(w);
        }

        byte[] body = payload.ToArray();
        byte[] checksum = SHA256.HashData(body);
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write((long)body.Length);
            w.Write(body);
            w.Write(checksum);
        });
    }

    /// <summary>Reads a checkpoint <see cref="Save"/> wrote.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">Not a checkpoint, another format version, cut short, damaged (the checksum differs) or a field out of range; the message names the file, what was expected and what was found.</exception>
    public static TrainingCheckpoint Load(string path)
    {
        byte[] bytes;
        using (FileStream stream = RegularFile.OpenRead(path, "an AnnLab checkpoint"))
        {
            if (stream.Length > Array.MaxLength)
            {
                throw new InvalidDataException($"{path}: {stream.Length} bytes, more than a checkpoint can have");
            }

            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }

        int header = Magic.Length + 4 + 8;
        if (bytes.Length < header || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path}: not an AnnLab checkpoint (expected the bytes ANNLABCK at the start)");
        }

        int version = BitConverter.ToInt32(bytes, Magic.Length);
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"{path}: checkpoint format version {version}, expected {FormatVersion}");
        }

        long length = BitConverter.ToInt64(bytes, Magic.Length + 4);
        if (length != bytes.Length - header - 32L)
        {
            throw new InvalidDataException($"{path}: the checkpoint says its payload has {length} bytes, the file has {bytes.Length - header - 32L} (cut short or extended)");
        }

        ReadOnlySpan<byte> body = bytes.AsSpan(header, (int)length);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(header + (int)length, 32)))
        {
            throw new InvalidDataException($"{path}: the checkpoint is damaged (its SHA-256 checksum does not match its contents)");
        }

        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, header, (int)length, writable: false), Encoding.UTF8);
            TrainingCheckpoint checkpoint = ReadPayload(r, path);
            if (r.BaseStream.Position != length)
            {
                throw new InvalidDataException($"{path}: {length - r.BaseStream.Position} bytes after the checkpoint's last field");
            }

            return checkpoint;
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: the checkpoint's fields end before its payload says");
        }
    }

    private void WritePayload(BinaryWriter w)
    {
        WriteString(w, Network);
        w.Write(TrainingOptionTable.All.Count);
        foreach (OptionSpec spec in TrainingOptionTable.All)
        {
            WriteString(w, spec.Property);
            WriteString(w, spec.Text(Options));
        }

        WriteString(w, TrainingData);
        w.Write(TrainingCount);
        w.Write(Context.Count);
        foreach ((string key, string value) in Context.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            WriteString(w, key);
            WriteString(w, value);
        }

        w.Write(Step);
        w.Write(Steps);
        w.Write(TrainingStep);
        w.Write(ElapsedSeconds);
        w.Write(InitialSquares);
        w.Write(FirstCost);
        w.Write(FirstLambda);
        w.Write(FirstBatch);
        w.Write(BestScore);
        w.Write(BestEpoch);
        WriteFloats(w, BestParameters);
        WriteFloats(w, Parameters);
        w.Write(Order.Length);
        foreach (int i in Order)
        {
            w.Write(i);
        }

        w.Write(Optimizer is not null);
        if (Optimizer is { } o)
        {
            WriteString(w, o.Optimizer);
            w.Write(o.StepCount);
            w.Write(o.Buffers.Count);
            foreach ((string name, float[] values) in o.Buffers)
            {
                WriteString(w, name);
                WriteFloats(w, values);
            }
        }

        w.Write(FullBatch is not null);
        if (FullBatch is { } s)
        {
            w.Write(s.Iteration);
            w.Write(s.Evaluations);
            w.Write(s.Cost);
            w.Write(s.PreviousCost);
            w.Write(s.GradientNorm);
            WriteFloats(w, s.Point);
            WriteFloats(w, s.Gradient);
            WriteFloats(w, s.Direction);
            WriteFloats(w, s.BestPoint);
            w.Write(s.BestCost);
            w.Write(s.BestGradientNorm);
            w.Write(s.Steps.Length);
            for (int i = 0; i < s.Steps.Length; i++)
            {
                WriteFloats(w, s.Steps[i]);
                WriteFloats(w, s.GradientChanges[i]);
                w.Write(s.Rho[i]);
            }

            w.Write(s.Oldest);
            w.Write(s.PairCount);
        }

        w.Write(History.Count);
        foreach (TrainingProgress p in History)
        {
            w.Write(p.Step);
            w.Write(p.TotalSteps);
            w.Write(p.Cost);
            w.Write(p.GradientNorm);
            w.Write(p.ElapsedSeconds);
            foreach (double? v in new[] { p.TrainCost, p.TrainAccuracy, p.ValidationCost, p.ValidationAccuracy })
            {
                w.Write(v.HasValue);
                w.Write(v ?? 0);
            }
        }
    }

    private static TrainingCheckpoint ReadPayload(BinaryReader r, string path)
    {
        string network = ReadString(r, path, "network");
        int optionCount = ReadCount(r, path, "option count", 4);
        TrainingOptions options = new();
        for (int i = 0; i < optionCount; i++)
        {
            string property = ReadString(r, path, "option name");
            string text = ReadString(r, path, "option value");
            OptionSpec spec = TrainingOptionTable.All.FirstOrDefault(s => s.Property == property)
                ?? throw new InvalidDataException($"{path}: unknown training option '{property}' in the checkpoint");
            try
            {
                options = spec.Parse(options, text);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{path}: the checkpoint's {e.Message}", e);
            }
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: the checkpoint's options: {e.Message}", e);
        }

        string data = ReadString(r, path, "training-data fingerprint");
        int trainingCount = ReadCount(r, path, "training count", 0);
        int contextCount = ReadCount(r, path, "context count", 8);
        var context = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < contextCount; i++)
        {
            context[ReadString(r, path, "context key")] = ReadString(r, path, "context value");
        }

        int step = ReadCount(r, path, "step", 0);
        int steps = ReadCount(r, path, "mini-batch steps", 0);
        long trainingStep = r.ReadInt64();
        double elapsed = r.ReadDouble();
        double initialSquares = r.ReadDouble(), firstCost = r.ReadDouble(), firstLambda = r.ReadDouble();
        int firstBatch = ReadCount(r, path, "first batch size", 0);
        double bestScore = r.ReadDouble();
        int bestEpoch = ReadCount(r, path, "best epoch", 0);
        float[] bestParameters = ReadFloats(r, path, "best parameters");
        float[] parameters = ReadFloats(r, path, "parameters");
        if (parameters.Any(p => !float.IsFinite(p)))
        {
            throw new InvalidDataException($"{path}: the checkpoint's parameters hold a non-finite value");
        }

        int[] order = new int[ReadCount(r, path, "order length", 4)];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = r.ReadInt32();
        }

        OptimizerState? optimizer = null;
        if (r.ReadBoolean())
        {
            string name = ReadString(r, path, "optimizer name");
            int stepCount = ReadCount(r, path, "optimizer step count", 0);
            var buffers = new List<KeyValuePair<string, float[]>>();
            int count = ReadCount(r, path, "optimizer buffer count", 8);
            for (int i = 0; i < count; i++)
            {
                buffers.Add(new(ReadString(r, path, "optimizer buffer name"), ReadFloats(r, path, "optimizer buffer")));
            }

            optimizer = new OptimizerState(name, stepCount, buffers);
        }

        FullBatchState<float>? fullBatch = null;
        if (r.ReadBoolean())
        {
            fullBatch = new FullBatchState<float>
            {
                Iteration = ReadCount(r, path, "iteration", 0),
                Evaluations = ReadCount(r, path, "evaluations", 0),
                Cost = r.ReadDouble(),
                PreviousCost = r.ReadDouble(),
                GradientNorm = r.ReadDouble(),
                Point = ReadFloats(r, path, "point"),
                Gradient = ReadFloats(r, path, "gradient"),
                Direction = ReadFloats(r, path, "direction"),
                BestPoint = ReadFloats(r, path, "best point"),
                BestCost = r.ReadDouble(),
                BestGradientNorm = r.ReadDouble(),
            };
            int memory = ReadCount(r, path, "L-BFGS memory", 8);
            (fullBatch.Steps, fullBatch.GradientChanges, fullBatch.Rho) = (new float[memory][], new float[memory][], new double[memory]);
            for (int i = 0; i < memory; i++)
            {
                fullBatch.Steps[i] = ReadFloats(r, path, "L-BFGS step");
                fullBatch.GradientChanges[i] = ReadFloats(r, path, "L-BFGS gradient change");
                fullBatch.Rho[i] = r.ReadDouble();
            }

            fullBatch.Oldest = ReadCount(r, path, "L-BFGS oldest pair", 0);
            fullBatch.PairCount = ReadCount(r, path, "L-BFGS pair count", 0);
        }

        int historyCount = ReadCount(r, path, "history length", (2 * 4) + (3 * 8) + (4 * 9));
        var history = new List<TrainingProgress>(historyCount);
        for (int i = 0; i < historyCount; i++)
        {
            var p = new TrainingProgress(r.ReadInt32(), r.ReadInt32(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
            double?[] measured = new double?[4];
            for (int k = 0; k < 4; k++)
            {
                bool has = r.ReadBoolean();
                double v = r.ReadDouble();
                measured[k] = has ? v : null;
            }

            history.Add(p with { TrainCost = measured[0], TrainAccuracy = measured[1], ValidationCost = measured[2], ValidationAccuracy = measured[3] });
        }

        return new TrainingCheckpoint
        {
            Network = network,
            Options = options,
            TrainingData = data,
            TrainingCount = trainingCount,
            Context = context,
            Step = step,
            Steps = steps,
            TrainingStep = trainingStep,
            ElapsedSeconds = elapsed,
            InitialSquares = initialSquares,
            FirstCost = firstCost,
            FirstLambda = firstLambda,
            FirstBatch = firstBatch,
            BestScore = bestScore,
            BestEpoch = bestEpoch,
            BestParameters = bestParameters,
            Parameters = parameters,
            Order = order,
            Optimizer = optimizer,
            FullBatch = fullBatch,
            History = history,
        };
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static void WriteFloats(BinaryWriter w, float[] values)
    {
        w.Write(values.Length);
        foreach (float v in values)
        {
            w.Write(v);
        }
    }

    // A count read from the file: not negative, and (for counts of items of itemBytes each) no more than the bytes left can hold.
    private static int ReadCount(BinaryReader r, string path, string field, int itemBytes)
    {
        int count = r.ReadInt32();
        long left = r.BaseStream.Length - r.BaseStream.Position;
        if (count < 0 || (itemBytes > 0 && (long)count * itemBytes > left))
        {
            throw new InvalidDataException($"{path}: the checkpoint's {field} is {count}, expected 0..{(itemBytes > 0 ? left / itemBytes : int.MaxValue)}");
        }

        return count;
    }

    private static string ReadString(BinaryReader r, string path, string field)
        => Encoding.UTF8.GetString(r.ReadBytes(ReadCount(r, path, field + " length", 1)));

    private static float[] ReadFloats(BinaryReader r, string path, string field)
    {
        var values = new float[ReadCount(r, path, field + " length", 4)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = r.ReadSingle();
        }

        return values;
    }
}

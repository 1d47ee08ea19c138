using System.Globalization;

namespace AnnLab.Training;

/// <summary>
/// The memory a training run needs, estimated before anything is allocated, so that a network too
/// large for the machine is refused as an option instead of dying of <see cref="OutOfMemoryException"/>
/// (or the kernel's OOM killer) half-way.
/// </summary>
/// <remarks>
/// Counted in parameter-sized float32 vectors that are written during the run (the resident memory;
/// buffers allocated but never touched, such as the gradient blocks of the forward-only learning-curve
/// measurements, cost no page), calibrated against the peak resident set size of real runs
/// (README, "Bad input, tested"). Not counted: a checkpoint, whose copy of the state is written on request
/// or on a signal.
/// </remarks>
public static class NetworkSize
{
    /// <summary>
    /// The vectors' bytes are taken 10 % larger than counted: the garbage collector's slack and pages of
    /// freed buffers not yet returned (measured peaks stay 10-30 % below the estimate; README, "Bad input, tested").
    /// </summary>
    public const double Margin = 1.1;

    /// <summary>Memory of the process besides the networks: the .NET runtime, the code, the tables; bytes.</summary>
    public const long ProcessBytes = 150_000_000;

    /// <summary>
    /// Parameter-sized vectors a run writes: the parameters; the warm-up's parameters and gradient
    /// (garbage, not always collected before training starts); sgd: the gradient of each row block of a
    /// batch (one per 100 rows), the summed gradient, the optimizer's state and early stopping's best
    /// weights; cg: the full-batch objective's row blocks (of 500 images), the line search's five
    /// (gradient, direction, trial point and gradient, best point), two copies, and the resumable state
    /// (point, gradient, direction, best point); lbfgs: the same without the direction, plus 2 x 10
    /// correction pairs and their copies in the resumable state.
    /// </summary>
    public static double ParameterVectors(TrainingOptions options, int trainCount)
    {
        ArgumentNullException.ThrowIfNull(options);
        int train = Math.Max(1, trainCount);
        const double warmUp = 2;
        return options.Solver switch
        {
            Solver.Cg => 1 + warmUp + Blocks(Math.Min(500, train)) + 7 + 4,
            Solver.Lbfgs => 1 + warmUp + Blocks(Math.Min(500, train)) + 6 + 3 + 2 * 2 * 10,
            _ => 1 + warmUp + Blocks(Math.Min(options.BatchSize, train)) + 1 + OptimizerVectors(options.Optimizer.Name) + (options.Patience > 0 ? 1 : 0),
        };
    }

    // The optimizer's state: velocity, moments, scratch; AdamW's decay mask as floats and its bool source.
    private static double OptimizerVectors(string optimizer) => optimizer switch
    {
        "momentum" or "nesterov" => 1,
        "rmsprop" => 2,
        "adam" => 3,
        "adamw" => 5.5,
        _ => 0,
    };

    // Backpropagation cuts m rows into blocks of 100, at most 16, each with a whole gradient.
    private static int Blocks(int rows) => Math.Clamp((rows + 99) / 100, 1, 16);

    /// <summary>The parameter count of dense layers of <paramref name="layerSizes"/>, in 64 bits so no size overflows.</summary>
    public static long Parameters(IReadOnlyList<int> layerSizes)
    {
        ArgumentNullException.ThrowIfNull(layerSizes);
        long count = 0;
        for (int l = 0; l + 1 < layerSizes.Count; l++)
        {
            count += ((long)layerSizes[l] + 1) * layerSizes[l + 1];
        }

        return count;
    }

    /// <summary>
    /// Bytes one run of a network needs besides <see cref="ProcessBytes"/>: <see cref="ParameterVectors"/>
    /// of float32 (with the <see cref="Margin"/>), and each unit's z, activation and delta for a block of rows (sgd: the batch, full
    /// batch and the measurements: 500), float32.
    /// </summary>
    /// <param name="layerSizes">Input size, hidden sizes..., output size.</param>
    /// <param name="options">Solver, optimizer, batch size, patience.</param>
    /// <param name="trainCount">Training images (the row blocks of a batch or of the full-batch objective depend on it).</param>
    public static long TrainingBytes(IReadOnlyList<int> layerSizes, TrainingOptions options, int trainCount)
    {
        ArgumentNullException.ThrowIfNull(options);
        long units = layerSizes.Sum(s => (long)s);
        long rows = Math.Max(500, options.Solver == Solver.Sgd ? options.BatchSize : 500);
        return (long)Math.Ceiling(Parameters(layerSizes) * ParameterVectors(options, trainCount) * Margin * sizeof(float)) + 3 * rows * units * sizeof(float);
    }

    /// <summary>
    /// Bytes the figures of a run add: the hidden-weights image and the copies of the first layer's
    /// weights they draw, 32 bytes per first-layer weight, and the images' bitmaps.
    /// </summary>
    public static long FigureBytes(IReadOnlyList<int> layerSizes)
    {
        ArgumentNullException.ThrowIfNull(layerSizes);
        return layerSizes.Count < 2 ? 0 : (((long)layerSizes[0] + 1) * layerSizes[1] * 32) + 64_000_000;
    }

    /// <summary>
    /// Checks that <paramref name="runsAtOnce"/> runs of a network of <paramref name="layerSizes"/> can be
    /// trained: at most int.MaxValue parameters, and <see cref="ProcessBytes"/> + <paramref name="dataBytes"/> +
    /// <paramref name="runsAtOnce"/> x (<see cref="TrainingBytes"/> + figures' <see cref="FigureBytes"/>) within
    /// what the machine has.
    /// </summary>
    /// <param name="layerSizes">Input size, hidden sizes..., output size (for a grid: its largest).</param>
    /// <param name="options">The solver, optimizer, batch size and patience.</param>
    /// <param name="trainCount">Training images.</param>
    /// <param name="dataBytes">The loaded images and labels, bytes.</param>
    /// <param name="figures">Whether the run draws the lab's figures.</param>
    /// <param name="runsAtOnce">Networks trained at the same time (a sweep's parallel grid points), at least 1.</param>
    /// <param name="availableBytes">The memory the process may use; null for <see cref="AvailableBytes"/>.</param>
    /// <param name="option">The option property to blame (`Hidden`; a sweep's `HiddenSizes`).</param>
    /// <exception cref="OptionOutOfRangeException">Too many parameters or too much memory, naming <paramref name="option"/>, the parameters and bytes needed and the bytes available.</exception>
    public static void Check(IReadOnlyList<int> layerSizes, TrainingOptions options, int trainCount, long dataBytes = 0, bool figures = false, int runsAtOnce = 1, long? availableBytes = null, string option = nameof(TrainingOptions.Hidden))
    {
        ArgumentNullException.ThrowIfNull(layerSizes);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(runsAtOnce, 1);
        long parameters = Parameters(layerSizes);
        string network = string.Join("-", layerSizes);
        string given = string.Join(",", option == nameof(TrainingOptions.Hidden) ? options.Hidden : layerSizes.Skip(1).SkipLast(1));
        if (parameters > int.MaxValue)
        {
            throw new OptionOutOfRangeException(option, given, $"hidden layers with at most {int.MaxValue} parameters in all (the network {network} has {parameters})");
        }

        long one = TrainingBytes(layerSizes, options, trainCount) + (figures ? FigureBytes(layerSizes) : 0);
        long needed = ProcessBytes + dataBytes + runsAtOnce * one;
        long available = availableBytes ?? AvailableBytes();
        if (needed > available)
        {
            string times = runsAtOnce > 1 ? $"{runsAtOnce} such networks trained at once need about" : "needs about";
            throw new OptionOutOfRangeException(option, given, $"hidden layers that fit in memory: the network {network} has {parameters} parameters and {times} {Gigabytes(needed)} ({ParameterVectorsText(options, trainCount)} parameter-sized vectors: parameters, gradients, optimizer state; activations, data), the machine has {Gigabytes(available)} available" + (layerSizes[0] > 4096 ? $"; its input layer is the images' {layerSizes[0]} pixels: smaller images (`ImageSize`) make it smaller" : ""));
        }
    }

    /// <summary>
    /// The memory a run may take: <see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/> (the machine's, or
    /// a container's limit), and on Linux at most what /proc/meminfo's MemAvailable says is free now plus
    /// what this process holds: a machine shared with other work has less than it has in all.
    /// </summary>
    public static long AvailableBytes()
    {
        long total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        try
        {
            string? line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal)) : null;
            string[] parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
            if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long kilobytes))
            {
                return Math.Min(total, (kilobytes * 1024) + Environment.WorkingSet);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No /proc: the total is all we know.
        }

        return total;
    }

    private static string ParameterVectorsText(TrainingOptions options, int trainCount) => ParameterVectors(options, trainCount).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Gigabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.##} GB");
}

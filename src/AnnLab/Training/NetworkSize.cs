using System.Globalization;

namespace AnnLab.Training;

/// <summary>
/// The memory a training run needs, estimated before anything is allocated, so that a network too
/// large for the machine is refused as an option instead of dying of <see cref="OutOfMemoryException"/>
/// half-way.
/// </summary>
public static class NetworkSize
{
    /// <summary>
    /// Parameter-sized float32 vectors a solver keeps: the parameters and the gradient, plus the
    /// optimizer's state (Adam's two moments, the most of the mini-batch optimizers), CG's direction,
    /// previous gradient and trial point, or L-BFGS's 2 x 10 correction pairs and its line search.
    /// </summary>
    private static int ParameterVectors(Solver solver) => solver switch
    {
        Solver.Cg => 6,
        Solver.Lbfgs => 24,
        _ => 4,
    };

    /// <summary>The parameter count of dense layers of <paramref name="layerSizes"/>, in 64 bits so no size overflows.</summary>
    public static long Parameters(IReadOnlyList<int> layerSizes)
    {
        long count = 0;
        for (int l = 0; l + 1 < layerSizes.Count; l++)
        {
            count += ((long)layerSizes[l] + 1) * layerSizes[l + 1];
        }

        return count;
    }

    /// <summary>
    /// Bytes a run needs: parameter-sized vectors (parameters, gradient, optimizer state) and, for a
    /// batch (sgd: <see cref="TrainingOptions.BatchSize"/>, full batch: blocks of 500), each unit's z,
    /// activation and delta, all float32.
    /// </summary>
    public static long TrainingBytes(IReadOnlyList<int> layerSizes, TrainingOptions options)
    {
        long units = layerSizes.Sum(s => (long)s);
        long batch = options.Solver == Solver.Sgd ? options.BatchSize : 500;
        return (Parameters(layerSizes) * ParameterVectors(options.Solver) + 3 * batch * units) * sizeof(float);
    }

    /// <summary>Checks that a network of <paramref name="layerSizes"/> can be trained: at most int.MaxValue parameters, and the memory of <see cref="TrainingBytes"/> within what the machine has.</summary>
    /// <param name="layerSizes">Input size, hidden sizes..., output size.</param>
    /// <param name="options">The solver and batch size.</param>
    /// <param name="availableBytes">The memory the process may use; null for <see cref="GC.GetGCMemoryInfo()"/>'s <see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>.</param>
    /// <exception cref="OptionOutOfRangeException">Too many parameters or too much memory, naming `Hidden`, the parameters and bytes needed and the bytes available.</exception>
    public static void Check(IReadOnlyList<int> layerSizes, TrainingOptions options, long? availableBytes = null)
    {
        long parameters = Parameters(layerSizes);
        string network = string.Join("-", layerSizes);
        if (parameters > int.MaxValue)
        {
            throw new OptionOutOfRangeException(nameof(TrainingOptions.Hidden), string.Join(",", options.Hidden), $"hidden layers with at most {int.MaxValue} parameters in all (the network {network} has {parameters})");
        }

        long needed = TrainingBytes(layerSizes, options);
        long available = availableBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (needed > available)
        {
            throw new OptionOutOfRangeException(nameof(TrainingOptions.Hidden), string.Join(",", options.Hidden), $"hidden layers that fit in memory: the network {network} has {parameters} parameters and needs about {Gigabytes(needed)} (parameters, gradient, optimizer state, a batch's activations), the machine has {Gigabytes(available)}");
        }
    }

    private static string Gigabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.##} GB");
}

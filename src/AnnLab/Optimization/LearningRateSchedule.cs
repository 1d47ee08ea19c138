namespace AnnLab.Optimization;

/// <summary>The learning rate alpha of each epoch of a mini-batch run.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for one epoch.</summary>
    /// <param name="epoch">The epoch, 0-based: 0 &lt;= epoch &lt; <paramref name="totalEpochs"/>.</param>
    /// <param name="totalEpochs">Epochs in the run, &gt;= 1 (the largest the run may do, e.g. the maximum epoch count).</param>
    /// <returns>The learning rate, finite and &gt;= 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="totalEpochs"/> below 1, or <paramref name="epoch"/> outside 0..totalEpochs-1.</exception>
    double Rate(int epoch, int totalEpochs);
}

/// <summary>The same learning rate in every epoch (the lab's schedule).</summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="baseRate">The learning rate, finite and &gt;= 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baseRate"/> is out of range.</exception>
    public ConstantSchedule(double baseRate)
    {
        Schedules.CheckRate(baseRate, nameof(baseRate));
        BaseRate = baseRate;
    }

    /// <summary>The learning rate.</summary>
    public double BaseRate { get; }

    /// <inheritdoc/>
    public double Rate(int epoch, int totalEpochs)
    {
        Schedules.CheckEpoch(epoch, totalEpochs);
        return BaseRate;
    }
}

/// <summary>
/// Step decay, as PyTorch's StepLR: rate = baseRate * gamma^floor(epoch / stepSize), so the rate is
/// multiplied by gamma every stepSize epochs.
/// </summary>
public sealed class StepSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="baseRate">The rate of epochs 0..stepSize-1, finite and &gt;= 0.</param>
    /// <param name="stepSize">Epochs between decays, &gt;= 1.</param>
    /// <param name="gamma">The factor applied at each decay, finite and &gt; 0 (PyTorch's default is 0.1).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public StepSchedule(double baseRate, int stepSize, double gamma = 0.1)
    {
        Schedules.CheckRate(baseRate, nameof(baseRate));
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        if (!(gamma > 0) || !double.IsFinite(gamma))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Must be finite and > 0.");
        }

        BaseRate = baseRate;
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>The rate of the first stepSize epochs.</summary>
    public double BaseRate { get; }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>The factor applied at each decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public double Rate(int epoch, int totalEpochs)
    {
        Schedules.CheckEpoch(epoch, totalEpochs);
        return BaseRate * Math.Pow(Gamma, epoch / StepSize);
    }
}

/// <summary>
/// Cosine annealing without restarts (Loshchilov and Hutter, "SGDR: Stochastic Gradient Descent with
/// Warm Restarts", ICLR 2017, eq. 5, one cycle), as PyTorch's CosineAnnealingLR with T_max = totalEpochs:
/// rate = minRate + (baseRate - minRate) (1 + cos(pi epoch / totalEpochs)) / 2.
/// </summary>
/// <remarks>
/// Epoch 0 gets baseRate; the rate would reach minRate at epoch totalEpochs, one past the last, so the
/// last epoch gets minRate + (baseRate - minRate) (1 - cos(pi / totalEpochs)) / 2, just above minRate
/// (what PyTorch gives when its scheduler steps once per epoch).
/// </remarks>
public sealed class CosineSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="baseRate">The rate of epoch 0, finite and &gt;= <paramref name="minRate"/>.</param>
    /// <param name="minRate">The floor the rate anneals toward, finite and &gt;= 0 (PyTorch's eta_min).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public CosineSchedule(double baseRate, double minRate = 0)
    {
        Schedules.CheckRate(minRate, nameof(minRate));
        Schedules.CheckRate(baseRate, nameof(baseRate));
        if (baseRate < minRate)
        {
            throw new ArgumentOutOfRangeException(nameof(baseRate), baseRate, $"Must be >= minRate ({minRate}).");
        }

        BaseRate = baseRate;
        MinRate = minRate;
    }

    /// <summary>The rate of epoch 0.</summary>
    public double BaseRate { get; }

    /// <summary>The floor the rate anneals toward.</summary>
    public double MinRate { get; }

    /// <inheritdoc/>
    public double Rate(int epoch, int totalEpochs)
    {
        Schedules.CheckEpoch(epoch, totalEpochs);
        return MinRate + (BaseRate - MinRate) * (1 + Math.Cos(Math.PI * epoch / totalEpochs)) / 2;
    }
}

/// <summary>
/// Linear warm-up in front of any schedule: rate = inner.Rate(epoch, totalEpochs) * (epoch + 1) / warmupEpochs
/// for epoch &lt; warmupEpochs, and inner.Rate(epoch, totalEpochs) from then on.
/// </summary>
/// <remarks>
/// <para>
/// Over a constant inner rate the rate rises linearly, baseRate/w, 2 baseRate/w, ..., baseRate in epoch
/// w - 1 (Goyal et al., "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour", 2017, section 2.2,
/// gradual warm-up). The inner schedule keeps counting epochs from 0 during the warm-up (it is not shifted),
/// so a step or cosine schedule decays at the same epochs with or without the warm-up.
/// </para>
/// <para>
/// This is PyTorch's LinearLR(start_factor = 1/w, end_factor = 1, total_iters = w - 1) multiplied by the
/// inner schedule, as ChainedScheduler combines them. warmupEpochs = 0 or 1 leaves the inner schedule as it is.
/// </para>
/// </remarks>
public sealed class WarmupSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="inner">The schedule being warmed up.</param>
    /// <param name="warmupEpochs">Epochs of warm-up w, &gt;= 0.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="warmupEpochs"/> is negative.</exception>
    public WarmupSchedule(ILearningRateSchedule inner, int warmupEpochs)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupEpochs);
        Inner = inner;
        WarmupEpochs = warmupEpochs;
    }

    /// <summary>The schedule being warmed up.</summary>
    public ILearningRateSchedule Inner { get; }

    /// <summary>Epochs of warm-up.</summary>
    public int WarmupEpochs { get; }

    /// <inheritdoc/>
    public double Rate(int epoch, int totalEpochs)
    {
        double rate = Inner.Rate(epoch, totalEpochs);
        return epoch < WarmupEpochs ? rate * (epoch + 1) / WarmupEpochs : rate;
    }
}

// Argument checks shared by the schedules.
internal static class Schedules
{
    public static void CheckRate(double rate, string name)
    {
        if (!(rate >= 0) || !double.IsFinite(rate))
        {
            throw new ArgumentOutOfRangeException(name, rate, "Must be finite and >= 0.");
        }
    }

    public static void CheckEpoch(int epoch, int totalEpochs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(epoch, totalEpochs);
    }
}

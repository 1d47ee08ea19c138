using System.Diagnostics;
using AnnLab.Kernels;

namespace AnnLab.Network;

/// <summary>One phase of a training step in a <see cref="StepProfile"/>.</summary>
/// <param name="Name">What the phase does, e.g. "forward 1: dense 784 -> 25".</param>
/// <param name="Seconds">Thread time spent in it, summed over the team's threads, in seconds.</param>
/// <param name="Flops">Floating-point operations it did (2 per multiply-add; 0 where not counted).</param>
public readonly record struct StepPhase(string Name, double Seconds, double Flops);

/// <summary>
/// Where the time of training steps goes: <see cref="Backpropagation{T}"/> takes a
/// <see cref="Stopwatch"/> timestamp at each phase boundary of every row block (gather and
/// conversion, each layer's forward, the output layer's h, costs and delta, each layer's backward
/// and weight gradient) and around the sweep, on the thread that runs it, and adds the ticks to
/// that thread's own counters. The arithmetic is the same as without a profile, so are the results.
/// </summary>
/// <remarks>Made by <see cref="Backpropagation{T}.StartProfile"/>; read it once the steps are done.
/// A thread's waiting is the wall time of the parallel sections minus its time in their phases:
/// the barrier at each section's end, and a worker's start-up latency.</remarks>
public sealed class StepProfile
{
    private const int Padding = 16; // longs past each thread's counters, so no two threads write one cache line

    private readonly string[] names;
    private readonly long[] flopsPerSample;
    private readonly long[][] ticks; // per team member: per phase
    private readonly int sweepPhase;

    internal StepProfile(string[] names, long[] flopsPerSample, int threads)
    {
        this.names = names;
        this.flopsPerSample = flopsPerSample;
        sweepPhase = names.Length - 1;
        Threads = threads;
        ticks = new long[threads][];
        for (int t = 0; t < threads; t++)
        {
            ticks[t] = new long[names.Length + Padding];
        }
    }

    /// <summary>Threads of the team that ran the steps.</summary>
    public int Threads { get; }

    /// <summary>Training steps profiled.</summary>
    public long Steps { get; internal set; }

    /// <summary>Samples passed forward and backward, summed over the steps.</summary>
    public long Samples { get; internal set; }

    /// <summary>Wall time of the steps, in seconds.</summary>
    public double WallSeconds => Seconds(StepTicks);

    /// <summary>Wall time of the row-block sections (gather to weight gradient), in seconds.</summary>
    public double BlockWallSeconds => Seconds(BlockTicks);

    /// <summary>Wall time of the sweep sections (sum, regularize, update), in seconds.</summary>
    public double SweepWallSeconds => Seconds(SweepTicks);

    internal long StepTicks { get; set; }

    internal long BlockTicks { get; set; }

    internal long SweepTicks { get; set; }

    /// <summary>Each phase's thread time and FLOP, in step order, the sweep last.</summary>
    public IReadOnlyList<StepPhase> Phases()
    {
        var phases = new List<StepPhase>();
        for (int p = 0; p < names.Length; p++)
        {
            if (names[p].Length == 0)
            {
                continue; // a phase this network does not have (the first layer's delta W)
            }

            long sum = 0;
            foreach (long[] member in ticks)
            {
                sum += member[p];
            }

            phases.Add(new StepPhase(names[p], Seconds(sum), (double)flopsPerSample[p] * Samples));
        }

        return phases;
    }

    /// <summary>Per thread (0 = the caller's), the seconds it waited in the row-block sections and in the sweep sections.</summary>
    public IReadOnlyList<(double Blocks, double Sweep)> Waiting()
    {
        var waits = new (double, double)[Threads];
        for (int t = 0; t < Threads; t++)
        {
            long busy = 0;
            for (int p = 0; p < sweepPhase; p++)
            {
                busy += ticks[t][p];
            }

            waits[t] = (Seconds(BlockTicks - busy), Seconds(SweepTicks - ticks[t][sweepPhase]));
        }

        return waits;
    }

    internal int SweepPhase => sweepPhase;

    // Adds the ticks since `since` to the calling thread's counter of `phase`; returns now.
    internal long Lap(int phase, long since)
    {
        long now = Stopwatch.GetTimestamp();
        ticks[WorkerTeam.CurrentMember][phase] += now - since;
        return now;
    }

    private static double Seconds(long elapsed) => (double)elapsed / Stopwatch.Frequency;
}

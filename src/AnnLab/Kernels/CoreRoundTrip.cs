using System.Diagnostics;

namespace AnnLab.Kernels;

/// <summary>
/// The time for one cache line to go from one core to another and back: what every hand-off between
/// the threads of a training step costs (the partial gradients and the weights that one core wrote and
/// the other reads), and the reason two threads can scale well on one machine and poorly on another.
/// </summary>
/// <remarks>
/// <para>How: a ping-pong. The caller writes an odd number into a shared 8-byte cell, a second thread
/// waits for it and answers with the next even number, and the caller waits for that; each round
/// trip moves the cell's cache line to the other core and back. This is the method of
/// nviennot/core-to-core-latency (github.com/nviennot/core-to-core-latency), without pinning the
/// threads to cores: .NET cannot pin them, and on an otherwise idle machine two spinning threads run
/// on two cores. The cell sits alone in 256 bytes, so no other data shares its line or the adjacent
/// one (which some prefetchers fetch as a pair).</para>
/// <para>Figures seen: 80-120 ns on an AMD EPYC Zen 5 VM whose two cores shared a core complex, and
/// 360-460 ns on the same VM minutes later, after the host had moved one of them to another.</para>
/// </remarks>
public static class CoreRoundTrip
{
    /// <summary>Round trips per repeat by default: about 2-10 ms.</summary>
    public const int DefaultTrips = 20_000;

    /// <summary>Timed repeats by default; the fastest gives the figure, as noise only slows a repeat down.</summary>
    public const int DefaultRepeats = 5;

    private const int Cell = 16; // index of the cell in a 32-long (256-byte) array

    /// <summary>Measures the round trip between the calling thread and one other thread.</summary>
    /// <param name="trips">Round trips per repeat, at least 1.</param>
    /// <param name="repeats">Timed repeats, at least 1 (after one untimed warm-up).</param>
    /// <returns>The fastest repeat's nanoseconds per round trip; null on a machine with one logical processor, where the two threads would take turns on one core.</returns>
    /// <exception cref="ArgumentOutOfRangeException">trips or repeats below 1.</exception>
    public static double? MeasureNanoseconds(int trips = DefaultTrips, int repeats = DefaultRepeats)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trips, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        if (Environment.ProcessorCount < 2)
        {
            return null;
        }

        var cells = new long[2 * Cell];
        var answerer = new Thread(() => Answer(cells)) { IsBackground = true, Name = "annlab-round-trip" };
        answerer.Start();
        long next = 1;
        double best = double.PositiveInfinity;
        for (int r = 0; r <= repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int t = 0; t < trips; t++, next += 2)
            {
                Volatile.Write(ref cells[Cell], next);
                while (Volatile.Read(ref cells[Cell]) != next + 1)
                {
                }
            }

            double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / trips;
            best = r == 0 ? best : Math.Min(best, ns); // repeat 0 warms up
        }

        Volatile.Write(ref cells[Cell], -1);
        answerer.Join();
        return best;
    }

    // Answers each odd number with the next even one until it reads -1.
    private static void Answer(long[] cells)
    {
        while (true)
        {
            long seen = Volatile.Read(ref cells[Cell]);
            if (seen < 0)
            {
                return;
            }

            if ((seen & 1) == 1)
            {
                Volatile.Write(ref cells[Cell], seen + 1);
            }
        }
    }
}

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
    private const int FloatsPerLine = 16; // a 64-byte cache line

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

    /// <summary>Exchanges per repeat by default for <see cref="MeasureTransferNanoseconds"/>: about 3-25 ms for 1,250 lines.</summary>
    public const int DefaultExchanges = 1_000;

    /// <summary>
    /// Measures the time to move <paramref name="lines"/> cache lines that the calling thread wrote
    /// to another thread that reads them, and to hear back: the hand-off of a training step's
    /// weights or partial gradients from one core to the other (the network's parameters are
    /// parameters / 16 lines of floats). Each exchange, the caller writes one float into every line
    /// of a buffer and posts a counter; the other thread waits for it, reads the lines and answers.
    /// </summary>
    /// <remarks>
    /// Figures seen on an AMD EPYC Zen 5 VM: 1,245 lines took 2.8-3.0 us (2.2-2.4 ns a line, the round
    /// trip included) while its two cores shared a core complex, and 12.1-12.6 us (9.5-10 ns a line)
    /// while they did not, minutes apart: moving data between the cores costs four times more,
    /// not only the hand-shake.
    /// </remarks>
    /// <param name="lines">Cache lines (64 bytes) moved per exchange, at least 1.</param>
    /// <param name="exchanges">Exchanges per repeat, at least 1.</param>
    /// <param name="repeats">Timed repeats, at least 1 (after one untimed warm-up); the fastest gives the figure.</param>
    /// <returns>The fastest repeat's nanoseconds per exchange (the round trip included); null on a machine with one logical processor.</returns>
    /// <exception cref="ArgumentOutOfRangeException">lines, exchanges or repeats below 1.</exception>
    public static double? MeasureTransferNanoseconds(int lines, int exchanges = DefaultExchanges, int repeats = DefaultRepeats)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lines, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(exchanges, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        if (Environment.ProcessorCount < 2)
        {
            return null;
        }

        var data = new float[(lines + 1) * FloatsPerLine];
        var cells = new long[4 * Cell]; // the post at Cell, the answer at 3 * Cell: 256 bytes apart
        var reader = new Thread(() => Read(data, lines, cells)) { IsBackground = true, Name = "annlab-line-transfer" };
        reader.Start();
        long next = 0;
        double best = double.PositiveInfinity;
        for (int r = 0; r <= repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int e = 0; e < exchanges; e++)
            {
                next++;
                for (int i = 0; i < lines; i++)
                {
                    data[i * FloatsPerLine] = next;
                }

                Volatile.Write(ref cells[Cell], next);
                while (Volatile.Read(ref cells[3 * Cell]) != next)
                {
                }
            }

            double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / exchanges;
            best = r == 0 ? best : Math.Min(best, ns); // repeat 0 warms up
        }

        Volatile.Write(ref cells[Cell], -1);
        reader.Join();
        return best;
    }

    // Waits for each posted counter, reads every line's float, and answers with the counter, until it reads -1.
    private static void Read(float[] data, int lines, long[] cells)
    {
        long answered = 0;
        while (true)
        {
            long posted = Volatile.Read(ref cells[Cell]);
            if (posted < 0)
            {
                return;
            }

            if (posted != answered)
            {
                float sum = 0;
                for (int i = 0; i < lines; i++)
                {
                    sum += data[i * FloatsPerLine];
                }

                // The sum is posted with the answer so that the reads cannot be left out.
                Volatile.Write(ref cells[(3 * Cell) + 1], (long)sum);
                Volatile.Write(ref cells[3 * Cell], posted);
                answered = posted;
            }
        }
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

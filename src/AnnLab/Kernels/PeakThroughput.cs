using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace AnnLab.Kernels;

/// <summary>One measured peak: single-precision FMA throughput at one vector width on a number of threads.</summary>
/// <param name="VectorBits">Width of the vectors the loop ran on: 512, 256 or 128 bits.</param>
/// <param name="Threads">Threads that ran the loop at the same time.</param>
/// <param name="Gflops">Billions of floating-point operations per second, all threads together (an FMA counts 2 per lane).</param>
public readonly record struct PeakFigure(int VectorBits, int Threads, double Gflops);

/// <summary>
/// The machine's measured peak single-precision FMA throughput, the yardstick that <c>annlab bench</c>
/// reports its GFLOP/s against (<see cref="FractionOfPeak"/>).
/// </summary>
/// <remarks>
/// <para>What it measures: a register-only loop of fused multiply-adds, <c>acc = acc * a + b</c>, on
/// <see cref="Chains"/> independent accumulator vectors per thread, with no loads or stores, so nothing
/// but the FMA units limits it. One FMA on a vector of L float lanes counts 2 L FLOP, the convention of
/// vendors' spec sheets (peak = cores x clock x FMA units x 2 x lanes).</para>
/// <para>How: each chain waits on its own previous FMA, so the loop keeps (FMA latency x FMA issue rate)
/// operations in flight only if it has at least that many chains: 4 cycles x 2 units = 8 on Intel's
/// Skylake-SP to Sapphire Rapids and AMD's Zen 3 and Zen 4, 5 x 2 = 10 on Zen 2 (Agner Fog,
/// <i>Instruction tables</i>). <see cref="Chains"/> = 12 covers that with room to spare
/// and still fits the 16 vector registers of an AVX2 machine. Each thread first runs the loop once
/// untimed (warm-up: the clock ramps up and the code is compiled), then all threads are released
/// together by a barrier for each of a few short repeats; a repeat's time runs from the first thread's
/// start to the last one's end, and the best (shortest) repeat gives the figure, as noise on a shared
/// machine only ever slows a repeat down. The loop's results are summed and kept, so the JIT cannot
/// remove it, and checked to be finite.</para>
/// <para>Widths: Vector512 where <see cref="Vector512.IsHardwareAccelerated"/> and <see cref="Avx512F"/>
/// are, Vector256 where <see cref="Vector256.IsHardwareAccelerated"/> and <see cref="Fma"/> are; on a
/// machine with neither (e.g. ARM64), Vector128.</para>
/// </remarks>
public sealed class PeakThroughput
{
    /// <summary>Independent accumulator vectors per thread.</summary>
    public const int Chains = 12;

    /// <summary>Loop iterations per thread and repeat by default: 12 x 2^18 FMAs, 0.85 ms on a core of 32 FLOP per cycle at 3.7 GHz (Zen 4).</summary>
    public const long DefaultIterations = 1L << 18;

    /// <summary>
    /// Timed repeats per width and thread count by default (after one warm-up). Many short repeats rather
    /// than a few long ones: on a machine that other programs share, a short repeat has a better chance to
    /// find all cores free (measured here: a competing build halves the all-thread figure of most repeats).
    /// </summary>
    public const int DefaultRepeats = 20;

    // acc -> acc * a + b converges to b / (1 - a) = 1: the values stay normal and finite, however long the loop.
    private const float Multiplier = 0.999f;
    private const float Addend = 0.001f;

    private static float sink;

    /// <summary>Wraps measured (or given) figures.</summary>
    /// <param name="figures">At least one figure, each with Threads at least 1 and a positive, finite Gflops.</param>
    /// <exception cref="ArgumentException">No figures, or a figure with Threads below 1 or Gflops not positive and finite.</exception>
    public PeakThroughput(IReadOnlyList<PeakFigure> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        if (figures.Count == 0)
        {
            throw new ArgumentException("expected at least one figure, got none", nameof(figures));
        }

        foreach (PeakFigure figure in figures)
        {
            if (figure.Threads < 1 || !double.IsFinite(figure.Gflops) || figure.Gflops <= 0)
            {
                throw new ArgumentException($"expected threads >= 1 and a positive, finite GFLOP/s, got {figure}", nameof(figures));
            }
        }

        Figures = figures;
        AllThreads = figures.Max(f => f.Threads);
        Peak = figures.Where(f => f.Threads == AllThreads).MaxBy(f => f.Gflops);
    }

    /// <summary>Every figure: each width measured on 1 thread and on <see cref="AllThreads"/>.</summary>
    public IReadOnlyList<PeakFigure> Figures { get; }

    /// <summary>The most threads any figure ran on (all the machine's threads when measured).</summary>
    public int AllThreads { get; }

    /// <summary>The all-thread peak: the fastest width on <see cref="AllThreads"/> threads, what <see cref="FractionOfPeak"/> divides by.</summary>
    public PeakFigure Peak { get; }

    /// <summary>
    /// The all-thread peak over <see cref="AllThreads"/> times the fastest 1-thread figure: 1 when the
    /// threads scale perfectly; well below 1 when other programs held some of the cores while it was
    /// measured, so that the fractions of this peak come out too high.
    /// </summary>
    public double ThreadScaling => Peak.Gflops / (AllThreads * Figures.Where(f => f.Threads == 1).DefaultIfEmpty(Peak).Max(f => f.Gflops / f.Threads));

    /// <summary>The vector widths measured on this machine, widest first: 512 and/or 256 bits, or 128 when neither is accelerated.</summary>
    public static IReadOnlyList<int> SupportedWidths
    {
        get
        {
            var widths = new List<int>(2);
            if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
            {
                widths.Add(512);
            }

            if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
            {
                widths.Add(256);
            }

            if (widths.Count == 0)
            {
                widths.Add(128);
            }

            return widths;
        }
    }

    /// <summary>
    /// Of two measurements of the same machine, the one with the higher all-thread peak (the first
    /// on a tie): a core held by another program, or a virtual CPU the host has not yet woken, only
    /// ever makes the loop slower, never faster.
    /// </summary>
    /// <exception cref="ArgumentNullException">a or b is null.</exception>
    public static PeakThroughput Better(PeakThroughput a, PeakThroughput b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return b.Peak.Gflops > a.Peak.Gflops ? b : a;
    }

    /// <summary><paramref name="gflops"/> as a fraction of the all-thread peak <see cref="Peak"/> (1 = the peak).</summary>
    /// <param name="gflops">A throughput in GFLOP/s.</param>
    public double FractionOfPeak(double gflops) => gflops / Peak.Gflops;

    /// <summary>
    /// Measures every width of <see cref="SupportedWidths"/> on 1 thread and on <paramref name="threads"/>
    /// (once when that is 1). With the defaults it takes a fraction of a second in all.
    /// </summary>
    /// <param name="threads">Threads for the all-thread figures; all the machine's logical processors by default.</param>
    /// <param name="iterations">Loop iterations per thread and repeat (each runs <see cref="Chains"/> FMAs).</param>
    /// <param name="repeats">Timed repeats per figure; the best counts.</param>
    /// <exception cref="ArgumentOutOfRangeException">threads below 1, iterations below 1, repeats below 1.</exception>
    public static PeakThroughput Measure(int threads = 0, long iterations = DefaultIterations, int repeats = DefaultRepeats)
    {
        if (threads == 0)
        {
            threads = Environment.ProcessorCount;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var figures = new List<PeakFigure>();
        foreach (int bits in SupportedWidths)
        {
            figures.Add(MeasureOne(bits, 1, iterations, repeats));
            if (threads > 1)
            {
                figures.Add(MeasureOne(bits, threads, iterations, repeats));
            }
        }

        return new PeakThroughput(figures);
    }

    private static PeakFigure MeasureOne(int bits, int threads, long iterations, int repeats)
    {
        var starts = new long[threads];
        var ends = new long[threads];
        var sums = new float[threads];
        long best = long.MaxValue;
        // Phase 0 ends the warm-up; then each repeat is two phases, the odd one releasing the threads
        // together and the even one collecting them. The post-phase action runs on the last thread to
        // arrive, before any is released.
        using var barrier = new Barrier(threads, b =>
        {
            if (b.CurrentPhaseNumber > 0 && b.CurrentPhaseNumber % 2 == 0)
            {
                best = Math.Min(best, ends.Max() - starts.Min());
            }
        });

        void Work(int thread)
        {
            float seed = 1f + thread;
            sums[thread] += Loop(bits, iterations, seed); // warm-up
            barrier.SignalAndWait();
            for (int r = 0; r < repeats; r++)
            {
                barrier.SignalAndWait();
                starts[thread] = Stopwatch.GetTimestamp();
                sums[thread] += Loop(bits, iterations, seed);
                ends[thread] = Stopwatch.GetTimestamp();
                barrier.SignalAndWait();
            }
        }

        var workers = new Thread[threads - 1];
        for (int i = 0; i < workers.Length; i++)
        {
            int thread = i + 1;
            workers[i] = new Thread(() => Work(thread)) { IsBackground = true, Name = $"annlab-peak-{thread}" };
            workers[i].Start();
        }

        Work(0);
        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        float total = sums.Sum();
        if (!float.IsFinite(total))
        {
            throw new InvalidOperationException($"the FMA loop's result is not finite: {total}");
        }

        Volatile.Write(ref sink, total);
        double flop = 2.0 * (bits / 32) * Chains * iterations * threads;
        double seconds = (double)best / Stopwatch.Frequency;
        return new PeakFigure(bits, threads, flop / seconds / 1e9);
    }

    private static float Loop(int bits, long iterations, float seed) => bits switch
    {
        512 => Loop512(iterations, seed),
        256 => Loop256(iterations, seed),
        _ => Loop128(iterations, seed),
    };

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop512(long iterations, float seed)
    {
        Vector512<float> a = Vector512.Create(Multiplier), b = Vector512.Create(Addend);
        Vector512<float> s = Vector512.Create(seed);
        Vector512<float> c0 = s, c1 = s + b, c2 = s - b, c3 = s * a, c4 = s + s, c5 = s * s;
        Vector512<float> c6 = c1 + b, c7 = c2 - b, c8 = c3 * a, c9 = c4 + b, c10 = c5 + b, c11 = c6 + b;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b);
            c1 = Vector512.FusedMultiplyAdd(c1, a, b);
            c2 = Vector512.FusedMultiplyAdd(c2, a, b);
            c3 = Vector512.FusedMultiplyAdd(c3, a, b);
            c4 = Vector512.FusedMultiplyAdd(c4, a, b);
            c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b);
            c7 = Vector512.FusedMultiplyAdd(c7, a, b);
            c8 = Vector512.FusedMultiplyAdd(c8, a, b);
            c9 = Vector512.FusedMultiplyAdd(c9, a, b);
            c10 = Vector512.FusedMultiplyAdd(c10, a, b);
            c11 = Vector512.FusedMultiplyAdd(c11, a, b);
        }

        return Vector512.Sum(((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop256(long iterations, float seed)
    {
        Vector256<float> a = Vector256.Create(Multiplier), b = Vector256.Create(Addend);
        Vector256<float> s = Vector256.Create(seed);
        Vector256<float> c0 = s, c1 = s + b, c2 = s - b, c3 = s * a, c4 = s + s, c5 = s * s;
        Vector256<float> c6 = c1 + b, c7 = c2 - b, c8 = c3 * a, c9 = c4 + b, c10 = c5 + b, c11 = c6 + b;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, a, b);
            c1 = Vector256.FusedMultiplyAdd(c1, a, b);
            c2 = Vector256.FusedMultiplyAdd(c2, a, b);
            c3 = Vector256.FusedMultiplyAdd(c3, a, b);
            c4 = Vector256.FusedMultiplyAdd(c4, a, b);
            c5 = Vector256.FusedMultiplyAdd(c5, a, b);
            c6 = Vector256.FusedMultiplyAdd(c6, a, b);
            c7 = Vector256.FusedMultiplyAdd(c7, a, b);
            c8 = Vector256.FusedMultiplyAdd(c8, a, b);
            c9 = Vector256.FusedMultiplyAdd(c9, a, b);
            c10 = Vector256.FusedMultiplyAdd(c10, a, b);
            c11 = Vector256.FusedMultiplyAdd(c11, a, b);
        }

        return Vector256.Sum(((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)));
    }

    // The fallback where neither Vector512 nor Vector256 FMA is accelerated: ARM64's 128-bit FMLA, or
    // whatever Vector128.FusedMultiplyAdd compiles to elsewhere.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop128(long iterations, float seed)
    {
        Vector128<float> a = Vector128.Create(Multiplier), b = Vector128.Create(Addend);
        Vector128<float> s = Vector128.Create(seed);
        Vector128<float> c0 = s, c1 = s + b, c2 = s - b, c3 = s * a, c4 = s + s, c5 = s * s;
        Vector128<float> c6 = c1 + b, c7 = c2 - b, c8 = c3 * a, c9 = c4 + b, c10 = c5 + b, c11 = c6 + b;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector128.FusedMultiplyAdd(c0, a, b);
            c1 = Vector128.FusedMultiplyAdd(c1, a, b);
            c2 = Vector128.FusedMultiplyAdd(c2, a, b);
            c3 = Vector128.FusedMultiplyAdd(c3, a, b);
            c4 = Vector128.FusedMultiplyAdd(c4, a, b);
            c5 = Vector128.FusedMultiplyAdd(c5, a, b);
            c6 = Vector128.FusedMultiplyAdd(c6, a, b);
            c7 = Vector128.FusedMultiplyAdd(c7, a, b);
            c8 = Vector128.FusedMultiplyAdd(c8, a, b);
            c9 = Vector128.FusedMultiplyAdd(c9, a, b);
            c10 = Vector128.FusedMultiplyAdd(c10, a, b);
            c11 = Vector128.FusedMultiplyAdd(c11, a, b);
        }

        return Vector128.Sum(((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)));
    }
}

using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace AnnLab.Kernels;

/// <summary>
/// A fixed team of threads for the many short parallel sections of training (one per mini-batch).
/// <see cref="Run"/> hands out numbered work items one at a time, to the caller's thread and to
/// <c>size - 1</c> dedicated workers alike, so a worker that the operating system has not
/// scheduled yet never holds the others up: the caller simply takes its items. Idle workers spin
/// for a moment and then sleep, so a section starts in well under a microsecond while training and
/// costs nothing between runs. (The thread pool's Parallel.For needed hundreds of microseconds per
/// section here, more than a batch's arithmetic.)
/// </summary>
/// <remarks>Which thread runs an item varies from run to run; callers keep results independent of it
/// by giving each item its own output (AnnLab's row blocks each fill their own partial gradient).</remarks>
public sealed class WorkerTeam : IDisposable
{
    // How long an idle worker spins before it sleeps: longer than the serial work between two
    // parallel sections of a training step, far shorter than a pause in training.
    private static readonly long SpinTicks = Stopwatch.Frequency / 500;

    [ThreadStatic]
    private static int member;

    private readonly Thread[] workers;
    private readonly object gate = new();
    private Action<int>? body;
    private int count;
    private long state; // the run's number in the high 32 bits, its next unclaimed item in the low 32
    private int completed;
    private int generation;
    private bool disposed;
    private Exception? failure;

    /// <summary>Starts <paramref name="size"/> - 1 worker threads.</summary>
    /// <exception cref="ArgumentOutOfRangeException">size below 1.</exception>
    public WorkerTeam(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
        workers = new Thread[size - 1];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = new Thread(Work) { IsBackground = true, Name = $"annlab-worker-{i + 1}" };
            workers[i].Start(i + 1);
        }
    }

    /// <summary>Threads in the team, the caller's included.</summary>
    public int Size { get; }

    /// <summary>The calling thread's place in its team: 1 .. size - 1 on a worker, 0 on any other thread (the caller's).</summary>
    public static int CurrentMember => member;

    /// <summary>Runs <paramref name="work"/>(i) for i = 0 .. items - 1, spread over the team, and returns when all are done.</summary>
    /// <exception cref="ArgumentOutOfRangeException">items below 0.</exception>
    /// <exception cref="ObjectDisposedException">The team was disposed.</exception>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Run(int items, Action<int> work)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(items);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (items <= 1 || workers.Length == 0)
        {
            for (int i = 0; i < items; i++)
            {
                work(i);
            }

            return;
        }

        lock (gate)
        {
            // Close the last run to late claims before its work is replaced.
            Interlocked.Exchange(ref state, ((long)generation << 32) | int.MaxValue);
            failure = null;
            body = work;
            Volatile.Write(ref count, items);
            Volatile.Write(ref completed, 0);
            generation++;
            Interlocked.Exchange(ref state, (long)generation << 32);
            Monitor.PulseAll(gate);
        }

        TakeItems();
        var spin = default(SpinWait);
        while (Volatile.Read(ref completed) < items)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        lock (gate)
        {
            disposed = true;
            generation++;
            Monitor.PulseAll(gate);
        }
    }

    // Claims items until none are left. A claim names the run, so it succeeds only while that run
    // is under way: a run ends only when all its items are done, and an unclaimed item is not, so
    // the body read after a successful claim is that run's, and a late worker never claims an item
    // of a run that has ended.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void TakeItems()
    {
        while (true)
        {
            long current = Interlocked.Read(ref state);
            int item = (int)(current & 0xFFFF_FFFF);
            if (item >= Volatile.Read(ref count))
            {
                return;
            }

            if (Interlocked.CompareExchange(ref state, current + 1, current) != current)
            {
                continue;
            }

            try
            {
                body!(item);
            }
            catch (Exception e)
            {
                failure ??= e;
            }

            Interlocked.Increment(ref completed);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Work(object? place)
    {
        member = (int)place!;
        int seen = 0;
        while (true)
        {
            long sleepAt = Stopwatch.GetTimestamp() + SpinTicks;
            while (Volatile.Read(ref generation) == seen)
            {
                if (Stopwatch.GetTimestamp() < sleepAt)
                {
                    Thread.SpinWait(8);
                    continue;
                }

                lock (gate)
                {
                    while (generation == seen)
                    {
                        Monitor.Wait(gate);
                    }
                }
            }

            seen = Volatile.Read(ref generation);
            if (Volatile.Read(ref disposed))
            {
                return;
            }

            TakeItems();
        }
    }
}

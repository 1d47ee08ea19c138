using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace AnnLab.Kernels;

/// <summary>
/// A fixed team of threads for the many short parallel sections of training (one per mini-batch).
/// <see cref="Run"/> hands out numbered work items to the caller's thread and to <c>size - 1</c>
/// dedicated workers alike. Each member first takes the items of its own share, a fixed range
/// (member k of s gets items k n / s .. (k + 1) n / s - 1 of n), so the same item of every run
/// lands on the same core and the memory it touches stays in that core's cache; a member that has
/// run out takes the others' remaining items from the back of their ranges, so a worker that the
/// operating system has not scheduled yet never holds the others up. Idle workers spin for a
/// moment and then sleep, so a section starts in well under a microsecond while training and costs
/// nothing between runs. (The thread pool's Parallel.For needed hundreds of microseconds per
/// section here, more than a batch's arithmetic.)
/// </summary>
/// <remarks>Which thread runs an item can still vary from run to run (when one is late); callers
/// keep results independent of it by giving each item its own output (AnnLab's row blocks each
/// fill their own partial gradient).</remarks>
public sealed class WorkerTeam : IDisposable
{
    // How long an idle worker spins before it sleeps: longer than the serial work between two
    // parallel sections of a training step, far shorter than a pause in training.
    private static readonly long SpinTicks = Stopwatch.Frequency / 500;

    private const int MaxPart = ushort.MaxValue; // items per round of claims: a range's bounds fit 16 bits
    private const int Stride = 16; // longs between two members' shares: 128 bytes, never on one cache line pair

    [ThreadStatic]
    private static int member;

    private readonly Thread[] workers;
    private readonly object gate = new();

    // Member k's share at shares[k * Stride]: the run's number in the high 32 bits, then the next
    // unclaimed item and the end of the unclaimed range, 16 bits each. A claim is one
    // compare-and-swap of the whole word, so it names the run and succeeds only while that run is
    // under way: a run ends only when all its items are done, and an unclaimed item is not, so the
    // body read after a successful claim is that run's, and a late worker never claims an item of
    // a run that has ended.
    private readonly long[] shares;
    private Action<int>? body;
    private int first; // the item number of this round's item 0
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
        shares = new long[size * Stride];
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

        for (int start = 0; start < items; start += MaxPart)
        {
            RunPart(start, Math.Min(MaxPart, items - start), work);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void RunPart(int start, int items, Action<int> work)
    {
        int size = Size;
        lock (gate)
        {
            // Close the last run to late claims before its work is replaced.
            for (int k = 0; k < size; k++)
            {
                Interlocked.Exchange(ref shares[k * Stride], (long)generation << 32);
            }

            failure = null;
            body = work;
            first = start;
            Volatile.Write(ref completed, 0);

            // Open the run before announcing it: a worker that sees the new generation must find
            // its items claimable, or it would take the closed shares for the end of the run and
            // leave all the items to the caller.
            long run = (long)(generation + 1) << 32;
            for (int k = 0; k < size; k++)
            {
                long lo = (long)k * items / size, hi = (long)(k + 1) * items / size;
                Interlocked.Exchange(ref shares[k * Stride], run | (lo << 16) | hi);
            }

            Volatile.Write(ref generation, generation + 1);
            Monitor.PulseAll(gate);
        }

        TakeItems(0);
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

    // Claims the items of the member's own share from the front, then the other members' remaining
    // items from the back of their shares, until none are left.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void TakeItems(int self)
    {
        int size = Size;
        for (int k = 0; k < size; k++)
        {
            int owner = (self + k) % size;
            bool own = k == 0;
            while (true)
            {
                long current = Interlocked.Read(ref shares[owner * Stride]);
                int next = (int)((current >> 16) & 0xFFFF), end = (int)(current & 0xFFFF);
                if (next >= end)
                {
                    break;
                }

                int item = own ? next : end - 1;
                long claimed = own ? current + (1L << 16) : current - 1;
                if (Interlocked.CompareExchange(ref shares[owner * Stride], claimed, current) != current)
                {
                    continue;
                }

                try
                {
                    body!(first + item);
                }
                catch (Exception e)
                {
                    failure ??= e;
                }

                Interlocked.Increment(ref completed);
            }
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

            TakeItems(member);
        }
    }
}

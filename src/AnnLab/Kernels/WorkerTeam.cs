using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace AnnLab.Kernels;

/// <summary>
/// A fixed team of threads for the many short parallel sections of training (two per mini-batch):
/// the caller's thread takes part 0 and <c>size - 1</c> dedicated threads take the others. Idle
/// workers spin briefly and then sleep, so a section starts in well under a microsecond while
/// training and costs nothing between runs. (The thread pool's Parallel.For needed hundreds of
/// microseconds per section here, more than a batch's arithmetic.)
/// </summary>
public sealed class WorkerTeam : IDisposable
{
    // How long an idle worker spins before it sleeps: longer than the serial work between two
    // parallel sections of a training step (gathering a batch, the update), far shorter than a pause.
    private static readonly long SpinTicks = Stopwatch.Frequency / 500;

    private readonly Thread[] workers;
    private readonly object gate = new();
    private Action<int>? body;
    private int parts;
    private int pending;
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
            int part = i + 1;
            workers[i] = new Thread(() => Work(part)) { IsBackground = true, Name = $"annlab-worker-{part}" };
            workers[i].Start();
        }
    }

    /// <summary>Threads in the team, the caller's included.</summary>
    public int Size { get; }

    /// <summary>Runs <paramref name="work"/>(0 .. count - 1), each part on its own thread, and returns when all are done.</summary>
    /// <exception cref="ArgumentOutOfRangeException">count outside 1..Size.</exception>
    /// <exception cref="ObjectDisposedException">The team was disposed.</exception>
    public void Run(int count, Action<int> work)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Size);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (count == 1)
        {
            work(0);
            return;
        }

        body = work;
        parts = count;
        failure = null;
        Volatile.Write(ref pending, count - 1);
        lock (gate)
        {
            generation++;
            Monitor.PulseAll(gate);
        }

        try
        {
            work(0);
        }
        finally
        {
            var spin = default(SpinWait);
            while (Volatile.Read(ref pending) != 0)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            body = null;
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

    private void Work(int part)
    {
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

            if (part < parts)
            {
                try
                {
                    body!(part);
                }
                catch (Exception e)
                {
                    failure = e;
                }

                Interlocked.Decrement(ref pending);
            }
        }
    }
}

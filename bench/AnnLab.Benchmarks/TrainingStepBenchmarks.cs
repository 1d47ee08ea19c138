using AnnLab.Data;
using AnnLab.Network;
using BenchmarkDotNet.Attributes;

namespace AnnLab.Benchmarks;

/// <summary>
/// One full mini-batch step of the lab's gradient descent (gather 200 shuffled images, forward,
/// backward, J and gradient, update) on synthetic 28x28 images, for 784-25-10 and 784-256-10, on 1
/// and 2 threads. Samples per second = 200 / mean time.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks : IDisposable
{
    private const int BatchSize = 200;
    private NeuralNetwork network = null!;
    private Backpropagation<float> backprop = null!;
    private ImageSet images = null!;
    private float[] parameters = [];
    private int[] order = [];
    private int step;
    private Optimization.Sgd sgd = null!;

    [Params(25, 256)]
    public int Hidden { get; set; } = 25;

    [Params(1, 2)]
    public int Threads { get; set; } = 2;

    [GlobalSetup]
    public void Setup()
    {
        var r = new Random(1);
        const int count = 10_000;
        var pixels = new byte[count * 784];
        r.NextBytes(pixels);
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 10);
        }

        images = new ImageSet(pixels, labels, 784, 28, 28);
        network = new NeuralNetwork([784, Hidden, 10], new Sigmoid());
        parameters = new float[network.ParameterCount];
        network.Initialize<float>(parameters, 0.12, 1);
        backprop = new Backpropagation<float>(network, BatchSize, Threads);
        sgd = new Optimization.Sgd(network.ParameterCount);
        order = Enumerable.Range(0, count).OrderBy(_ => r.Next()).ToArray();
    }

    [Benchmark]
    public double MiniBatchStep()
    {
        int start = step * BatchSize % (order.Length - BatchSize);
        step++;
        int m = backprop.LoadBatch(images, order.AsSpan(start, BatchSize));
        return backprop.DescentStep(parameters, m, 1.0, 0.01, out _);
    }

    /// <summary>The step training takes: the same, with the update applied by the optimizer inside the sweep (<see cref="Optimization.IElementwiseOptimizer"/>).</summary>
    [Benchmark]
    public double FusedOptimizerStep()
    {
        int start = step * BatchSize % (order.Length - BatchSize);
        step++;
        int m = backprop.LoadBatch(images, order.AsSpan(start, BatchSize));
        return backprop.Step(parameters, m, 1.0, sgd, 0.01, out _);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        backprop?.Dispose();
        GC.SuppressFinalize(this);
    }
}

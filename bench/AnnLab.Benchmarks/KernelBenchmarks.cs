using AnnLab.Kernels;
using BenchmarkDotNet.Attributes;

namespace AnnLab.Benchmarks;

/// <summary>Every kernel variant of <see cref="KernelVariants"/> on the shapes training runs: a batch of 200 through the lab's 784-25-10 and a wider 784-256-10.</summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private float[] x = [], w = [], b = [], z = [], d = [], back = [], g = [];
    private int m, n, k;
    private KernelVariant variant = KernelVariants.Reference;

    public static IEnumerable<string> Variants => KernelVariants.All.Select(v => v.Name);

    [ParamsSource(nameof(Variants))]
    public string Variant { get; set; } = "vector256";

    /// <summary>m x n x k: batch rows, inputs (fanIn), units (fanOut).</summary>
    [Params("200x784x25", "200x25x10", "200x784x256", "200x256x10")]
    public string Shape { get; set; } = "200x784x25";

    [GlobalSetup]
    public void Setup()
    {
        int[] s = Shape.Split('x').Select(int.Parse).ToArray();
        (m, n, k) = (s[0], s[1], s[2]);
        var r = new Random(1);
        float[] Fill(int count) => Enumerable.Range(0, count).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        x = Fill(m * n);
        w = Fill(k * n);
        b = Fill(k);
        d = Fill(m * k);
        z = new float[m * k];
        back = new float[m * n];
        g = new float[k * n];
        variant = KernelVariants.Get(Variant);
    }

    /// <summary>Z = X W^T + b: 2 m n k FLOP.</summary>
    [Benchmark]
    public void Forward() => variant.Forward(x, w, b, z, m, n, k);

    /// <summary>D = Delta W: 2 m n k FLOP.</summary>
    [Benchmark]
    public void Backward() => variant.Backward(d, w, back, m, n, k);

    /// <summary>G += Delta^T X: 2 m n k FLOP.</summary>
    [Benchmark]
    public void WeightGradient() => variant.WeightGradient(d, x, g, m, n, k);
}

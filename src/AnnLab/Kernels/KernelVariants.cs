namespace AnnLab.Kernels;

/// <summary>Z = X W^T + b over all m rows (see <see cref="MatrixKernels.MultiplyTransposedAddBias{T}"/>).</summary>
public delegate void ForwardKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> z, int m, int n, int k);

/// <summary>D = Delta W over all m rows (see <see cref="MatrixKernels.Multiply{T}"/>).</summary>
public delegate void BackwardKernel(ReadOnlySpan<float> delta, ReadOnlySpan<float> w, Span<float> d, int m, int n, int k);

/// <summary>G += Delta^T X over all n columns (see <see cref="MatrixKernels.AccumulateTransposedMultiply{T}"/>).</summary>
public delegate void WeightGradientKernel(ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> g, int m, int n, int k);

/// <summary>One implementation of the three training products.</summary>
/// <param name="Name">The name tests and benchmarks use.</param>
/// <param name="Forward">Z = X W^T + b.</param>
/// <param name="Backward">D = Delta W.</param>
/// <param name="WeightGradient">G += Delta^T X.</param>
public sealed record KernelVariant(string Name, ForwardKernel Forward, BackwardKernel Backward, WeightGradientKernel WeightGradient);

/// <summary>The name -> variant table that the kernel tests and the benchmarks share: every variant is tested against <c>reference</c> and benchmarked beside it.</summary>
public static class KernelVariants
{
    /// <summary>The plain scalar loops, the definition the others are checked against.</summary>
    public static KernelVariant Reference { get; } = new(
        "reference",
        (x, w, b, z, m, n, k) => MatrixKernels.MultiplyTransposedAddBiasReference(x, w, b, z, m, n, k),
        (d, w, o, m, n, k) => MatrixKernels.MultiplyReference(d, w, o, m, n, k),
        (d, x, g, m, n, k) => MatrixKernels.AccumulateTransposedMultiplyReference(d, x, g, m, n, k));

    /// <summary>The register-tiled Vector256 FMA kernels training uses.</summary>
    public static KernelVariant Vector256 { get; } = new(
        "vector256",
        (x, w, b, z, m, n, k) => MatrixKernels.MultiplyTransposedAddBias(x, w, b, z, m, n, k, 0, m),
        (d, w, o, m, n, k) => MatrixKernels.Multiply(d, w, o, m, n, k, 0, m),
        (d, x, g, m, n, k) => MatrixKernels.AccumulateTransposedMultiply(d, x, g, m, n, k, 0, n));

    /// <summary>
    /// Register tiles of Vector512 FMAs (AVX-512: 32 registers), or the Vector256 kernels where
    /// Vector512 is not accelerated. Backward and weight gradient equal <c>vector256</c> bit for bit.
    /// </summary>
    public static KernelVariant Vector512 { get; } = new(
        "vector512",
        (x, w, b, z, m, n, k) => MatrixKernels.MultiplyTransposedAddBias512(x, w, b, z, m, n, k, 0, m),
        (d, w, o, m, n, k) => MatrixKernels.Multiply512(d, w, o, m, n, k, 0, m),
        (d, x, g, m, n, k) => MatrixKernels.AccumulateTransposedMultiply512(d, x, g, m, n, k, 0, n));

    /// <summary>
    /// What training runs on layers of at most 16 units and 64 inputs: the forward product with the
    /// units in the lanes (<see cref="MatrixKernels.MultiplyTransposedAddBiasNarrow{T}"/>, the
    /// <c>vector512</c> kernel on other shapes), the other two products as <c>vector512</c>.
    /// </summary>
    public static KernelVariant Narrow512 { get; } = new(
        "narrow512",
        (x, w, b, z, m, n, k) => MatrixKernels.MultiplyTransposedAddBiasNarrow(x, w, b, z, m, n, k, 0, m),
        Vector512.Backward,
        Vector512.WeightGradient);

    /// <summary>Every variant, reference first.</summary>
    public static IReadOnlyList<KernelVariant> All { get; } = [Reference, Vector256, Vector512, Narrow512];

    /// <summary>The variant called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No variant has that name; the message lists them.</exception>
    public static KernelVariant Get(string name)
        => All.FirstOrDefault(v => v.Name == name) ?? throw new ArgumentException($"unknown kernel variant '{name}'; expected one of: {string.Join(", ", All.Select(v => v.Name))}", nameof(name));
}

using System.Numerics;

namespace AnnLab.Optimization;

/// <summary>
/// A differentiable cost for full-batch optimizers: evaluates f at <paramref name="x"/> and writes
/// the gradient of f at <paramref name="x"/> into <paramref name="gradient"/>.
/// </summary>
/// <typeparam name="T">Element type of the parameter vector: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="x">The parameters, length n (for a network, the unrolled weights and biases: the lab's theta).</param>
/// <param name="gradient">Receives df/dx, length n; every element must be written.</param>
/// <returns>The cost f(x). Returned as <see cref="double"/> even when <typeparamref name="T"/> is <see cref="float"/>.</returns>
public delegate double CostFunction<T>(ReadOnlySpan<T> x, Span<T> gradient)
    where T : unmanaged, IFloatingPointIeee754<T>;

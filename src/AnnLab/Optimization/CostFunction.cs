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

/// <summary>Called by a full-batch optimizer after each iteration.</summary>
/// <param name="iteration">Iteration number, from 1.</param>
/// <param name="cost">The cost at the current point.</param>
/// <param name="gradientNorm">The gradient's max-abs norm there.</param>
/// <param name="x">The current point (valid only during the call).</param>
public delegate void IterationCallback<T>(int iteration, double cost, double gradientNorm, ReadOnlySpan<T> x)
    where T : unmanaged, IFloatingPointIeee754<T>;

using System.Numerics;

namespace AnnLab.Network;

/// <summary>
/// An element-wise activation a = g(z) (<see cref="IActivation"/>, looked up in <see cref="Activations"/>);
/// backward delta_z = delta_a .* g'(z), written in terms of a where the math allows, in place.
/// </summary>
/// <param name="activation">g.</param>
/// <param name="width">Values per row.</param>
public sealed class ActivationLayer<T>(IActivation activation, int width) : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>g.</summary>
    public IActivation Activation => activation;

    /// <inheritdoc/>
    public int InputWidth => width;

    /// <inheritdoc/>
    public int OutputWidth => width;

    /// <inheritdoc/>
    public bool InPlaceDelta => true;

    /// <inheritdoc/>
    public void Forward(in LayerPass<T> pass, ReadOnlySpan<T> input, Span<T> output)
        => activation.Forward(pass.BlockRows(input, width), pass.BlockRows(output, width));

    /// <inheritdoc/>
    public void Backward(in LayerPass<T> pass, ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputDelta, Span<T> inputDelta)
        => activation.MultiplyByDerivative(pass.BlockRows(input, width), pass.BlockRows(output, width), pass.BlockRows(inputDelta, width));
}

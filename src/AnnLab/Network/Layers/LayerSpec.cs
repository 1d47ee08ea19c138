namespace AnnLab.Network;

/// <summary>
/// One entry of a network description (Keras's <c>Sequential</c> layer list): what the layer is,
/// not its buffers. <see cref="NeuralNetwork"/> holds the list, <see cref="Backpropagation{T}"/>
/// builds an <see cref="ILayer{T}"/> from each entry, and the model file stores the list.
/// </summary>
public abstract record LayerSpec
{
    /// <summary>The kind's name in model files: dense, activation or dropout.</summary>
    public abstract string Kind { get; }
}

/// <summary>A fully connected layer of <paramref name="Units"/> units (<see cref="DenseLayer{T}"/>); its weights and biases are segments of the <see cref="ParameterLayout"/>.</summary>
/// <param name="Units">fanOut, at least 1.</param>
public sealed record DenseSpec(int Units) : LayerSpec
{
    /// <inheritdoc/>
    public override string Kind => "dense";
}

/// <summary>An element-wise activation (<see cref="ActivationLayer{T}"/>).</summary>
/// <param name="Function">g, from <see cref="Activations"/>.</param>
public sealed record ActivationSpec(IActivation Function) : LayerSpec
{
    /// <inheritdoc/>
    public override string Kind => "activation";
}

/// <summary>Inverted dropout at <paramref name="Rate"/> while training (<see cref="DropoutLayer{T}"/>); the identity in inference.</summary>
/// <param name="Rate">Probability of dropping a unit, in [0, 1).</param>
public sealed record DropoutSpec(double Rate) : LayerSpec
{
    /// <inheritdoc/>
    public override string Kind => "dropout";
}

namespace AnnLab.Network;

/// <summary>The result of one gradient check.</summary>
/// <param name="Activation">Hidden activation checked.</param>
/// <param name="Lambda">Regularization strength used.</param>
/// <param name="LayerSizes">The small network's sizes.</param>
/// <param name="Samples">Number of samples.</param>
/// <param name="RelativeError">||g_num - g_bp|| / ||g_num + g_bp||.</param>
public sealed record GradientCheckResult(string Activation, double Lambda, IReadOnlyList<int> LayerSizes, int Samples, double RelativeError)
{
    /// <summary>The output layer checked.</summary>
    public OutputLayer Output { get; init; } = OutputLayers.Sigmoid;
}

/// <summary>
/// Checks backpropagation against central differences, in double, on a small network: the lab's
/// <c>checkNNGradients</c> (Ng's Machine Learning, exercise 4) and scikit-learn's <c>test_gradient</c>.
/// The same <see cref="Backpropagation{T}"/> code that trains in float runs here in double.
/// </summary>
public static class GradientCheck
{
    /// <summary>
    /// Compares the backpropagation gradient of the lab's J with (J(theta + h e_i) - J(theta - h e_i)) / 2h
    /// for every parameter i.
    /// </summary>
    /// <param name="activation">Hidden activation.</param>
    /// <param name="lambda">Regularization strength.</param>
    /// <param name="layerSizes">Network sizes; default 4-5-3.</param>
    /// <param name="samples">Number of random samples; default 3.</param>
    /// <param name="seed">Seed for parameters, inputs and labels.</param>
    /// <param name="step">Finite-difference step h.</param>
    /// <returns>The relative error ||g_num - g_bp|| / ||g_num + g_bp||; below 1e-7 means the gradient is right.</returns>
    /// <param name="output">Output layer and cost; null for the lab's sigmoid units.</param>
    public static GradientCheckResult Run(IActivation activation, double lambda, IReadOnlyList<int>? layerSizes = null, int samples = 3, int seed = 1, double step = 1e-5, OutputLayer? output = null)
    {
        var network = new NeuralNetwork(layerSizes ?? [4, 5, 3], activation, output);
        return Run(network, lambda, samples, seed, step) with { Activation = activation.Name };
    }

    /// <summary>The same check on any network without dropout (whose training pass differs from its inference pass).</summary>
    /// <param name="network">The network to check.</param>
    /// <param name="lambda">Regularization strength.</param>
    /// <param name="samples">Number of random samples.</param>
    /// <param name="seed">Seed for parameters, inputs and labels.</param>
    /// <param name="step">Finite-difference step h.</param>
    /// <exception cref="ArgumentException">The network has a dropout layer.</exception>
    public static GradientCheckResult Run(NeuralNetwork network, double lambda, int samples = 3, int seed = 1, double step = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.Layers.OfType<DropoutSpec>().Any())
        {
            throw new ArgumentException($"the network {network} has dropout: its training and inference costs differ, central differences cannot check it", nameof(network));
        }

        var random = new Random(seed);
        var theta = new double[network.ParameterCount];
        network.Initialize<double>(theta, 1.0, seed);
        var inputs = new double[samples * network.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (random.NextDouble() * 2) - 1;
        }

        var labels = new byte[samples];
        for (int i = 0; i < samples; i++)
        {
            labels[i] = (byte)(i % network.OutputSize);
        }

        using var backprop = new Backpropagation<double>(network, samples);
        backprop.LoadInputs(inputs, labels);
        var analytic = new double[theta.Length];
        double J(double[] t) => LabCost.Finish<double>(network, t, backprop.Forward(t, samples), new double[t.Length], samples, lambda);
        LabCost.Finish<double>(network, theta, backprop.AccumulateGradient(theta, samples, analytic), analytic, samples, lambda);

        double diff = 0, sum = 0;
        for (int i = 0; i < theta.Length; i++)
        {
            double saved = theta[i];
            theta[i] = saved + step;
            double plus = J(theta);
            theta[i] = saved - step;
            double minus = J(theta);
            theta[i] = saved;
            double numeric = (plus - minus) / (2 * step);
            diff += (numeric - analytic[i]) * (numeric - analytic[i]);
            sum += (numeric + analytic[i]) * (numeric + analytic[i]);
        }

        double error = sum == 0 ? Math.Sqrt(diff) : Math.Sqrt(diff) / Math.Sqrt(sum);
        string activations = string.Join("/", network.Layers.OfType<ActivationSpec>().Select(a => a.Function.Name).Distinct());
        return new GradientCheckResult(activations, lambda, network.LayerSizes, samples, error) { Output = network.Output };
    }
}

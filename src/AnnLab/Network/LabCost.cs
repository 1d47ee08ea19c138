using System.Numerics;
using System.Numerics.Tensors;

namespace AnnLab.Network;

/// <summary>
/// The lab's cost: cross-entropy over sigmoid output units (or, for a softmax output, the
/// categorical cross-entropy -log h_label) plus ridge (L2) regularization of every weight except the biases,
/// J = -(1/m) sum_i sum_k [y_ik log h_ik + (1 - y_ik) log(1 - h_ik)] + lambda/(2m) sum W^2,
/// with y one-hot (Ng's Machine Learning course, exercise 4; Bishop, PRML section 5.2).
/// The per-sample costs the engine uses are the output layers' (<see cref="SigmoidCrossEntropy"/>,
/// <see cref="SoftmaxCrossEntropy"/>); the scalar formulas here are their references.
/// </summary>
/// <remarks>
/// With h = sigmoid(z), each term equals softplus(z) - y z = max(z, 0) - y z + log(1 + e^-|z|),
/// which is what is computed: it never takes log(0), so saturated outputs give finite costs
/// (z = 40, y = 1: about 4.25e-18; z = 800, y = 0: 800) where the textbook formula gives NaN or
/// infinity, and it agrees with the textbook formula wherever that one is finite and accurate.
/// </remarks>
public static class LabCost
{
    /// <summary>One output unit's cross-entropy term -[y log h + (1 - y) log(1 - h)], h = sigmoid(z), computed from z.</summary>
    /// <param name="z">The output unit's pre-activation.</param>
    /// <param name="y">The target, 0 or 1.</param>
    public static double UnitCost(double z, double y) => Math.Max(z, 0) - (y * z) + SpecialFunctions.Log1P(Math.Exp(-Math.Abs(z)));

    /// <summary>One sample's cross-entropy summed over the output units, targets one-hot at <paramref name="label"/>.</summary>
    /// <param name="z">The output pre-activations (one per class).</param>
    /// <param name="label">The true class.</param>
    public static double SampleCost<T>(ReadOnlySpan<T> z, int label) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double cost = 0;
        for (int j = 0; j < z.Length; j++)
        {
            cost += UnitCost(double.CreateTruncating(z[j]), j == label ? 1 : 0);
        }

        return cost;
    }

    /// <summary>
    /// One sample's categorical cross-entropy under a softmax output, -log softmax(z)_label =
    /// logsumexp(z) - z_label, with logsumexp taken around the largest z so no exponential
    /// overflows and no log(0) is taken, for any logits (Goodfellow, Bengio and Courville, Deep
    /// Learning, section 6.2.2.3 and eq. 4.2).
    /// </summary>
    /// <param name="z">The output pre-activations (logits), one per class.</param>
    /// <param name="label">The true class.</param>
    public static double SoftmaxSampleCost<T>(ReadOnlySpan<T> z, int label) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double max = double.NegativeInfinity;
        foreach (T v in z)
        {
            max = Math.Max(max, double.CreateTruncating(v));
        }

        double sum = 0;
        foreach (T v in z)
        {
            sum += Math.Exp(double.CreateTruncating(v) - max);
        }

        return max + Math.Log(sum) - double.CreateTruncating(z[label]);
    }

    /// <summary>softmax(z) into <paramref name="h"/>: e^(z - max z) / sum e^(z - max z), which never overflows.</summary>
    public static void Softmax<T>(ReadOnlySpan<T> z, Span<T> h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(z);
        TensorPrimitives.Subtract(z, max, h);
        TensorPrimitives.Exp(h, h);
        TensorPrimitives.Divide(h, TensorPrimitives.Sum<T>(h), h);
    }

    /// <summary>The regularization term lambda/(2m) times the sum of squares of every non-bias weight (<see cref="ParameterLayout.RegularizedSumOfSquares{T}"/>).</summary>
    public static double Regularization<T>(NeuralNetwork network, ReadOnlySpan<T> parameters, double lambda, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        return lambda == 0 ? 0 : RidgeTerm(lambda, m, network.Layout.RegularizedSumOfSquares(parameters));
    }

    /// <summary>The ridge term lambda/(2m) sum W^2 from the sum of squares of the regularized weights.</summary>
    /// <param name="lambda">Regularization strength.</param>
    /// <param name="m">Number of samples.</param>
    /// <param name="sumOfSquares">sum W^2 over the regularized segments.</param>
    public static double RidgeTerm(double lambda, int m, double sumOfSquares) => lambda / (2.0 * m) * sumOfSquares;

    /// <summary>
    /// The lambda to give a mini-batch of <paramref name="batchSize"/> samples out of a training set
    /// of <paramref name="trainCount"/> so that its ridge term matches the training set's J:
    /// lambda_b = lambda m_b / n, hence lambda_b/(2 m_b) sum W^2 = lambda/(2n) sum W^2 and the
    /// penalty gradient lambda_b/m_b W = lambda/n W, for a full or a last partial batch alike
    /// (Nielsen, Neural Networks and Deep Learning, ch. 3, "Regularization").
    /// </summary>
    /// <param name="lambda">The training set's regularization strength, at least 0.</param>
    /// <param name="batchSize">Samples in this batch, m_b, in 1..trainCount.</param>
    /// <param name="trainCount">Samples in the training set, n.</param>
    /// <returns>lambda (m_b / n); exactly lambda when the batch is the whole training set.</returns>
    /// <exception cref="ArgumentOutOfRangeException">batchSize below 1 or above trainCount.</exception>
    public static double MiniBatchLambda(double lambda, int batchSize, int trainCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, trainCount);

        // The ratio first: m_b / n is exactly 1 for a full-batch run, so lambda comes back unchanged.
        return lambda * ((double)batchSize / trainCount);
    }

    /// <summary>
    /// Turns sums over m samples into the lab's J and gradient: gradient = gradientSum / m +
    /// (lambda / m) * weights (biases not regularized), in place; returns
    /// dataCostSum / m + <see cref="Regularization{T}"/>.
    /// </summary>
    /// <param name="network">The layout.</param>
    /// <param name="parameters">The parameters the sums were computed at.</param>
    /// <param name="dataCostSum">Sum of <see cref="SampleCost{T}"/> over the m samples.</param>
    /// <param name="gradient">On entry the summed per-sample gradients; on exit the gradient of J.</param>
    /// <param name="m">Number of samples, at least 1.</param>
    /// <param name="lambda">Regularization strength, at least 0.</param>
    public static double Finish<T>(NeuralNetwork network, ReadOnlySpan<T> parameters, double dataCostSum, Span<T> gradient, int m, double lambda)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        T scale = T.CreateChecked(1.0 / m);
        TensorPrimitives.Multiply(gradient, scale, gradient);
        if (lambda != 0)
        {
            network.Layout.AddRegularizedMultiple(parameters, T.CreateChecked(lambda / m), gradient);
        }

        return (dataCostSum / m) + Regularization(network, parameters, lambda, m);
    }
}

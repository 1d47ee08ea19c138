using System.Numerics;
using AnnLab.Data;

namespace AnnLab.Network;

/// <summary>
/// The lab's cost J and its gradient over a whole image set (full batch), computed block by block
/// with one <see cref="Backpropagation{T}"/>; what CG and the final metrics use.
/// </summary>
/// <remarks>Blocks are summed in order, so the result does not depend on the thread count.</remarks>
public sealed class DatasetObjective<T> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Backpropagation<T> backprop;
    private readonly ImageSet data;
    private readonly double lambda;

    /// <summary>Prepares the buffers.</summary>
    /// <param name="network">The network layout.</param>
    /// <param name="data">The samples J is taken over (m = data.Count, at least 1).</param>
    /// <param name="lambda">Regularization strength, at least 0.</param>
    /// <param name="threads">Threads to use, at least 1.</param>
    /// <param name="blockSize">Samples per block.</param>
    /// <exception cref="ArgumentException">An empty set, or images that do not fit the network's input.</exception>
    public DatasetObjective(NeuralNetwork network, ImageSet data, double lambda, int threads, int blockSize = 500)
    {
        backprop = new Backpropagation<T>(network, Math.Min(blockSize, NonEmpty(data).Count), threads);
        this.data = data;
        this.lambda = lambda;
    }

    /// <summary>Prepares the buffers, running on a worker team shared with other engines that take turns on it.</summary>
    /// <param name="network">The network layout.</param>
    /// <param name="data">The samples J is taken over (m = data.Count, at least 1).</param>
    /// <param name="lambda">Regularization strength, at least 0.</param>
    /// <param name="team">The shared team; the caller disposes it.</param>
    /// <param name="blockSize">Samples per block.</param>
    /// <exception cref="ArgumentException">An empty set, or images that do not fit the network's input.</exception>
    public DatasetObjective(NeuralNetwork network, ImageSet data, double lambda, Kernels.WorkerTeam team, int blockSize = 500)
    {
        backprop = new Backpropagation<T>(network, Math.Min(blockSize, NonEmpty(data).Count), team);
        this.data = data;
        this.lambda = lambda;
    }

    /// <summary>Stops the worker threads (of a team it made itself).</summary>
    public void Dispose() => backprop.Dispose();

    private static ImageSet NonEmpty(ImageSet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Count >= 1 ? data : throw new ArgumentException("the image set is empty", nameof(data));
    }

    /// <summary>How many times <see cref="Evaluate"/> has run.</summary>
    public int Evaluations { get; private set; }

    /// <summary>J at <paramref name="parameters"/>, and its gradient into <paramref name="gradient"/>.</summary>
    public double Evaluate(ReadOnlySpan<T> parameters, Span<T> gradient)
    {
        Evaluations++;
        gradient.Clear();
        double dataCost = 0;
        for (int start = 0; start < data.Count; start += backprop.MaxBatchSize)
        {
            int m = backprop.LoadRange(data, start, Math.Min(backprop.MaxBatchSize, data.Count - start));
            dataCost += backprop.AccumulateGradient(parameters, m, gradient);
        }

        return LabCost.Finish(backprop.Network, parameters, dataCost, gradient, data.Count, lambda);
    }

    /// <summary>J, accuracy, predictions and the predicted classes' outputs at <paramref name="parameters"/>.</summary>
    public Evaluation Measure(ReadOnlySpan<T> parameters)
    {
        var predictions = new byte[data.Count];
        var probabilities = new float[data.Count];
        double dataCost = 0;
        int correct = 0;
        int k = backprop.Network.OutputSize;
        ReadOnlySpan<byte> labels = data.Labels.Span;
        for (int start = 0; start < data.Count; start += backprop.MaxBatchSize)
        {
            int m = backprop.LoadRange(data, start, Math.Min(backprop.MaxBatchSize, data.Count - start));
            dataCost += backprop.Forward(parameters, m);
            ReadOnlySpan<T> h = backprop.Outputs(m);
            for (int i = 0; i < m; i++)
            {
                int predicted = Prediction.ArgMax(h.Slice(i * k, k));
                predictions[start + i] = (byte)predicted;
                probabilities[start + i] = float.CreateTruncating(h[(i * k) + predicted]);
                correct += predicted == labels[start + i] ? 1 : 0;
            }
        }

        double cost = (dataCost / data.Count) + LabCost.Regularization(backprop.Network, parameters, lambda, data.Count);
        return new Evaluation(cost, (double)correct / data.Count, predictions) { Probabilities = probabilities };
    }
}

/// <summary>A network measured on an image set.</summary>
/// <param name="Cost">The lab's J (with the regularization term) over the set.</param>
/// <param name="Accuracy">Fraction of correct predictions, 0..1.</param>
/// <param name="Predictions">The predicted class of each image.</param>
public sealed record Evaluation(double Cost, double Accuracy, byte[] Predictions)
{
    /// <summary>
    /// The output h of each image's predicted class, 0..1: with a softmax output layer its
    /// probability; with the lab's sigmoid units that unit's own score, independent of the others.
    /// Empty unless set (<see cref="DatasetObjective{T}.Measure"/> sets it).
    /// </summary>
    public float[] Probabilities { get; init; } = [];
}

/// <summary>Turning output scores into classes.</summary>
public static class Prediction
{
    /// <summary>The index of the largest score, ties going to the lowest index (NaN never wins).</summary>
    /// <exception cref="ArgumentException">No scores.</exception>
    public static int ArgMax<T>(ReadOnlySpan<T> scores) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (scores.IsEmpty)
        {
            throw new ArgumentException("no scores to choose from", nameof(scores));
        }

        int best = 0;
        for (int j = 1; j < scores.Length; j++)
        {
            if (scores[j] > scores[best])
            {
                best = j;
            }
        }

        return best;
    }
}

using AnnLab.Kernels;

namespace AnnLab.Network;

/// <summary>
/// Predicting with a trained <see cref="Model"/> from raw pixels, as scikit-learn's <c>predict</c>
/// and <c>predict_proba</c>: one image or a batch, as bytes 0..255 (the data sets' form, converted
/// x / 255 exactly as training does) or as floats 0..1. "pixels" below is the network's
/// <see cref="NeuralNetwork.InputSize"/> (the product of its input shape), "classes" its
/// <see cref="NeuralNetwork.OutputSize"/>. Images are row-major, 0 background (black) .. 255 object
/// (white), as the model was trained; <c>AnnLab.Plots.ImageFiles</c> turns an image file into that.
/// </summary>
/// <remarks>
/// The outputs are the output layer's h: for softmax, probabilities summing to 1; for the lab's
/// sigmoid units, independent scores each in 0..1 (use <see cref="Normalized"/> to compare them
/// as shares). Each image is passed forward by itself, so its outputs do not depend on the batch
/// it came in. Dropout is off (inference).
/// </remarks>
public static class ModelPredictions
{
    /// <summary>The output layer's h for one image: classes values.</summary>
    /// <param name="model">The model.</param>
    /// <param name="image">pixels bytes, 0..255.</param>
    /// <exception cref="ArgumentException">The image does not have the network's input size.</exception>
    public static float[] PredictProbabilities(this Model model, ReadOnlySpan<byte> image) => model.PredictProbabilities(image, 1);

    /// <summary>The output layer's h for one image: classes values.</summary>
    /// <param name="model">The model.</param>
    /// <param name="image">pixels floats in 0..1.</param>
    /// <exception cref="ArgumentException">The image does not have the network's input size, or a value is not in 0..1.</exception>
    public static float[] PredictProbabilities(this Model model, ReadOnlySpan<float> image) => model.PredictProbabilities(image, 1);

    /// <summary>The output layer's h for a batch of <paramref name="count"/> images: count x classes, row-major.</summary>
    /// <param name="model">The model.</param>
    /// <param name="images">count x pixels bytes, 0..255, one image after the other.</param>
    /// <param name="count">The number of images, at least 1.</param>
    /// <exception cref="ArgumentException">count is below 1, or <paramref name="images"/> does not hold count x pixels values.</exception>
    public static float[] PredictProbabilities(this Model model, ReadOnlySpan<byte> images, int count)
    {
        int pixels = CheckBatch(model, images.Length, count);
        var values = new float[images.Length];
        PixelConversion.ToSingle(images, values);
        return Forward(model, values, count, pixels);
    }

    /// <summary>The output layer's h for a batch of <paramref name="count"/> images: count x classes, row-major.</summary>
    /// <param name="model">The model.</param>
    /// <param name="images">count x pixels floats in 0..1, one image after the other.</param>
    /// <param name="count">The number of images, at least 1.</param>
    /// <exception cref="ArgumentException">count is below 1, <paramref name="images"/> does not hold count x pixels values, or a value is not in 0..1.</exception>
    public static float[] PredictProbabilities(this Model model, ReadOnlySpan<float> images, int count)
    {
        int pixels = CheckBatch(model, images.Length, count);
        for (int i = 0; i < images.Length; i++)
        {
            if (!(images[i] >= 0 && images[i] <= 1))
            {
                throw new ArgumentException($"expected pixel values in 0..1 (x / 255 of bytes 0..255), got {images[i].ToString(System.Globalization.CultureInfo.InvariantCulture)} at value {i} (image {i / pixels}, pixel {i % pixels})", nameof(images));
            }
        }

        return Forward(model, images, count, pixels);
    }

    /// <summary>The predicted class of one image: the output with the largest h (ties to the lowest class).</summary>
    /// <inheritdoc cref="PredictProbabilities(Model, ReadOnlySpan{byte})"/>
    public static int Predict(this Model model, ReadOnlySpan<byte> image) => Prediction.ArgMax<float>(model.PredictProbabilities(image));

    /// <summary>The predicted class of one image: the output with the largest h (ties to the lowest class).</summary>
    /// <inheritdoc cref="PredictProbabilities(Model, ReadOnlySpan{float})"/>
    public static int Predict(this Model model, ReadOnlySpan<float> image) => Prediction.ArgMax<float>(model.PredictProbabilities(image));

    /// <summary>The predicted class of each of <paramref name="count"/> images: count values in 0..classes - 1.</summary>
    /// <inheritdoc cref="PredictProbabilities(Model, ReadOnlySpan{byte}, int)"/>
    public static int[] Predict(this Model model, ReadOnlySpan<byte> images, int count) => Classes(model, model.PredictProbabilities(images, count), count);

    /// <summary>The predicted class of each of <paramref name="count"/> images: count values in 0..classes - 1.</summary>
    /// <inheritdoc cref="PredictProbabilities(Model, ReadOnlySpan{float}, int)"/>
    public static int[] Predict(this Model model, ReadOnlySpan<float> images, int count) => Classes(model, model.PredictProbabilities(images, count), count);

    /// <summary>
    /// True when the model's outputs are probabilities over its classes (softmax), false when they are
    /// independent scores (the lab's sigmoid units, each in 0..1, trained one-vs-rest by the cross-entropy).
    /// </summary>
    public static bool OutputsAreProbabilities(this Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Network.Output == OutputLayers.Softmax;
    }

    /// <summary>
    /// Scores divided by their sum, so independent sigmoid scores read as shares that sum to 1
    /// (probabilities stay what they are); all zero scores give equal shares.
    /// </summary>
    /// <param name="scores">classes values, each at least 0.</param>
    /// <returns>classes values summing to 1.</returns>
    /// <exception cref="ArgumentException">No scores, or a negative or non-finite one.</exception>
    public static float[] Normalized(ReadOnlySpan<float> scores)
    {
        if (scores.IsEmpty)
        {
            throw new ArgumentException("no scores to normalize", nameof(scores));
        }

        double sum = 0;
        foreach (float s in scores)
        {
            if (!(s >= 0) || !float.IsFinite(s))
            {
                throw new ArgumentException($"expected scores >= 0 and finite, got {s.ToString(System.Globalization.CultureInfo.InvariantCulture)}", nameof(scores));
            }

            sum += s;
        }

        var shares = new float[scores.Length];
        for (int k = 0; k < scores.Length; k++)
        {
            shares[k] = sum > 0 ? (float)(scores[k] / sum) : 1f / scores.Length;
        }

        return shares;
    }

    private static int CheckBatch(Model model, int length, int count)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        int pixels = model.Network.InputSize;
        if (length != (long)count * pixels)
        {
            throw new ArgumentException($"expected {count} image(s) of {pixels} pixels ([{string.Join(", ", model.Network.InputShape)}]) = {(long)count * pixels} values, got {length}");
        }

        return pixels;
    }

    // One image at a time through a one-row engine: an image's outputs are the same bits whatever batch it came in.
    private static float[] Forward(Model model, ReadOnlySpan<float> inputs, int count, int pixels)
    {
        int classes = model.Network.OutputSize;
        var h = new float[count * classes];
        using var engine = new Backpropagation<float>(model.Network, 1);
        ReadOnlySpan<byte> label = [0];
        for (int i = 0; i < count; i++)
        {
            engine.LoadInputs(inputs.Slice(i * pixels, pixels), label);
            engine.Forward(model.Parameters, 1);
            engine.Outputs(1).CopyTo(h.AsSpan(i * classes, classes));
        }

        return h;
    }

    private static int[] Classes(Model model, float[] h, int count)
    {
        int classes = model.Network.OutputSize;
        var predicted = new int[count];
        for (int i = 0; i < count; i++)
        {
            predicted[i] = Prediction.ArgMax<float>(h.AsSpan(i * classes, classes));
        }

        return predicted;
    }
}

using AnnLab.Data;
using AnnLab.Network;

namespace AnnLab.Tests.Network;

/// <summary>model.Predict and model.PredictProbabilities from raw pixels: a hand-worked network, bytes against floats, one image against a batch.</summary>
public class ModelPredictionsTests
{
    // Logistic regression on 2 pixels (input shape [1, 2]), 2 classes: weights (fanOut x fanIn) [[1, -1], [0.5, 0.5]], biases [0, -1].
    private static Model Tiny(OutputLayer output) => new(
        new NeuralNetwork([1, 2], [new DenseSpec(2)], output),
        [1f, -1f, 0.5f, 0.5f, 0f, -1f],
        ["left", "right"]);

    [Fact]
    public void A_hand_worked_network_gives_sigmoid_scores_and_softmax_probabilities()
    {
        // Bytes [255, 0] are x = [1, 0]: z = [1 - 0 + 0, 0.5 + 0 - 1] = [1, -0.5].
        byte[] image = [255, 0];
        float[] h = Tiny(OutputLayers.Sigmoid).PredictProbabilities(image);
        Assert.Equal(1 / (1 + Math.Exp(-1)), h[0], 1e-6);     // 0.7310586
        Assert.Equal(1 / (1 + Math.Exp(0.5)), h[1], 1e-6);    // 0.3775407
        Assert.Equal(0, Tiny(OutputLayers.Sigmoid).Predict(image));

        // softmax([1, -0.5]) = [e^1.5 / (e^1.5 + 1), 1 / (e^1.5 + 1)] = [0.8175745, 0.1824255].
        float[] p = Tiny(OutputLayers.Softmax).PredictProbabilities(image);
        Assert.Equal(Math.Exp(1.5) / (Math.Exp(1.5) + 1), p[0], 1e-6);
        Assert.Equal(1 / (Math.Exp(1.5) + 1), p[1], 1e-6);
        Assert.True(Tiny(OutputLayers.Softmax).OutputsAreProbabilities());
        Assert.False(Tiny(OutputLayers.Sigmoid).OutputsAreProbabilities());

        // Normalized sigmoid scores: 0.7310586 / (0.7310586 + 0.3775407) = 0.6594; all zero gives equal shares.
        float[] shares = ModelPredictions.Normalized(h);
        Assert.Equal(0.7310586 / (0.7310586 + 0.3775407), shares[0], 1e-6);
        Assert.Equal(1, shares.Sum(), 1e-6);
        Assert.Equal([0.5f, 0.5f], ModelPredictions.Normalized([0f, 0f]));
    }

    [Fact]
    public void Bytes_floats_single_images_and_batches_agree_bit_for_bit_with_evaluation()
    {
        ImageSet images = FashionMnist.Open(TestPaths.DataDirectory).Load(50).Images;
        var network = new NeuralNetwork([28, 28], [new DenseSpec(16), new ActivationSpec(new Tanh()), new DenseSpec(10)], OutputLayers.Softmax);
        var parameters = new float[network.ParameterCount];
        network.Initialize<float>(parameters, 0.2, seed: 5);
        var model = new Model(network, parameters, FashionMnist.ClassNames);

        ReadOnlySpan<byte> pixels = images.Pixels.Span;
        float[] batch = model.PredictProbabilities(pixels, images.Count);
        Assert.Equal(images.Count * 10, batch.Length);
        float[] asFloats = pixels.ToArray().Select(b => b / 255f).ToArray();
        Assert.Equal(batch, model.PredictProbabilities(asFloats, images.Count));
        for (int i = 0; i < images.Count; i++)
        {
            Assert.Equal(batch.AsSpan(i * 10, 10).ToArray(), model.PredictProbabilities(images.Image(i)));
        }

        using var objective = new DatasetObjective<float>(network, images, 0, 1);
        byte[] evaluated = objective.Measure(parameters).Predictions;
        Assert.Equal(evaluated.Select(p => (int)p), model.Predict(pixels, images.Count));
        Assert.Equal(evaluated[7], model.Predict(asFloats.AsSpan(7 * 784, 784)));
    }

    [Fact]
    public void Wrong_lengths_and_values_outside_0_to_1_are_refused()
    {
        Model model = Tiny(OutputLayers.Sigmoid);
        var e = Assert.Throws<ArgumentException>(() => model.PredictProbabilities(new byte[3]));
        Assert.Equal("expected 1 image(s) of 2 pixels ([1, 2]) = 2 values, got 3", e.Message);
        Assert.Throws<ArgumentException>(() => model.PredictProbabilities(new byte[4], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Predict(new byte[4], 0));
        e = Assert.Throws<ArgumentException>(() => model.PredictProbabilities([0.5f, 0.5f, 0.5f, 255f], 2));
        Assert.StartsWith("expected pixel values in 0..1 (x / 255 of bytes 0..255), got 255 at value 3 (image 1, pixel 1)", e.Message);
        Assert.Throws<ArgumentException>(() => model.Predict([float.NaN, 0f]));
        Assert.Throws<ArgumentException>(() => ModelPredictions.Normalized([0.5f, -0.1f]));
    }
}

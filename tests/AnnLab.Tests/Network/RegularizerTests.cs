using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Training;

namespace AnnLab.Tests.Network;

public class RegularizerTests
{
    [Theory]
    [InlineData("sigmoid")]
    [InlineData("relu")]
    public void Dropout_gradient_matches_central_differences_under_the_same_mask(string activation)
    {
        var network = new NeuralNetwork([4, 6, 5, 3], Activations.Get(activation));
        var theta = new double[network.ParameterCount];
        network.Initialize<double>(theta, 1.0, 2);
        var r = new Random(3);
        double[] x = Enumerable.Range(0, 16).Select(_ => r.NextDouble() - 0.5).ToArray();
        byte[] y = [0, 1, 2, 1];
        using var bp = new Backpropagation<double>(network, 4);
        bp.SetRegularizers(0.5, augment: false, seed: 9);
        bp.LoadInputs(x, y);

        double J(double[] t)
        {
            bp.TrainingStep = 0;
            var scratch = new double[t.Length];
            return LabCost.Finish<double>(network, t, bp.AccumulateGradient(t, 4, scratch), scratch, 4, 1.0);
        }

        var g = new double[theta.Length];
        bp.TrainingStep = 0;
        LabCost.Finish<double>(network, theta, bp.AccumulateGradient(theta, 4, g), g, 4, 1.0);
        double diff = 0, sum = 0;
        for (int i = 0; i < theta.Length; i++)
        {
            double saved = theta[i];
            theta[i] = saved + 1e-5;
            double plus = J(theta);
            theta[i] = saved - 1e-5;
            double minus = J(theta);
            theta[i] = saved;
            double numeric = (plus - minus) / 2e-5;
            diff += (numeric - g[i]) * (numeric - g[i]);
            sum += (numeric + g[i]) * (numeric + g[i]);
        }

        Assert.True(Math.Sqrt(diff / sum) < 1e-7, $"relative error {Math.Sqrt(diff / sum):E2}");

        // The mask really drops units: a different step gives a different cost.
        bp.TrainingStep = 1;
        double other = LabCost.Finish<double>(network, theta, bp.AccumulateGradient(theta, 4, new double[theta.Length]), new double[theta.Length], 4, 1.0);
        Assert.NotEqual(J(theta), other);
    }

    [Fact]
    public void Augmented_images_are_shifted_or_flipped_copies_with_their_labels()
    {
        // One bright pixel per image at (10, 7); augmentation moves it by at most 2 rows/columns, or mirrors it.
        const int count = 64;
        var pixels = new byte[count * 784];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            pixels[(i * 784) + (10 * 28) + 7] = 255;
            labels[i] = (byte)(i % 10);
        }

        var set = new ImageSet(pixels, labels, 784, 28, 28);
        var network = new NeuralNetwork([784, 3, 10], new Sigmoid());
        using var bp = new Backpropagation<float>(network, count);
        bp.SetRegularizers(0, augment: true, seed: 5);
        var p = new float[network.ParameterCount];
        int m = bp.LoadBatch(set, Enumerable.Range(0, count).ToArray());
        bp.AccumulateGradient(p, m, new float[p.Length]);
        ReadOnlySpan<float> x = bp.Inputs(m);
        int moved = 0, flipped = 0;
        for (int i = 0; i < count; i++)
        {
            int at = x.Slice(i * 784, 784).IndexOf(1f);
            Assert.True(at >= 0, $"image {i} lost its pixel");
            int row = at / 28, col = at % 28;
            Assert.InRange(row, 8, 12);
            bool mirrored = Math.Abs(col - (27 - 7)) <= 2;
            Assert.True(mirrored || Math.Abs(col - 7) <= 2, $"image {i}: pixel at column {col}");
            moved += (row, col) != (10, 7) ? 1 : 0;
            flipped += mirrored ? 1 : 0;
            Assert.Equal(i % 10, bp.Labels(m)[i]);
        }

        Assert.True(moved > count / 2 && flipped > count / 8 && flipped < count * 7 / 8, $"moved {moved}, flipped {flipped}");
    }

    [Fact]
    public void Dropout_and_augmentation_give_the_same_weights_on_1_and_2_threads()
    {
        var r = new Random(4);
        var pixels = new byte[300 * 784];
        r.NextBytes(pixels);
        var set = new ImageSet(pixels, Enumerable.Range(0, 300).Select(i => (byte)(i % 10)).ToArray(), 784, 28, 28);
        var network = new NeuralNetwork([784, 16, 10], new Relu());
        float[] Run(int threads)
        {
            var p = new float[network.ParameterCount];
            network.Initialize<float>(p, 0.05, 3);
            Trainer.Train(network, p, set, new TrainingOptions { BatchSize = 100, MaxEpochs = 2, Threads = threads, Dropout = 0.3, Augment = true, LearningRate = 0.01 });
            return p;
        }

        Assert.Equal(Run(1), Run(2));
    }
}

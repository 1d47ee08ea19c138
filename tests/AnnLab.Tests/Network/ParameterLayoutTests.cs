using AnnLab.Network;

namespace AnnLab.Tests.Network;

public class ParameterLayoutTests
{
    // The 2-1-2 network: layer 0 weights (1 x 2) at 0, its bias at 2; layer 1 weights (2 x 1) at 3, its biases at 5..6.
    private static readonly ParameterLayout Small = new([2, 1, 2]);

    [Fact]
    public void Segments_are_weights_then_biases_layer_after_layer()
    {
        Assert.Equal(
            [
                new ParameterSegment(0, ParameterKind.Weights, 0, 2, 1, 2, true),
                new ParameterSegment(0, ParameterKind.Biases, 2, 1, 1, 1, false),
                new ParameterSegment(1, ParameterKind.Weights, 3, 2, 2, 1, true),
                new ParameterSegment(1, ParameterKind.Biases, 5, 2, 2, 1, false),
            ],
            Small.Segments);
        Assert.Equal(7, Small.Count);
        Assert.Equal([true, true, false, true, true, false, false], Small.RegularizedMask());
    }

    [Fact]
    public void Ridge_sums_and_gradients_skip_the_biases()
    {
        double[] p = [1, 2, 100, 3, 4, 200, 300];
        Assert.Equal(1 + 4 + 9 + 16, Small.RegularizedSumOfSquares<double>(p));
        var g = new double[7];
        Small.AddRegularizedMultiple<double>(p, 0.5, g);
        Assert.Equal([0.5, 1, 0, 1.5, 2, 0, 0], g);
    }

    [Fact]
    public void Chunks_never_cross_a_segment_and_cover_the_vector_once()
    {
        var layout = new ParameterLayout([784, 25, 10]);
        (int Start, int End, bool Regularized)[] chunks = layout.Chunks(2048);
        Assert.Equal(0, chunks[0].Start);
        Assert.Equal(layout.Count, chunks[^1].End);
        for (int i = 1; i < chunks.Length; i++)
        {
            Assert.Equal(chunks[i - 1].End, chunks[i].Start);
        }

        // 19,600 weights of layer 0 in 10 chunks (9 of 2048, one of 1168), then 25 biases, 250 weights, 10 biases.
        Assert.Equal(13, chunks.Length);
        Assert.Equal((18432, 19600, true), chunks[9]);
        Assert.Equal((19600, 19625, false), chunks[10]);
        Assert.Equal((19875, 19885, false), chunks[12]);
    }

    [Fact]
    public void Bad_sizes_are_refused_with_the_sizes_in_the_message()
    {
        Assert.Contains("1-0-2", Assert.Throws<ArgumentException>(() => new ParameterLayout([1, 0, 2])).Message);
        Assert.Contains("more than", Assert.Throws<ArgumentException>(() => new ParameterLayout([100_000, 100_000])).Message);
        Assert.Throws<ArgumentException>(() => Small.RegularizedSumOfSquares<double>(new double[6]));
    }
}

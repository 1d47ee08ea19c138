using AnnLab.Optimization;

namespace AnnLab.Tests.Optimization;

public class GradientClippingTests
{
    [Fact]
    public void A_long_gradient_is_scaled_to_the_maximum_norm()
    {
        // ||(3, 4)|| = 5 > 1: scale 1 / (5 + 1e-6) = 0.19999996, giving (0.59999988, 0.79999984), norm 1 - 2e-7.
        float[] g = [3, 4];

        double norm = GradientClipping.ClipByNorm(g, 1);

        Assert.Equal(5, norm, 1e-12);
        Assert.Equal(0.59999988, g[0], 1e-7);
        Assert.Equal(0.79999984, g[1], 1e-7);
    }

    [Fact]
    public void A_short_gradient_is_left_alone()
    {
        // ||(0.3, -0.4)|| = 0.5 <= 1; and a norm exactly at the maximum is not clipped either.
        float[] g = [0.3f, -0.4f];
        float[] h = [3, 4];

        Assert.Equal(0.5, GradientClipping.ClipByNorm(g, 1), 1e-7);
        Assert.Equal(5, GradientClipping.ClipByNorm(h, 5), 1e-12);

        Assert.Equal([0.3f, -0.4f], g);
        Assert.Equal([3f, 4f], h);
    }

    [Fact]
    public void The_norm_is_global_over_the_whole_vector()
    {
        // Two "layers" (1, 2, 2) and (4): norm sqrt(1 + 4 + 4 + 16) = 5; clipped to 2.5 every element halves
        // (scale 2.5 / 5.000001), so the direction is kept.
        float[] g = [1, 2, 2, 4];

        double norm = GradientClipping.ClipByNorm(g, 2.5);

        Assert.Equal(5, norm, 1e-12);
        double scale = 2.5 / (5 + 1e-6);
        Assert.Equal([1 * scale, 2 * scale, 2 * scale, 4 * scale], g.Select(v => (double)v), (a, b) => Math.Abs(a - b) <= 1e-7);
    }

    [Fact]
    public void Positive_infinity_only_measures()
    {
        float[] g = [3, 4];

        Assert.Equal(5, GradientClipping.ClipByNorm(g, double.PositiveInfinity), 1e-12);
        Assert.Equal([3f, 4f], g);
    }

    [Fact]
    public void Huge_elements_do_not_overflow_the_norm()
    {
        // (3e30, 4e30): the float squares would overflow to infinity; in double the norm is 5e30.
        float[] g = [3e30f, 4e30f];

        double norm = GradientClipping.ClipByNorm(g, 1);

        Assert.Equal(5e30, norm, 5e30 * 1e-7);
        Assert.Equal(0.6, g[0], 1e-6);
        Assert.Equal(0.8, g[1], 1e-6);
    }

    [Fact]
    public void A_non_finite_gradient_is_reported_and_left_alone()
    {
        float[] g = [1, float.NaN, 2];
        float[] h = [1, float.PositiveInfinity];

        Assert.True(double.IsNaN(GradientClipping.ClipByNorm(g, 1)));
        Assert.True(double.IsPositiveInfinity(GradientClipping.ClipByNorm(h, 1)));
        Assert.Equal([1, float.NaN, 2], g);
        Assert.Equal([1, float.PositiveInfinity], h);
    }

    [Fact]
    public void An_empty_gradient_has_norm_zero()
    {
        Assert.Equal(0, GradientClipping.ClipByNorm(Span<float>.Empty, 1));
    }

    [Fact]
    public void Vector_sum_of_squares_matches_the_scalar_reference_for_every_length()
    {
        for (int n = 0; n <= 256; n++)
        {
            float[] v = [.. Enumerable.Range(0, n).Select(i => (float)(Math.Sin(i) * (1 + i % 7)))];

            double expected = GradientClipping.SumOfSquaresReference(v);
            double actual = GradientClipping.SumOfSquares(v);

            Assert.Equal(expected, actual, Math.Max(expected, 1) * 1e-14);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void A_maximum_norm_that_is_not_positive_throws(double maxNorm)
    {
        float[] g = [1];

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByNorm(g, maxNorm));

        Assert.Equal("maxNorm", e.ParamName);
    }
}

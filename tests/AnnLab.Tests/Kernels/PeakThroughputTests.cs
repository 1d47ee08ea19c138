using AnnLab.Kernels;

namespace AnnLab.Tests.Kernels;

/// <summary>The peak FMA throughput: what it measures and how a GFLOP/s figure becomes a fraction of it. No timing is asserted.</summary>
public class PeakThroughputTests
{
    [Fact]
    public void Every_supported_width_is_measured_on_one_and_on_all_threads_with_a_positive_finite_figure()
    {
        // A short loop: the figures are noisy, but they must exist, be positive and finite.
        PeakThroughput peak = PeakThroughput.Measure(threads: 2, iterations: 1 << 12, repeats: 2);

        IReadOnlyList<int> widths = PeakThroughput.SupportedWidths;
        Assert.NotEmpty(widths);
        Assert.Equal(widths.SelectMany(w => new[] { (w, 1), (w, 2) }), peak.Figures.Select(f => (f.VectorBits, f.Threads)));
        Assert.All(peak.Figures, f => Assert.True(double.IsFinite(f.Gflops) && f.Gflops > 0, $"{f}"));
        Assert.Equal(2, peak.AllThreads);
        Assert.Equal(2, peak.Peak.Threads);
        Assert.Equal(peak.Figures.Where(f => f.Threads == 2).Max(f => f.Gflops), peak.Peak.Gflops);
        Assert.Equal(1.0, peak.FractionOfPeak(peak.Peak.Gflops));
    }

    [Fact]
    public void One_thread_gives_one_figure_per_width()
    {
        PeakThroughput peak = PeakThroughput.Measure(threads: 1, iterations: 1 << 10, repeats: 1);

        Assert.Equal(PeakThroughput.SupportedWidths, peak.Figures.Select(f => f.VectorBits));
        Assert.All(peak.Figures, f => Assert.Equal(1, f.Threads));
        Assert.True(peak.Peak.Gflops > 0 && double.IsFinite(peak.Peak.Gflops));
    }

    [Fact]
    public void The_widths_follow_the_hardware()
    {
        var expected = new List<int>();
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            expected.Add(512);
        }

        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported)
        {
            expected.Add(256);
        }

        Assert.Equal(expected.Count == 0 ? [128] : expected, PeakThroughput.SupportedWidths);
    }

    [Fact]
    public void The_fraction_of_a_known_figure_is_its_ratio_to_the_fastest_all_thread_figure()
    {
        var peak = new PeakThroughput(
        [
            new PeakFigure(512, 1, 118.0), new PeakFigure(512, 2, 236.0),
            new PeakFigure(256, 1, 117.0), new PeakFigure(256, 2, 200.0),
        ]);

        Assert.Equal(new PeakFigure(512, 2, 236.0), peak.Peak);
        Assert.Equal(2, peak.AllThreads);
        Assert.Equal(0.25, peak.FractionOfPeak(59.0));     // 59 / 236
        Assert.Equal(0.5, peak.FractionOfPeak(118.0));     // the 1-thread Vector512 figure: half the 2-thread peak
        Assert.Equal(200.0 / 236.0, peak.FractionOfPeak(200.0));
        Assert.Equal(1.0, peak.ThreadScaling); // 236 / (2 x 118)
    }

    [Fact]
    public void A_busy_core_shows_as_thread_scaling_below_one()
    {
        // Another program held one of the two cores: the 2-thread loop ran no faster than the 1-thread one.
        var peak = new PeakThroughput([new PeakFigure(512, 1, 118.0), new PeakFigure(512, 2, 118.0), new PeakFigure(256, 1, 116.0), new PeakFigure(256, 2, 88.5)]);

        Assert.Equal(0.5, peak.ThreadScaling); // 118 / (2 x 118)
        Assert.Equal(0.75, peak.FractionOfPeak(88.5));
    }

    [Fact]
    public void Of_two_measurements_the_higher_all_thread_peak_counts()
    {
        var slow = new PeakThroughput([new PeakFigure(512, 1, 268.0), new PeakFigure(512, 2, 267.0)]);
        var full = new PeakThroughput([new PeakFigure(512, 1, 265.0), new PeakFigure(512, 2, 530.0)]);

        Assert.Same(full, PeakThroughput.Better(slow, full));
        Assert.Same(full, PeakThroughput.Better(full, slow));
        Assert.Same(slow, PeakThroughput.Better(slow, new PeakThroughput([new PeakFigure(512, 1, 268.0), new PeakFigure(512, 2, 267.0)]))); // a tie keeps the first
        Assert.Equal(0.5, PeakThroughput.Better(slow, full).FractionOfPeak(265.0));
        Assert.Throws<ArgumentNullException>(() => PeakThroughput.Better(full, null!));
    }

    [Fact]
    public void The_peak_is_the_all_thread_one_even_when_noise_made_one_thread_faster()
    {
        var peak = new PeakThroughput([new PeakFigure(256, 1, 130.0), new PeakFigure(256, 2, 100.0)]);

        Assert.Equal(100.0, peak.Peak.Gflops);
        Assert.Equal(1.3, peak.FractionOfPeak(130.0), 12);
    }

    [Theory]
    [InlineData(0, 100.0)]
    [InlineData(1, 0.0)]
    [InlineData(1, -5.0)]
    [InlineData(1, double.NaN)]
    [InlineData(1, double.PositiveInfinity)]
    public void A_figure_without_threads_or_a_positive_finite_value_is_refused(int threads, double gflops)
    {
        var e = Assert.Throws<ArgumentException>(() => new PeakThroughput([new PeakFigure(256, threads, gflops)]));
        Assert.StartsWith("expected threads >= 1 and a positive, finite GFLOP/s, got PeakFigure {", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_figures_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new PeakThroughput([]));
        Assert.Equal("figures", e.ParamName);
    }

    [Theory]
    [InlineData(-1, 10, 1, "threads")]
    [InlineData(1, 0, 1, "iterations")]
    [InlineData(1, 10, 0, "repeats")]
    public void Measure_refuses_counts_below_one(int threads, long iterations, int repeats, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => PeakThroughput.Measure(threads, iterations, repeats));
        Assert.Equal(parameter, e.ParamName);
    }
}

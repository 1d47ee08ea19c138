using AnnLab.Kernels;

namespace AnnLab.Tests.Kernels;

public class CoreRoundTripTests
{
    [Fact]
    public void A_round_trip_takes_a_positive_time_on_two_or_more_cores_and_is_not_measured_on_one()
    {
        double? ns = CoreRoundTrip.MeasureNanoseconds(trips: 2_000, repeats: 2);
        if (Environment.ProcessorCount < 2)
        {
            Assert.Null(ns);
            return;
        }

        // A cache line cannot cross between cores and back in under a nanosecond (a few clock cycles),
        // and even with both threads sharing one core's turns it ends within a millisecond a trip.
        Assert.NotNull(ns);
        Assert.InRange(ns.Value, 1, 1e6);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(100, 0)]
    public void Trips_and_repeats_below_one_are_refused(int trips, int repeats)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CoreRoundTrip.MeasureNanoseconds(trips, repeats));
    }

    [Fact]
    public void Moving_two_thousand_lines_takes_longer_than_moving_one()
    {
        double? one = CoreRoundTrip.MeasureTransferNanoseconds(lines: 1, exchanges: 2_000, repeats: 3);
        double? many = CoreRoundTrip.MeasureTransferNanoseconds(lines: 2_000, exchanges: 200, repeats: 3);
        if (Environment.ProcessorCount < 2)
        {
            Assert.Null(one);
            Assert.Null(many);
            return;
        }

        // 2,000 lines are 128 KB written by one core and read by the other: at the fastest seen, about
        // 2 ns a line, several microseconds; one line costs a round trip, 0.1-1 us. The fastest repeat
        // is kept, and noise only slows a repeat down.
        Assert.InRange(one!.Value, 1, 1e6);
        Assert.InRange(many!.Value, 2 * one.Value, 1e8);
    }

    [Theory]
    [InlineData(0, 10, 5)]
    [InlineData(10, 0, 5)]
    [InlineData(10, 10, 0)]
    public void Lines_exchanges_and_repeats_below_one_are_refused(int lines, int exchanges, int repeats)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CoreRoundTrip.MeasureTransferNanoseconds(lines, exchanges, repeats));
    }
}

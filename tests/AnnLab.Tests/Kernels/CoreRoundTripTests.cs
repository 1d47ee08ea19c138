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
}

using AnnLab.Kernels;

namespace AnnLab.Tests.Kernels;

public class WorkerTeamTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_item_runs_exactly_once_in_every_run(int size)
    {
        using var team = new WorkerTeam(size);
        for (int run = 0; run < 2000; run++)
        {
            int items = run % 9;
            var hits = new int[items];
            team.Run(items, i => Interlocked.Increment(ref hits[i]));
            Assert.All(hits, h => Assert.Equal(1, h));
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void A_run_of_more_items_than_a_share_word_holds_still_runs_each_once(int size)
    {
        using var team = new WorkerTeam(size);
        var hits = new int[70_001]; // past the 65,535 items of one round of claims
        team.Run(hits.Length, i => Interlocked.Increment(ref hits[i]));
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void A_failing_item_is_rethrown_to_the_caller_and_the_team_still_works()
    {
        using var team = new WorkerTeam(2);
        var e = Assert.Throws<InvalidOperationException>(() => team.Run(6, i =>
        {
            if (i == 3)
            {
                throw new InvalidOperationException("item 3");
            }
        }));
        Assert.Equal("item 3", e.Message);
        int sum = 0;
        team.Run(4, i => Interlocked.Add(ref sum, i + 1));
        Assert.Equal(10, sum);
    }

    [Fact]
    public void A_disposed_team_refuses_work()
    {
        var team = new WorkerTeam(2);
        team.Dispose();
        Assert.Throws<ObjectDisposedException>(() => team.Run(3, _ => { }));
    }
}

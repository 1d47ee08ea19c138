using System.Text.Json;

namespace AnnLab.Tests.Cli;

/// <summary>Issue 14: <c>annlab bench</c> measures the machine's peak FMA throughput and reports every GFLOP/s figure as a fraction of it, in its table and its --json.</summary>
public class BenchPeakCommandLineTests
{
    [Fact]
    public void Bench_json_carries_the_peak_per_width_and_thread_count_and_each_gflops_fraction_of_it()
    {
        string json = Path.Combine(TestPaths.NewTempDirectory(), "bench.json");
        (int code, string stdout, string stderr) = AnnlabProcess.Run(null, "bench", "--samples", "300", "--epochs", "1", "--json", json);
        Assert.True(code == 0, $"exit {code}: {stderr}{stdout}");

        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = document.RootElement;
        JsonElement peaks = root.GetProperty("peak_gflops");
        JsonElement best = peaks.GetProperty("best");
        double peak = best.GetProperty("gflops").GetDouble();
        Assert.True(peak > 0 && double.IsFinite(peak), $"peak {peak}");
        Assert.Equal(Environment.ProcessorCount, best.GetProperty("threads").GetInt32());
        Assert.True(best.GetProperty("vector_bits").GetInt32() is 128 or 256 or 512, $"{best}");
        Assert.Equal(1.0, best.GetProperty("fraction_of_peak").GetDouble());

        double gflops = root.GetProperty("gflops").GetDouble();
        double fraction = root.GetProperty("fraction_of_peak").GetDouble();
        Assert.True(gflops > 0 && fraction > 0, $"gflops {gflops}, fraction_of_peak {fraction}");
        Assert.Equal(gflops / peak, fraction, 12);

        // Every width: a one-thread and an all-thread figure, each with its fraction of the best all-thread one.
        string[] widths = [.. peaks.EnumerateObject().Select(p => p.Name).Where(n => n != "best")];
        Assert.NotEmpty(widths);
        Assert.Contains($"vector{best.GetProperty("vector_bits").GetInt32()}", widths);
        var allThreadFigures = new List<double>();
        foreach (string width in widths)
        {
            Assert.Matches("^vector(128|256|512)$", width);
            foreach ((string key, int threads) in new[] { ("one_thread", 1), ("all_threads", Environment.ProcessorCount) })
            {
                JsonElement figure = peaks.GetProperty(width).GetProperty(key);
                double value = figure.GetProperty("gflops").GetDouble();
                Assert.Equal(threads, figure.GetProperty("threads").GetInt32());
                Assert.True(value > 0 && double.IsFinite(value), $"{width} {key}: {value}");
                Assert.Equal(value / peak, figure.GetProperty("fraction_of_peak").GetDouble(), 12);
                if (key == "all_threads")
                {
                    allThreadFigures.Add(value);
                }
            }
        }

        Assert.Equal(allThreadFigures.Max(), peak);
        double scaling = root.GetProperty("peak_thread_scaling").GetDouble();
        Assert.True(scaling > 0 && double.IsFinite(scaling), $"peak_thread_scaling {scaling}");

        // The cores' round trip, before and after the timed epochs, on a machine with two or more.
        if (Environment.ProcessorCount > 1)
        {
            JsonElement trip = root.GetProperty("core_round_trip_nanoseconds");
            foreach (string when in new[] { "before", "after" })
            {
                double ns = trip.GetProperty(when).GetDouble();
                Assert.True(ns is > 1 and < 1e6, $"core_round_trip_nanoseconds.{when} {ns}");
            }

            Assert.Contains("core-to-core round trip, before / after", stdout);

            // Moving the 784-25-10 network's 19,885 parameters (1,243 lines of 16 floats) between
            // the cores: more than one round trip, as a round trip moves a single line.
            JsonElement transfer = root.GetProperty("parameter_transfer_nanoseconds");
            Assert.Equal(1243, transfer.GetProperty("lines").GetInt32());
            foreach (string when in new[] { "before", "after" })
            {
                double ns = transfer.GetProperty(when).GetDouble();
                Assert.True(ns > trip.GetProperty(when).GetDouble() && ns < 1e8, $"parameter_transfer_nanoseconds.{when} {ns}");
            }

            Assert.Contains("parameters core to core (1,243 lines), before / after", stdout);
        }

        // The table prints the fraction beside each GFLOP/s figure: training's and one row per peak figure.
        string ofPeak = $" of the {Environment.ProcessorCount}-thread peak";
        int rows = stdout.Split('\n').Count(line => line.Contains(ofPeak, StringComparison.Ordinal));
        Assert.Equal(1 + (widths.Length * (Environment.ProcessorCount > 1 ? 2 : 1)), rows);
    }
}

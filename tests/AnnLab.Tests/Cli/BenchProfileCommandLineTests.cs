using System.Text.Json;

namespace AnnLab.Tests.Cli;

/// <summary>Issue 14: <c>annlab bench --profile</c> splits a training step into its phases, and <c>--preset deep</c> benches the GEMM-bound 784-512-256-10 network, in the table and the --json.</summary>
public class BenchProfileCommandLineTests
{
    [Fact]
    public void Bench_deep_preset_with_profile_writes_each_phases_time_flops_and_fraction_of_peak()
    {
        string json = Path.Combine(TestPaths.NewTempDirectory(), "bench.json");
        (int code, string stdout, string stderr) = AnnlabProcess.Run(null, "bench", "--preset", "deep", "--samples", "300", "--epochs", "1", "--profile", "--json", json);
        Assert.True(code == 0, $"exit {code}: {stderr}{stdout}");

        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = document.RootElement;
        Assert.Equal("deep", root.GetProperty("preset").GetString());
        Assert.Equal([784, 512, 256, 10], root.GetProperty("layer_sizes").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(128, root.GetProperty("batch_size").GetInt32());
        double peak = root.GetProperty("peak_gflops").GetProperty("best").GetProperty("gflops").GetDouble();

        // 240 training images in batches of 128: two steps per epoch, one epoch profiled.
        JsonElement profile = root.GetProperty("profile");
        Assert.Equal(2, profile.GetProperty("steps").GetInt64());
        Assert.Equal(240, profile.GetProperty("samples").GetInt64());
        double gflops = profile.GetProperty("gflops").GetDouble();
        Assert.Equal(gflops / peak, profile.GetProperty("fraction_of_peak").GetDouble(), 12);
        JsonElement[] phases = [.. profile.GetProperty("phases").EnumerateArray()];
        string[] names = [.. phases.Select(p => p.GetProperty("name").GetString()!)];
        Assert.Contains("weight gradient 1: dense 784 -> 512, delta^T a", names);
        Assert.Contains("backward 3: dense 512 -> 256, delta W", names);
        Assert.Equal("sweep: sum, regularize, update", names[^1]);

        // The three products of every dense layer add up to the network's FLOP per sample.
        long flopsPerSample = root.GetProperty("flops_per_sample").GetInt64();
        Assert.Equal(240.0 * flopsPerSample, phases.Sum(p => p.GetProperty("flops").GetDouble()));
        JsonElement forward = phases.Single(p => p.GetProperty("name").GetString() == "forward 1: dense 784 -> 512");
        Assert.Equal(2.0 * 240 * 784 * 512, forward.GetProperty("flops").GetDouble());
        double perThread = forward.GetProperty("gflops_per_thread").GetDouble();
        Assert.Equal(forward.GetProperty("flops").GetDouble() / forward.GetProperty("seconds").GetDouble() / 1e9, perThread, 9);
        Assert.Equal(perThread / (peak / Environment.ProcessorCount), forward.GetProperty("fraction_of_thread_peak").GetDouble(), 9);
        Assert.Equal(Environment.ProcessorCount, profile.GetProperty("waiting").GetArrayLength());

        Assert.Contains("Where a training step's time goes", stdout, StringComparison.Ordinal);
        Assert.Contains("weight gradient 1: dense 784 -> 512", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_bench_preset_is_one_line_naming_the_option_and_the_choices()
    {
        (int code, string stdout, string stderr) = AnnlabProcess.Run(null, "bench", "--preset", "wide", "--samples", "300");
        Assert.Equal(2, code);
        Assert.Equal("annlab: --preset: got wide, expected lab or deep", stderr.Trim());
        Assert.Equal("", stdout);
    }
}

using System.Text;
using AnnLab.Data;
using BenchmarkDotNet.Attributes;

namespace AnnLab.Benchmarks;

/// <summary>
/// Opening Kaggle's two Fashion-MNIST CSV files (<see cref="CsvSource"/>): 60,000 + 10,000 generated
/// rows of a label and 784 pixels, half of them 0 as in Fashion-MNIST (about 155 MB of text, as Kaggle's).
/// </summary>
[MemoryDiagnoser]
public class CsvBenchmarks
{
    private string folder = "";

    [GlobalSetup]
    public void Setup()
    {
        folder = Path.Combine(Path.GetTempPath(), "annlab-bench-csv");
        Directory.CreateDirectory(folder);
        var random = new Random(1);
        Write(Path.Combine(folder, "fashion-mnist_train.csv"), 60_000, random);
        Write(Path.Combine(folder, "fashion-mnist_test.csv"), 10_000, random);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(folder, recursive: true);

    /// <summary>Parses and checks all 70,000 rows, both files at once.</summary>
    [Benchmark]
    public int OpenKaggleFolder() => CsvSource.Open(folder, new DataRequest { Path = folder }).Count;

    private static void Write(string path, int rows, Random random)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("label");
        for (int p = 1; p <= 784; p++)
        {
            writer.Write($",pixel{p}");
        }

        writer.Write('\n');
        var line = new StringBuilder(4096);
        for (int i = 0; i < rows; i++)
        {
            line.Clear().Append(random.Next(10));
            for (int p = 0; p < 784; p++)
            {
                line.Append(',').Append(random.Next(2) == 0 ? 0 : random.Next(1, 256));
            }

            writer.Write(line.Append('\n'));
        }
    }
}

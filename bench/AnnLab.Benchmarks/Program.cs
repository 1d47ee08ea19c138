using BenchmarkDotNet.Running;

namespace AnnLab.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry point: <c>dotnet run -c Release --project bench/AnnLab.Benchmarks -- --filter '*'</c>
/// (or <c>--filter '*Kernel*'</c>, <c>--filter '*Step*'</c>, <c>--filter '*Csv*'</c>).
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}

using AnnLab.Training;

namespace AnnLab.Data;

/// <summary>One data set AnnLab knows by name: how to find its folder and how to open it.</summary>
/// <param name="Name">Its command-line name, e.g. <c>fashion-mnist</c>.</param>
/// <param name="Locate">Finds its folder from <c>--data</c> (or null), the environment and the folders to search upwards from; throws <see cref="DirectoryNotFoundException"/> or <see cref="FileNotFoundException"/> listing the places looked in.</param>
/// <param name="Open">Opens the folder (headers only; see <see cref="DatasetSource"/>).</param>
public sealed record DatasetKind(string Name, Func<string?, IEnumerable<string>, string> Locate, Func<string, DatasetSource> Open);

/// <summary>
/// The data sets AnnLab knows, one line each. Issue 12's MNIST-family IDX folders, Kaggle CSV
/// files and image folders each add their <see cref="DatasetSource"/> file and one line here.
/// </summary>
public static class DatasetSources
{
    /// <summary>The known data sets, by name; the first is the default.</summary>
    public static IReadOnlyList<DatasetKind> All { get; } =
    [
        new("fashion-mnist", (data, searchFrom) => FashionMnist.LocateDirectory(data, Environment.GetEnvironmentVariable(FashionMnist.EnvironmentVariable), searchFrom), FashionMnist.Open),
    ];

    /// <summary>The data set used when none is named: Fashion-MNIST, the lab's.</summary>
    public static DatasetKind Default => All[0];

    /// <summary>The data set named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="OptionOutOfRangeException">Unknown name (option <c>--dataset</c>), listing the names.</exception>
    public static DatasetKind Get(string name)
        => All.FirstOrDefault(k => string.Equals(k.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new OptionOutOfRangeException("Dataset", name ?? "", string.Join(", ", All.Select(k => k.Name)));
}

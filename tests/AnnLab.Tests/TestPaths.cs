namespace AnnLab.Tests;

internal static class TestPaths
{
    /// <summary>The repository root: the first folder above the test binaries that holds AnnLab.slnx.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "AnnLab.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException($"no AnnLab.slnx above {AppContext.BaseDirectory}");
        }
    }

    public static string DataDirectory => Path.Combine(RepositoryRoot, "data", "fashion-mnist");

    public static string NewTempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "annlab-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}

using AnnLab.Data;

namespace AnnLab.Tests.Data;

/// <summary>Where a <see cref="DataRequest"/> looks for a repository's data folder by default.</summary>
[Collection(nameof(ChangesAppContextData))]
public class DataRequestSearchTests
{
    [Fact]
    public void A_file_based_apps_script_folder_is_searched_after_the_programs_and_the_current_folder()
    {
        // The test host is no file-based app: only the program's folder and the current one.
        object? before = AppContext.GetData("EntryPointFileDirectoryPath");
        Assert.Null(before);
        Assert.Equal([AppContext.BaseDirectory, Environment.CurrentDirectory], new DataRequest().SearchFrom);

        string script = TestPaths.NewTempDirectory();
        AppContext.SetData("EntryPointFileDirectoryPath", script);
        try
        {
            Assert.Equal([AppContext.BaseDirectory, Environment.CurrentDirectory, script], new DataRequest().SearchFrom);
        }
        finally
        {
            AppContext.SetData("EntryPointFileDirectoryPath", before);
        }
    }
}

/// <summary>Tests that change process-wide AppContext data run alone.</summary>
[CollectionDefinition(nameof(ChangesAppContextData), DisableParallelization = true)]
public sealed class ChangesAppContextData;

using System.Text.RegularExpressions;
using System.Xml.Linq;
using AnnLab.Data;

namespace AnnLab.Tests.Cli;

/// <summary>
/// What the packed <c>annlab</c> tool promises that a test can check without packing (.ci/run packs,
/// installs and runs it): its version is the one in Directory.Build.props, and a program whose folder
/// holds <c>data/fashion-mnist</c>, as the installed tool's does, finds that copy from any folder.
/// </summary>
public partial class PackagingTests
{
    [GeneratedRegex("^(?<version>[^+\\s]+)(\\+(?<commit>[0-9a-f]{40}))?\\n$")]
    private static partial Regex VersionLine();

    [Fact]
    public void Version_prints_the_version_set_in_Directory_Build_props()
    {
        string expected = XDocument.Load(Path.Combine(TestPaths.RepositoryRoot, "Directory.Build.props"))
            .Descendants("Version").Single().Value;
        (int code, string output, string error) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), "--version");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Match line = VersionLine().Match(output.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.True(line.Success, $"'{output}' is not VERSION or VERSION+COMMIT");
        Assert.Equal(expected, line.Groups["version"].Value);
    }

    [Fact]
    public void The_copy_beside_the_program_is_found_from_a_folder_outside_any_repository()
    {
        // The layout dotnet tool install makes: the program in .store/annlab/V/annlab.RID/V/tools/net10.0/RID,
        // the shipped data beside it; the user's current folder is elsewhere, with no data/ above it.
        string root = TestPaths.NewTempDirectory();
        string program = Path.Combine(root, "tools", ".store", "annlab", "0.1.0", "annlab.linux-x64", "0.1.0", "tools", "net10.0", "linux-x64");
        string shipped = Path.Combine(program, "data", "fashion-mnist");
        Directory.CreateDirectory(shipped);
        foreach (string file in FashionMnist.Files)
        {
            File.CreateSymbolicLink(Path.Combine(shipped, file), Path.Combine(TestPaths.DataDirectory, file));
        }

        string current = Path.Combine(root, "somewhere");
        Directory.CreateDirectory(current);

        Assert.Equal(shipped, FashionMnist.LocateDirectory(null, null, [program, current]));
        Assert.Equal(60_000, FashionMnist.Open(FashionMnist.LocateDirectory(null, null, [program, current])).TrainCount);
    }

    [Fact]
    public void The_data_option_and_the_environment_variable_still_win_over_the_shipped_copy()
    {
        string root = TestPaths.NewTempDirectory();
        string program = Path.Combine(root, "program");
        Directory.CreateDirectory(Path.Combine(program, "data", "fashion-mnist"));
        string other = Path.Combine(root, "other");
        Directory.CreateDirectory(other);
        foreach (string file in FashionMnist.Files)
        {
            File.WriteAllBytes(Path.Combine(program, "data", "fashion-mnist", file), []);
            File.WriteAllBytes(Path.Combine(other, file), []);
        }

        Assert.Equal(other, FashionMnist.LocateDirectory(other, null, [program]));
        Assert.Equal(other, FashionMnist.LocateDirectory(null, other, [program]));
    }

    [Fact]
    public void A_shipped_copy_missing_a_file_is_named_with_where_it_was_found()
    {
        string program = Path.Combine(TestPaths.NewTempDirectory(), "program");
        string shipped = Path.Combine(program, "data", "fashion-mnist");
        Directory.CreateDirectory(shipped);
        foreach (string file in FashionMnist.Files.Skip(1))
        {
            File.WriteAllBytes(Path.Combine(shipped, file), []);
        }

        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.LocateDirectory(null, null, [program]));
        Assert.Equal(
            $"the Fashion-MNIST folder {shipped} lacks {FashionMnist.TrainImagesFile}; looked in: {shipped} (data/fashion-mnist at or above {program}); {FashionMnist.SystemDirectory} (Debian package dataset-fashion-mnist)",
            e.Message);
    }
}

using AnnLab.Network;

namespace AnnLab.Tests.Readme;

/// <summary>Tests that change the process's current folder: they run alone, no other test beside them.</summary>
[CollectionDefinition(nameof(ChangesTheCurrentFolder), DisableParallelization = true)]
public sealed class ChangesTheCurrentFolder;

/// <summary>Issue 13: the README's library snippet is the code in <see cref="LibrarySnippet"/>, and it runs from a folder that holds no data.</summary>
[Collection(nameof(ChangesTheCurrentFolder))]
public class LibrarySnippetTests
{
    private static string SnippetFile => Path.Combine(TestPaths.RepositoryRoot, "tests", "AnnLab.Tests", "Readme", "LibrarySnippet.cs");

    // The snippet as the README shows it: the file's usings, a blank line, then the lines between the markers, one level of indentation less.
    private static string FromSource()
    {
        string[] lines = File.ReadAllLines(SnippetFile);
        string[] usings = [.. lines.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal))];
        int begin = Array.FindIndex(lines, l => l.Trim() == "// README begin");
        int end = Array.FindIndex(lines, l => l.Trim() == "// README end");
        Assert.True(begin > 0 && end > begin, "markers missing in " + SnippetFile);
        string indent = lines[begin][..lines[begin].IndexOf('/', StringComparison.Ordinal)];
        IEnumerable<string> body = lines[(begin + 1)..end].Select(l => l.Length == 0 ? l : l.StartsWith(indent, StringComparison.Ordinal) ? l[indent.Length..] : throw new InvalidDataException($"{SnippetFile}: a snippet line not indented as the markers: {l}"));
        return string.Join("\n", [.. usings, "", .. body]);
    }

    // The first csharp block of the README's "Using the library" section.
    private static string FromReadme()
    {
        string readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        int section = readme.IndexOf("\n## Using the library\n", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no section 'Using the library'");
        int open = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        int close = readme.IndexOf("\n```", open, StringComparison.Ordinal);
        return readme[open..close];
    }

    [Fact]
    public void The_readme_shows_exactly_the_snippet_this_project_compiles()
        => Assert.Equal(FromSource(), FromReadme());

    [Fact]
    public void The_snippet_finds_the_data_from_a_folder_without_it_trains_saves_loads_and_predicts()
    {
        string folder = TestPaths.NewTempDirectory();
        string before = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = folder;
            var (result, costs, accuracy, model, one, batch, firstTen) = LibrarySnippet.Run();

            // The callback saw every epoch, and the mean batch cost fell.
            Assert.Equal(500, result.Epochs);
            Assert.Equal(500, costs.Count);
            Assert.Equal(result.History.Select(h => h.Cost), costs);
            Assert.True(costs[^1] < costs[0] / 2, $"{costs[0]} -> {costs[^1]}");

            // The README's number: 858 of the 1000 validation images.
            Assert.Equal(0.858, accuracy, 1e-12);

            // The model was written in the current folder, and its predictions are its network's.
            Assert.True(File.Exists(Path.Combine(folder, "model.annlab")));
            Assert.Equal(10, batch.Length);
            Assert.Equal(one, batch[0]);
            for (int i = 0; i < firstTen.Count; i++)
            {
                Assert.Equal(Prediction.ArgMax<float>(model.PredictProbabilities(firstTen.Image(i))), batch[i]);
            }

            // A trained model gets most of them right (the labels are the data set's).
            Assert.True(Enumerable.Range(0, 10).Count(i => batch[i] == firstTen.Labels.Span[i]) >= 7);
        }
        finally
        {
            Environment.CurrentDirectory = before;
        }
    }
}

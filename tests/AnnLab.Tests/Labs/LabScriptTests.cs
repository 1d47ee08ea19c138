using System.Text.RegularExpressions;

namespace AnnLab.Tests.Labs;

/// <summary>
/// The lab scripts' shape, read as text (CI runs them: .ci/run builds and runs every labs/*.cs; a
/// test that built nine file-based apps would take minutes). Each names an existing project with
/// #:project, marks the student's task with an answer below it, writes into lab-output/ and is
/// listed in labs/README.md, which lists no script that does not exist.
/// </summary>
public partial class LabScriptTests
{
    private static readonly string Labs = Path.Combine(TestPaths.RepositoryRoot, "labs");

    // The lab's parts are NN-name.cs (what CI runs); a student's own script beside them is not one.
    private static string[] PartNames()
        => [.. Directory.GetFiles(Labs, "*.cs").Select(p => Path.GetFileName(p)).Where(n => PartName().IsMatch(n)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Scripts() => new(PartNames());

    [Fact]
    public void The_lab_has_its_nine_parts_in_order()
    {
        string[] names = PartNames();

        Assert.Equal(9, names.Length);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => $"{i:D2}-"), names.Select(n => n[..3]));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void A_script_references_an_existing_project(string script)
    {
        string text = File.ReadAllText(Path.Combine(Labs, script));

        Match project = ProjectDirective().Match(text);
        Assert.True(project.Success, $"{script}: no #:project directive");
        Assert.True(File.Exists(Path.GetFullPath(Path.Combine(Labs, project.Groups[1].Value.Trim()))), $"{script}: #:project {project.Groups[1].Value} does not exist");
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void A_script_marks_the_task_with_an_answer_below_it_and_writes_into_lab_output(string script)
    {
        string text = File.ReadAllText(Path.Combine(Labs, script));

        int task = text.IndexOf("// TASK:", StringComparison.Ordinal);
        Assert.True(task >= 0, $"{script}: no // TASK: block");
        Assert.True(text.IndexOf("An answer", task, StringComparison.Ordinal) > task, $"{script}: no answer below its TASK");
        Assert.Contains($"Path.Combine(\"lab-output\", \"{Path.GetFileNameWithoutExtension(script)}\")", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_readme_lists_every_script_and_no_other()
    {
        string readme = File.ReadAllText(Path.Combine(Labs, "README.md"));
        string[] listed = [.. ListedScript().Matches(readme).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal)];

        Assert.Equal(PartNames(), listed);
    }

    [GeneratedRegex(@"^\d\d-[a-z-]+\.cs$")]
    private static partial Regex PartName();

    [GeneratedRegex(@"^#:project\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex ProjectDirective();

    // A table row of labs/README.md: | `01-data.cs` | ...
    [GeneratedRegex(@"^\| `(\d\d-[a-z-]+\.cs)` \|", RegexOptions.Multiline)]
    private static partial Regex ListedScript();
}

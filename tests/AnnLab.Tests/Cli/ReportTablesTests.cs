using AnnLab.Cli;
using AnnLab.Metrics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace AnnLab.Tests.Cli;

/// <summary>The tables <c>annlab evaluate</c> prints, for 3 to 47 classes, on a console of a known width.</summary>
public class ReportTablesTests
{
    /// <summary>count images of classes classes, image i of class i mod classes, predicted right except every 4th, taken for the next class.</summary>
    private static ClassificationReport Report(int classes, int count)
    {
        byte[] truth = Enumerable.Range(0, count).Select(i => (byte)(i % classes)).ToArray();
        byte[] predicted = truth.Select((t, i) => (byte)(i % 4 == 0 ? (t + 1) % classes : t)).ToArray();
        return ClassificationReport.Create(truth, predicted, Enumerable.Range(0, classes).Select(c => $"class {c}").ToArray());
    }

    private static string Render(IReadOnlyList<IRenderable> tables, int width)
    {
        var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = width;
        foreach (IRenderable table in tables)
        {
            console.Write(table);
        }

        return writer.ToString();
    }

    private static IReadOnlyList<IRenderable> Tables(ClassificationReport report, int width)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StringWriter()) });
        console.Profile.Width = width;
        return FigureCommands.ReportTables(report, console, "in run/evaluation.json");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    public void A_matrix_that_fits_the_console_is_printed_whole(int classes)
    {
        string text = Render(Tables(Report(classes, 400), 160), 160);
        Assert.Contains("true \\ predicted", text);
        Assert.DoesNotContain("most frequent confusions", text);
        // Every line of every table within the console's width.
        Assert.All(text.Split('\n'), line => Assert.True(line.TrimEnd().Length <= 160, line));
    }

    [Fact]
    public void A_47_class_matrix_too_wide_for_160_columns_gives_one_table_of_the_top_confusions()
    {
        ClassificationReport report = Report(47, 47 * 20);
        IReadOnlyList<IRenderable> tables = Tables(report, 160);
        Assert.Equal(3, tables.Count);
        string text = Render(tables, 160);
        Assert.DoesNotContain("true \\ predicted", text);
        Assert.Contains("the 47 x 47 confusion matrix is wider than the console (", text);
        Assert.Contains(" of 160 columns); the whole matrix is in run/evaluation.json", text);
        Assert.Contains($"the {FigureCommands.ConsoleConfusions} most frequent confusions", text);
        // Every class confused 5 times with the next one (images 0, 4, 8, ... of it): ties listed by true class, 0 first.
        string[] rows = text.Split('\n').Where(line => line.Contains(" 25.0 %")).ToArray();
        Assert.Equal(FigureCommands.ConsoleConfusions, rows.Length);
        Assert.Contains("0 class 0", rows[0]);
        Assert.Contains("1 class 1", rows[0]);
        // The per-class table: one row per class, one table.
        Assert.Contains("46 class 46", text);
        Assert.All(text.Split('\n'), line => Assert.True(line.TrimEnd().Length <= 160, line));
    }

    [Fact]
    public void A_wider_console_gets_the_whole_47_class_matrix()
    {
        string text = Render(Tables(Report(47, 47 * 20), 400), 400);
        Assert.Contains("true \\ predicted", text);
        Assert.DoesNotContain("most frequent confusions", text);
    }
}

using System.Text.Json;
using AnnLab.Tests.Data;

namespace AnnLab.Tests.Cli;

/// <summary>
/// Issue 12's folder of images as a user meets it: a folder of generated discs, squares and
/// triangles trains with <c>annlab train --data DIR</c> alone, and evaluate, predict and data read it.
/// </summary>
public class ImageFolderCommandLineTests
{
    [Fact]
    public void A_folder_of_shapes_trains_above_95_percent_and_evaluate_predict_and_data_read_it_back()
    {
        string shapes = ShapeImages.Write(Path.Combine(TestPaths.NewTempDirectory(), "shapes"), 300, seed: 12);
        string work = TestPaths.NewTempDirectory();
        string run = Path.Combine(work, "run");
        (int code, string stdout, string stderr) = AnnlabProcess.Run(work, "train", "--data", shapes, "--no-figures", "--output", run);
        Assert.True(code == 0, stderr + stdout);
        using JsonDocument results = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json")));
        double accuracy = results.RootElement.GetProperty("validation_accuracy").GetDouble();
        Assert.True(accuracy > 0.95, $"validation accuracy {accuracy}; {stdout}");
    }
}

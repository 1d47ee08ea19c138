using System.Text.Json;
using AnnLab.Tests.Data;
using AnnLab.Tests.Plots;
using SkiaSharp;

namespace AnnLab.Tests.Cli;

/// <summary>
/// Issue 12's folder of images as a user meets it: a folder of generated discs, squares and
/// triangles trains with <c>annlab train --data DIR</c> alone, evaluate, predict and data read it,
/// and each malformed folder ends in one line naming it and exit code 1 or 2.
/// </summary>
public class ImageFolderCommandLineTests
{
    [Fact]
    public void A_folder_of_shapes_trains_above_95_percent_and_evaluate_predict_and_data_read_it_back()
    {
        // 400 of each class, 32x32, side 60..90 % of the image anywhere it fits; the default options (no --dataset, no --samples).
        string shapes = ShapeImages.Write(Path.Combine(TestPaths.NewTempDirectory(), "shapes"), 400, seed: 12);
        string work = TestPaths.NewTempDirectory();
        string run = Path.Combine(work, "run");
        (int code, string stdout, string stderr) = AnnlabProcess.Run(work, "train", "--data", shapes, "--no-figures", "--output", run);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains($"data: {shapes}: shapes, images of 32x32, 3 classes; the first 1200 images: 960 training, 240 validation", stdout, StringComparison.Ordinal);
        Assert.Contains("network: 1024-25-3 ", stdout, StringComparison.Ordinal);
        using JsonDocument results = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json")));
        double accuracy = results.RootElement.GetProperty("validation_accuracy").GetDouble();
        Assert.True(accuracy > 0.95, $"validation accuracy {accuracy}; {stdout}");

        // evaluate with no data option: the run's recorded request opens the same folder, the same split.
        string model = Path.Combine(run, "model.annlab");
        string evaluation = Path.Combine(work, "evaluation");
        (code, stdout, stderr) = AnnlabProcess.Run(work, "evaluate", "--model", model, "--output", evaluation);
        Assert.True(code == 0, stderr + stdout);
        using JsonDocument measured = JsonDocument.Parse(File.ReadAllText(Path.Combine(evaluation, "evaluation.json")));
        Assert.Equal(240, measured.RootElement.GetProperty("images").GetInt32());
        Assert.Equal(accuracy, measured.RootElement.GetProperty("accuracy").GetDouble());

        // predict: one generated file of each class, as predict makes any image file into the input.
        string[] files = [.. ShapeImages.Classes.Select(c => Path.Combine(shapes, c, $"{c}-0007.png"))];
        (code, stdout, stderr) = AnnlabProcess.Run(work, ["predict", "--model", model, .. files]);
        Assert.True(code == 0, stderr + stdout);
        for (int k = 0; k < files.Length; k++)
        {
            Assert.Matches($"(?m)^{System.Text.RegularExpressions.Regex.Escape(files[k])}: 32 x 32 pixels, border mean [0-9.]+, as is: predicted {k} {ShapeImages.Classes[k]}$", stdout);
        }

        // data: the grid of the first 100 training images at 32x32 (2 px per pixel: 32 + 10 x 32 x 2 + 90 = 762 wide; 28x28 would be 962).
        string figures = Path.Combine(work, "figures");
        (code, stdout, stderr) = AnnlabProcess.Run(work, "data", "--data", shapes, "--output", figures);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains($"data: {shapes}: shapes: 1200 images of 32x32, 3 classes (1200 training, no test part)", stdout, StringComparison.Ordinal);
        using SKBitmap grid = Png.Load(Path.Combine(figures, "samples.png"));
        Assert.Equal(762, grid.Width);
    }

    [Fact]
    public void Train_and_test_folders_give_the_official_split_its_test_part()
    {
        string root = Path.Combine(TestPaths.NewTempDirectory(), "split");
        ShapeImages.Write(Path.Combine(root, "train"), 20, seed: 1);
        ShapeImages.Write(Path.Combine(root, "test"), 5, seed: 2);
        (int code, string stdout, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), "data", "--data", root, "--split", "official", "--output", TestPaths.NewTempDirectory());
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("split: 75 images of 32x32, 3 classes (60 training, 15 test)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_size_brings_every_image_to_that_canvas()
    {
        string shapes = ShapeImages.Write(Path.Combine(TestPaths.NewTempDirectory(), "shapes"), 4, seed: 3);
        (int code, string stdout, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), "data", "--data", shapes, "--image-size", "20x24", "--output", TestPaths.NewTempDirectory());
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("shapes: 12 images of 20x24, 3 classes", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_folder_named_as_an_image_folder_is_refused_naming_it()
    {
        string empty = TestPaths.NewTempDirectory();
        AssertRefused(1, $"annlab: error: {empty}: holds no class folders; expected one subfolder of image files (.png, .jpg, .jpeg, .bmp, .gif, .webp) per class, or a train and a test folder that hold them", "--dataset", "image-folder", "--data", empty);
    }

    [Fact]
    public void A_folder_beside_train_and_test_ends_data_in_one_line_naming_it()
    {
        string root = TestPaths.NewTempDirectory();
        ShapeImages.Write(Path.Combine(root, "train"), 3, seed: 4);
        ShapeImages.Write(Path.Combine(root, "test"), 3, seed: 5);
        ShapeImages.Write(Path.Combine(root, "extra"), 3, seed: 6);
        AssertRefused(1, $"annlab: error: {root}: holds train and test and also 'extra'; expected only train and test (each holding the class folders), or only class folders", "--data", root);
    }

    [Fact]
    public void A_link_loop_in_an_image_folder_trains_on_each_image_once()
    {
        string root = TestPaths.NewTempDirectory();
        ShapeImages.Write(root, 4, seed: 4);
        int images = Directory.GetFiles(root, "*.png", SearchOption.AllDirectories).Length;
        string disc = Directory.GetDirectories(root).Order(StringComparer.Ordinal).First();
        Directory.CreateSymbolicLink(Path.Combine(root, "loop"), "..");
        Directory.CreateSymbolicLink(Path.Combine(disc, "sub"), ".");
        string work = TestPaths.NewTempDirectory();
        (int code, string stdout, string stderr) = AnnlabProcess.Run(work, "train", "--data", root, "--max-epochs", "1", "--no-figures", "--output", Path.Combine(work, "run"));
        Assert.True(code == 0, stderr);
        Assert.Contains($"the first {images} images", stdout);
        Assert.DoesNotContain("loop", File.ReadAllText(Path.Combine(work, "run", "results.json")));
    }

    [Fact]
    public void A_folder_of_one_class_is_refused_naming_it_and_the_class()
    {
        string root = TestPaths.NewTempDirectory();
        ShapeImages.Write(root, 3, seed: 4);
        Directory.Delete(Path.Combine(root, "square"), recursive: true);
        Directory.Delete(Path.Combine(root, "triangle"), recursive: true);
        AssertRefused(1, $"annlab: error: {root}: holds 1 class folder, 'disc'; expected at least 2, one subfolder of image files per class", "--data", root);
    }

    [Fact]
    public void An_empty_class_folder_is_refused_naming_it()
    {
        string root = TestPaths.NewTempDirectory();
        ShapeImages.Write(root, 3, seed: 5);
        foreach (string file in Directory.GetFiles(Path.Combine(root, "square")))
        {
            File.Delete(file);
        }

        File.WriteAllText(Path.Combine(root, "square", "README"), "no images here");
        AssertRefused(1, $"annlab: error: {Path.Combine(root, "square")}: holds no image files; expected at least one (.png, .jpg, .jpeg, .bmp, .gif, .webp) in each class folder", "--data", root);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_file_with_an_image_extension_that_does_not_decode_is_named(bool imageSizeGiven)
    {
        // Without --image-size its header is read when the folder opens; with it, its pixels when the images load.
        string root = TestPaths.NewTempDirectory();
        ShapeImages.Write(root, 3, seed: 6);
        string bad = Path.Combine(root, "triangle", "broken.PNG");
        File.WriteAllText(bad, "not a png");
        string[] size = imageSizeGiven ? ["--image-size", "28"] : [];
        AssertRefused(1, $"annlab: error: {bad}: expected an image file (PNG, JPEG or BMP), got 9 bytes that are none (first bytes 6E6F74206120706E in hex)", ["--data", root, .. size]);
    }

    [Fact]
    public void A_folder_that_does_not_exist_is_refused_naming_it()
    {
        string missing = Path.Combine(TestPaths.NewTempDirectory(), "no-such-folder");
        AssertRefused(1, $"annlab: error: {missing}: no such folder; expected a folder of images with one subfolder per class", "--dataset", "image-folder", "--data", missing);
    }

    [Fact]
    public void An_image_folder_without_a_path_asks_for_data()
        => AssertRefused(2, "annlab: --data: got none, expected the folder of images, one subfolder per class", "--dataset", "image-folder");

    [Fact]
    public void A_file_given_as_the_folder_is_refused_naming_it()
    {
        string file = Path.Combine(TestPaths.NewTempDirectory(), "shapes.png");
        File.WriteAllText(file, "x");
        AssertRefused(1, $"annlab: error: {file}: is a file; expected a folder of images with one subfolder per class", "--dataset", "image-folder", "--data", file);
    }

    [Fact]
    public void Test_classes_other_than_the_training_classes_are_refused_naming_the_folder()
    {
        string root = TestPaths.NewTempDirectory();
        ShapeImages.Write(Path.Combine(root, "train"), 2, seed: 7);
        ShapeImages.Write(Path.Combine(root, "test"), 2, seed: 8);
        Directory.Delete(Path.Combine(root, "test", "square"), recursive: true);
        AssertRefused(1, $"annlab: error: {Path.Combine(root, "test")}: has no class folder 'square', which {Path.Combine(root, "train")} has; expected the same class folders in both", "--data", root);
    }

    [Fact]
    public void A_class_names_file_is_refused_because_the_folders_name_the_classes()
    {
        string root = ShapeImages.Write(TestPaths.NewTempDirectory(), 2, seed: 9);
        string names = Path.Combine(TestPaths.NewTempDirectory(), "names.txt");
        File.WriteAllText(names, "a\nb\nc\n");
        AssertRefused(2, $"annlab: --class-names: got {names}, expected no --class-names with image-folder data (it reads --image-size)", "--data", root, "--class-names", names);
    }

    // `annlab data` with the options: one line on stderr, the exit code, nothing on stdout, nothing written.
    private static void AssertRefused(int exitCode, string line, params string[] options)
    {
        string output = Path.Combine(TestPaths.NewTempDirectory(), "out");
        (int code, string stdout, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), ["data", .. options, "--output", output]);
        Assert.Equal(line, stderr.TrimEnd('\n'));
        Assert.Equal(exitCode, code);
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any());
    }
}

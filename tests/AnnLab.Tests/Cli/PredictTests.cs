using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Results;
using AnnLab.Tests.Plots;

namespace AnnLab.Tests.Cli;

/// <summary>A model trained once by the real annlab for the predict tests, and the first images of the data set.</summary>
public sealed class PredictModel
{
    public PredictModel()
    {
        Folder = TestPaths.NewTempDirectory();
        ModelPath = Path.Combine(Folder, "run", "model.annlab");
        (int code, _, string stderr) = AnnlabProcess.Run(Folder, "train", "--samples", "1000", "--solver", "cg", "--max-iterations", "40", "--no-figures", "--output", Path.Combine(Folder, "run"));
        Assert.True(code == 0, stderr);
        Images = FashionMnist.Open(TestPaths.DataDirectory).Load(10).Images;
    }

    public string Folder { get; }

    public string ModelPath { get; }

    public ImageSet Images { get; }
}

/// <summary>
/// Issue 11's <c>annlab predict</c> as a user meets it: image files give the data set's own
/// prediction, whatever their form, and every bad file or option is one line and exit code 1 or 2.
/// </summary>
public class PredictTests(PredictModel fixture) : IClassFixture<PredictModel>
{
    // Image 0, an ankle boot the model gets right with a score of 0.965 (the next class 0.032).
    private const int Boot = 0;

    private static void AssertOneLine(string stderr, string expected)
    {
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("annlab: ", lines[0]);
        Assert.Contains(expected, lines[0]);
    }

    private static string NewFolder() => TestPaths.NewTempDirectory();

    private byte[] Image(int i) => fixture.Images.Image(i).ToArray();

    private (int Code, string Output, PredictionResults Results) Predict(string dir, params string[] args)
    {
        string json = Path.Combine(dir, $"predictions-{Guid.NewGuid():N}.json");
        (int code, string output, string stderr) = AnnlabProcess.Run(dir, ["predict", "--model", fixture.ModelPath, "--json", json, .. args]);
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        return (code, output, PredictionResults.Load(json));
    }

    private static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int k = 0; k < expected.Count; k++)
        {
            Assert.True(Math.Abs(expected[k] - actual[k]) <= tolerance, $"class {k}: expected {expected[k]}, got {actual[k]}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void A_png_of_a_data_image_gives_the_same_class_and_scores_as_its_index(int index)
    {
        string dir = NewFolder();
        string png = Path.Combine(dir, $"image-{index}.png");
        TestImages.GrayPng(png, Image(index), 28, 28);
        (_, _, PredictionResults results) = Predict(dir, png, "--index", index.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, results.Images.Count);
        (PredictedImage file, PredictedImage byIndex) = (results.Images[0], results.Images[1]);
        Assert.Equal(png, file.File);
        Assert.Null(file.Index);
        Assert.False(file.Inverted);
        Assert.Equal(index, byIndex.Index);
        Assert.Equal(fixture.Images.Labels.Span[index], byIndex.TrueClass);
        Assert.Equal(byIndex.Predicted, file.Predicted);
        AssertClose(byIndex.Scores, file.Scores, 1e-6);
        Assert.Equal(10, file.Scores.Count);
        Assert.Equal("sigmoid", results.OutputActivation);
        Assert.False(results.ScoresAreProbabilities);
    }

    [Fact]
    public void The_data_image_by_index_gets_the_trained_models_prediction()
    {
        // What DatasetObjective (evaluate's path) predicts for the same images.
        Model model = ModelFile.Load(fixture.ModelPath);
        using var objective = new DatasetObjective<float>(model.Network, fixture.Images, 1, 1);
        byte[] expected = objective.Measure(model.Parameters).Predictions;
        (_, string output, PredictionResults results) = Predict(NewFolder(), "--index", "0,1,2,3,4,5,6,7,8,9");
        Assert.Equal(expected.Select(p => (int)p), results.Images.Select(i => i.Predicted));
        Assert.Equal(9, results.Images[Boot].Predicted);
        Assert.InRange(results.Images[Boot].Scores[9], 0.96, 0.97);
        Assert.Contains("image 0 of Fashion-MNIST: a training image of the lab split: 0: Ankle boot -> Ankle boot (index: true -> predicted; classes 9 -> 9), right", output);
        Assert.Contains("   9 Ankle boot   score 0.9670  normalized 0.9128", output);
        Assert.Contains("its outputs are sigmoid scores, each in 0..1 on its own (one-vs-rest), not probabilities over the classes", output);
    }

    [Fact]
    public void An_inverted_copy_with_invert_auto_is_inverted_back_and_gives_the_same_class()
    {
        string dir = NewFolder();
        string white = Path.Combine(dir, "white-background.png");
        TestImages.GrayPng(white, Image(Boot).Select(p => (byte)(255 - p)).ToArray(), 28, 28);
        (_, string output, PredictionResults results) = Predict(dir, white, "--index", "0");
        (PredictedImage file, PredictedImage byIndex) = (results.Images[0], results.Images[1]);
        Assert.True(file.Inverted);
        Assert.Equal(byIndex.Predicted, file.Predicted);
        AssertClose(byIndex.Scores, file.Scores, 1e-6);
        Assert.Contains($"{white}: 28 x 28 pixels, border mean ", output);
        Assert.Contains(", inverted, as is: predicted 9 Ankle boot", output);

        // Told not to invert, the network sees a dark boot on white: another input, other scores.
        (_, _, PredictionResults asIs) = Predict(dir, white, "--invert", "no");
        Assert.False(asIs.Images[0].Inverted);
        Assert.True(Math.Abs(asIs.Images[0].Scores[9] - byIndex.Scores[9]) > 0.1);
    }

    [Fact]
    public void A_100x100_rgb_jpeg_upscaled_from_the_image_gives_the_same_class()
    {
        string dir = NewFolder();
        string jpeg = Path.Combine(dir, "boot.jpg");
        TestImages.UpscaledRgbJpeg(jpeg, Image(Boot), 28, 28, 100, 100);
        (_, string output, PredictionResults results) = Predict(dir, jpeg, "--index", "0");
        Assert.Equal(results.Images[1].Predicted, results.Images[0].Predicted);
        Assert.Equal(9, results.Images[0].Predicted);
        Assert.False(results.Images[0].Inverted);
        Assert.Contains($"{jpeg}: 100 x 100 pixels, border mean ", output);
        Assert.Contains("fitted to 28 x 28 on the 28 x 28 canvas: predicted 9 Ankle boot", output);
    }

    [Fact]
    public void Rgb_and_rgba_versions_of_an_image_give_the_same_scores_bit_for_bit()
    {
        string dir = NewFolder();
        byte[] gray = Image(Boot);
        // A tinted copy: the colour makes the three channels differ, the luma is what the network sees.
        byte[] rgb = gray.SelectMany(p => new[] { p, (byte)(p * 0.8), (byte)(p * 0.6) }).ToArray();
        byte[] rgba = gray.SelectMany(p => new[] { p, (byte)(p * 0.8), (byte)(p * 0.6), (byte)255 }).ToArray();
        string rgbPath = Path.Combine(dir, "rgb.png"), rgbaPath = Path.Combine(dir, "rgba.png");
        TestImages.RgbPng(rgbPath, rgb, 28, 28);
        TestImages.RgbaPng(rgbaPath, rgba, 28, 28);
        Assert.NotEqual(File.ReadAllBytes(rgbPath), File.ReadAllBytes(rgbaPath));
        (_, _, PredictionResults results) = Predict(dir, rgbPath, rgbaPath);
        Assert.Equal(results.Images[0].Scores, results.Images[1].Scores);
        Assert.Equal(results.Images[0].Predicted, results.Images[1].Predicted);
    }

    [Fact]
    public void Top_k_lists_that_many_classes_most_likely_first()
    {
        (_, string output, _) = Predict(NewFolder(), "--index", "0", "--top", "10");
        string[] lines = output.Split('\n').Where(l => l.StartsWith("   ", StringComparison.Ordinal) || l.StartsWith("  ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(10, lines.Length);
        Assert.StartsWith("   9 Ankle boot", lines[0]);
        double[] scores = lines.Select(l => double.Parse(l.Split("score ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
    }

    [Fact]
    public void A_softmax_model_prints_probabilities_that_sum_to_1()
    {
        string dir = NewFolder();
        var network = new NeuralNetwork([28, 28], [new DenseSpec(5), new ActivationSpec(new Relu()), new DenseSpec(10)], OutputLayers.Softmax);
        var parameters = new float[network.ParameterCount];
        network.Initialize<float>(parameters, 0.3, seed: 3);
        string path = Path.Combine(dir, "softmax.annlab");
        ModelFile.Save(new Model(network, parameters, FashionMnist.ClassNames), path);
        string json = Path.Combine(dir, "p.json");
        (int code, string output, string stderr) = AnnlabProcess.Run(dir, "predict", "--model", path, "--index", "0,1", "--json", json);
        Assert.True(code == 0, stderr);
        Assert.Contains("its outputs are softmax probabilities", output);
        Assert.Contains("probability 0.", output);
        PredictionResults results = PredictionResults.Load(json);
        Assert.True(results.ScoresAreProbabilities);
        Assert.All(results.Images, i => Assert.InRange(i.Scores.Sum(), 1 - 1e-6, 1 + 1e-6));
    }

    [Fact]
    public void Show_writes_one_figure_per_image_and_never_replaces_an_input()
    {
        string dir = NewFolder();
        string show = Path.Combine(dir, "show");
        Directory.CreateDirectory(show);
        string png = Path.Combine(show, "predict-boot.png"); // named as boot.png's figure would be
        TestImages.GrayPng(png, Image(Boot), 28, 28);
        string boot = Path.Combine(dir, "boot.png");
        File.Copy(png, boot);
        byte[] input = File.ReadAllBytes(png);
        (int code, string output, string stderr) = AnnlabProcess.Run(dir, "predict", "--model", fixture.ModelPath, boot, png, "--index", "3", "--show", show);
        Assert.True(code == 0, stderr);
        Assert.Equal(input, File.ReadAllBytes(png));
        string[] written = [Path.Combine(show, "predict-boot-2.png"), Path.Combine(show, "predict-predict-boot.png"), Path.Combine(show, "predict-index-3.png")];
        foreach (string figure in written)
        {
            Assert.Contains($"wrote {figure}", output);
            using SkiaSharp.SKBitmap bitmap = Png.Load(figure);
            Png.AssertSize(bitmap, 1100, 470);
            Assert.True(Png.Count(bitmap, 0, 0, 1100, 470, c => c.Red > 200 && c.Green is > 80 and < 140 && c.Blue < 40) > 100, "the predicted class's orange bar");
        }
    }

    [Fact]
    public void A_model_without_an_image_shape_refuses_image_files_and_predicts_by_index()
    {
        string dir = NewFolder();
        var network = new NeuralNetwork([784, 3, 10], new Sigmoid()); // no input shape: a flat vector of 784
        string path = Path.Combine(dir, "flat.annlab");
        ModelFile.Save(new Model(network, new float[network.ParameterCount], FashionMnist.ClassNames), path);
        string png = Path.Combine(dir, "boot.png");
        TestImages.GrayPng(png, Image(Boot), 28, 28);
        (int code, _, string stderr) = AnnlabProcess.Run(dir, "predict", "--model", path, png);
        Assert.Equal(1, code);
        AssertOneLine(stderr, $"{path}: the model's input is a flat vector of 784 values ([784]), not an image of rows x columns (its file records no image shape), so image files cannot be fitted to it; predict data set images with --index instead");

        (code, string output, stderr) = AnnlabProcess.Run(dir, "predict", "--model", path, "--index", "0");
        Assert.True(code == 0, stderr);
        Assert.Contains("image 0 of Fashion-MNIST", output);
    }

    public static TheoryData<string, byte[]?, string> BadFiles => new()
    {
        { "garbage.png", "this is not an image at all"u8.ToArray(), "expected an image file (PNG, JPEG or BMP), got 27 bytes that are none (first bytes 7468697320697320 in hex)" },
        { "empty.png", [], "expected an image file (PNG, JPEG or BMP), got an empty file" },
        { "folder.png", null, "is a folder; expected an image file (PNG, JPEG or BMP)" },
        { "missing.png", [0], "no such file" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_image_file_is_one_line_and_exit_code_1(string name, byte[]? contents, string expected)
    {
        string dir = NewFolder();
        string path = Path.Combine(dir, name);
        if (contents is null)
        {
            Directory.CreateDirectory(path);
        }
        else if (name != "missing.png")
        {
            File.WriteAllBytes(path, contents);
        }

        string json = Path.Combine(dir, "p.json");
        (int code, string output, string stderr) = AnnlabProcess.Run(dir, "predict", "--model", fixture.ModelPath, path, "--json", json);
        Assert.Equal(1, code);
        AssertOneLine(stderr, $"{path}: {expected}");
        Assert.Equal("", output);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void A_cut_png_is_one_line_and_exit_code_1()
    {
        string dir = NewFolder();
        string whole = Path.Combine(dir, "whole.png");
        TestImages.GrayPng(whole, Enumerable.Range(0, 64 * 64).Select(i => (byte)(i * 7919 % 251)).ToArray(), 64, 64);
        byte[] bytes = File.ReadAllBytes(whole);
        string cut = Path.Combine(dir, "cut.png");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        (int code, _, string stderr) = AnnlabProcess.Run(dir, "predict", "--model", fixture.ModelPath, cut);
        Assert.Equal(1, code);
        AssertOneLine(stderr, $"{cut}: expected a complete PNG image of 64 x 64 pixels, got a file that ends early");
    }

    [Fact]
    public void An_image_smaller_than_8x8_is_refused_and_8x8_is_accepted()
    {
        string dir = NewFolder();
        string small = Path.Combine(dir, "small.png");
        TestImages.GrayPng(small, new byte[7 * 9], 7, 9);
        (int code, _, string stderr) = AnnlabProcess.Run(dir, "predict", "--model", fixture.ModelPath, small);
        Assert.Equal(1, code);
        AssertOneLine(stderr, $"{small}: expected an image of at least 8 x 8 pixels, got 7 x 9");

        string least = Path.Combine(dir, "least.png");
        TestImages.GrayPng(least, Enumerable.Range(0, 64).Select(i => (byte)(i % 8 is 3 or 4 ? 255 : 0)).ToArray(), 8, 8);
        (_, string output, PredictionResults results) = Predict(dir, least);
        Assert.Single(results.Images);
        Assert.Contains("8 x 8 pixels, border mean 36.4, fitted to 28 x 28 on the 28 x 28 canvas", output); // 4 of the 28 border pixels white
    }

    [Theory]
    [InlineData("--invert: got maybe, expected auto, yes, no", "--index", "0", "--invert", "maybe")]
    [InlineData("--top: got 0, expected an integer >= 1", "--index", "0", "--top", "0")]
    [InlineData("--top: got 11, expected an integer in 1..10 (the model's classes)", "--index", "0", "--top", "11")]
    [InlineData("--index: got 70000, expected image indices in 0..69999, comma-separated", "--index", "70000")]
    [InlineData("--index: got 1,x, expected image indices in 0..69999, comma-separated", "--index", "1,x")]
    [InlineData("predict: name one or more image files, or data set images by --index")]
    [InlineData("predict: got an image file name '', expected a path to a PNG, JPEG or BMP file", "")]
    public void A_bad_option_is_one_line_and_exit_code_2(string expected, params string[] options)
    {
        (int code, _, string stderr) = AnnlabProcess.Run(NewFolder(), ["predict", "--model", fixture.ModelPath, .. options]);
        Assert.Equal(2, code);
        AssertOneLine(stderr, expected);
    }

    [Fact]
    public void An_empty_model_path_is_a_bad_option()
    {
        (int code, _, string stderr) = AnnlabProcess.Run(NewFolder(), "predict", "--model", "", "--index", "0", "--json", "p.json");
        Assert.Equal(2, code);
        AssertOneLine(stderr, "--model: got '', expected a model file written by annlab train");
    }

    [Fact]
    public void Json_over_an_input_image_is_refused()
    {
        string dir = NewFolder();
        string png = Path.Combine(dir, "boot.png");
        TestImages.GrayPng(png, Image(Boot), 28, 28);
        byte[] before = File.ReadAllBytes(png);
        (int code, _, string stderr) = AnnlabProcess.Run(dir, "predict", "--model", fixture.ModelPath, png, "--json", png);
        Assert.Equal(2, code);
        AssertOneLine(stderr, $"--json: got {png}, expected a file other than the model and the images");
        Assert.Equal(before, File.ReadAllBytes(png));
    }
}

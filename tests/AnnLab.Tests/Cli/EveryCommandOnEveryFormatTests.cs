using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using AnnLab.Tests.Data;
using SkiaSharp;

namespace AnnLab.Tests.Cli;

/// <summary>
/// Issue 12's promise that every command works on every data set: train, evaluate, explain, data,
/// compare, sweep and bench run through the real program on an IDX pair of 12x20 images in 5 named
/// classes, a CSV of 6x9 images given --image-size, and a folder of 16x16 shapes in 3 classes. After
/// train, evaluate and explain take no data option (the run's results.json says what it read), and the
/// figures are drawn in the data's own shape with its class names.
/// </summary>
public class EveryCommandOnEveryFormatTests
{
    public static TheoryData<string> Formats => ["idx", "csv", "image-folder"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_command_runs_on_the_format_and_reads_it_back(string format)
    {
        string work = TestPaths.NewTempDirectory();
        (string[] data, int rows, int columns, string[] classes) = Write(format, Path.Combine(work, "data"));
        string run = Path.Combine(work, "run");

        string stdout = Ok(work, ["train", .. data, "--max-epochs", "3", "--output", run]);
        Assert.Contains($"images of {rows}x{columns}, {classes.Length} classes", stdout, StringComparison.Ordinal);
        Assert.Contains($"network: {rows * columns}-25-{classes.Length} ", stdout, StringComparison.Ordinal);
        using (JsonDocument results = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json"))))
        {
            JsonElement configuration = results.RootElement.GetProperty("configuration");
            Assert.Equal(format, configuration.GetProperty("dataset").GetString());
            Assert.Equal(classes, results.RootElement.GetProperty("validation_classes").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        }

        // The samples grid: 100 images (or all there are) in the images' own shape.
        (int width, int height) = Size(Path.Combine(run, "samples.png"));
        Assert.True(width > columns && height > rows, $"samples.png {width}x{height}");

        // evaluate and explain read the same data back with no data option, from another folder.
        string elsewhere = TestPaths.NewTempDirectory();
        string evaluation = Path.Combine(work, "evaluation");
        stdout = Ok(elsewhere, ["evaluate", "--model", Path.Combine(run, "model.annlab"), "--output", evaluation]);
        Assert.Contains("the split it was trained on", stdout, StringComparison.Ordinal);
        using (JsonDocument measured = JsonDocument.Parse(File.ReadAllText(Path.Combine(evaluation, "evaluation.json"))))
        {
            Assert.Equal(classes, measured.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        }

        string explained = Path.Combine(work, "explain");
        stdout = Ok(elsewhere, ["explain", "--model", Path.Combine(run, "model.annlab"), "--index", "1", "--output", explained]);
        Assert.Contains(classes[0], stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(explained, "explain-1.png")));

        Ok(work, ["data", .. data, "--output", Path.Combine(work, "figures")]);
        Assert.Equal(Size(Path.Combine(run, "samples.png")), Size(Path.Combine(work, "figures", "samples.png")));
        Ok(work, ["compare", .. data, "--max-epochs", "2", "--output", Path.Combine(work, "compare")]);
        Ok(work, ["sweep", .. data, "--hidden-sizes", "5", "--lambdas", "0,1", "--learning-rates", "0.3", "--max-epochs", "2", "--output", Path.Combine(work, "sweep")]);
        stdout = Ok(work, ["bench", .. data]);
        Assert.Contains($"{rows * columns}-25-{classes.Length}", stdout, StringComparison.Ordinal);
    }

    private static string Ok(string folder, string[] args)
    {
        (int code, string stdout, string stderr) = AnnlabProcess.Run(folder, args);
        Assert.True(code == 0, $"annlab {string.Join(' ', args)}: exit {code}: {stderr}{stdout}");
        return stdout;
    }

    private static (int Width, int Height) Size(string png)
    {
        using var codec = SKCodec.Create(png);
        return (codec.Info.Width, codec.Info.Height);
    }

    // The data set of each format, its options, its image shape and class names. Images of class k
    // carry a bright bar at row (or column) k, so they can be learnt.
    private static (string[] Options, int Rows, int Columns, string[] Classes) Write(string format, string folder)
    {
        Directory.CreateDirectory(folder);
        switch (format)
        {
            case "idx":
            {
                string[] names = ["north", "east", "south", "west", "centre"];
                (byte[] pixels, byte[] labels) = Images(300, 12, 20, names.Length);
                WriteIdx(Path.Combine(folder, "images.idx"), Path.Combine(folder, "labels.idx"), pixels, labels, 12, 20);
                (pixels, labels) = Images(60, 12, 20, names.Length, seed: 2);
                WriteIdx(Path.Combine(folder, "test-images.idx"), Path.Combine(folder, "test-labels.idx"), pixels, labels, 12, 20);
                File.WriteAllLines(Path.Combine(folder, "names.txt"), names);
                return (["--data", folder, "--images", "images.idx", "--labels", "labels.idx", "--test-images", "test-images.idx", "--test-labels", "test-labels.idx", "--class-names", "names.txt"], 12, 20, names);
            }

            case "csv":
            {
                (byte[] pixels, byte[] labels) = Images(200, 6, 9, 4);
                File.WriteAllText(Path.Combine(folder, "my_train.csv"), KaggleCsv.Text(labels, pixels, 54));
                (pixels, labels) = Images(40, 6, 9, 4, seed: 2);
                File.WriteAllText(Path.Combine(folder, "my_test.csv"), KaggleCsv.Text(labels, pixels, 54, header: false, newline: "\r\n"));
                return (["--data", folder, "--image-size", "6x9"], 6, 9, ["0", "1", "2", "3"]);
            }

            default:
                ShapeImages.Write(folder, 60, seed: 3, size: 16);
                return (["--data", folder], 16, 16, [.. ShapeImages.Classes]);
        }
    }

    private static (byte[] Pixels, byte[] Labels) Images(int count, int rows, int columns, int classes, int seed = 1)
    {
        var random = new Random(seed);
        var pixels = new byte[count * rows * columns];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int k = i % classes;
            labels[i] = (byte)k;
            Span<byte> image = pixels.AsSpan(i * rows * columns, rows * columns);
            for (int p = 0; p < image.Length; p++)
            {
                int r = p / columns, c = p % columns;
                bool bar = k < rows ? r == k : c == k - rows;
                image[p] = (byte)(bar ? 200 + random.Next(56) : random.Next(60));
            }
        }

        return (pixels, labels);
    }

    private static void WriteIdx(string imagesPath, string labelsPath, byte[] pixels, byte[] labels, int rows, int columns)
    {
        var header = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, 2051);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), labels.Length);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), columns);
        File.WriteAllBytes(imagesPath, [.. header, .. pixels]);
        var labelHeader = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(labelHeader, 2049);
        BinaryPrimitives.WriteInt32BigEndian(labelHeader.AsSpan(4), labels.Length);
        File.WriteAllBytes(labelsPath, [.. labelHeader, .. labels]);
    }
}

using System.Text;
using AnnLab.Data;

namespace AnnLab.Tests.Data;

/// <summary>Kaggle's two Fashion-MNIST CSV files written from the shipped IDX files, and small CSV files for the reader's tests.</summary>
internal static class KaggleCsv
{
    private static readonly Lazy<string> Full = new(() => Write(60_000, 10_000));

    /// <summary>A folder with fashion-mnist_train.csv (60,000 rows) and fashion-mnist_test.csv (10,000 rows), written once per test run.</summary>
    public static string FullFolder => Full.Value;

    /// <summary>A new folder with Kaggle's two files holding the first <paramref name="train"/> and <paramref name="test"/> images of the shipped IDX files.</summary>
    public static string Write(int train, int test)
    {
        string dir = TestPaths.NewTempDirectory();
        WritePart(Path.Combine(dir, "fashion-mnist_train.csv"), FashionMnist.TrainImagesFile, FashionMnist.TrainLabelsFile, train);
        WritePart(Path.Combine(dir, "fashion-mnist_test.csv"), FashionMnist.TestImagesFile, FashionMnist.TestLabelsFile, test);
        return dir;
    }

    /// <summary>Kaggle's layout as text: a header of <c>label,pixel1,...</c> (or none), then a row per image, with <paramref name="newline"/> endings.</summary>
    public static string Text(IReadOnlyList<byte> labels, byte[] pixels, int features, bool header = true, string newline = "\n")
    {
        var sb = new StringBuilder();
        if (header)
        {
            sb.Append("label");
            for (int p = 1; p <= features; p++)
            {
                sb.Append(",pixel").Append(p);
            }

            sb.Append(newline);
        }

        for (int i = 0; i < labels.Count; i++)
        {
            sb.Append(labels[i]);
            for (int p = 0; p < features; p++)
            {
                sb.Append(',').Append(pixels[(i * features) + p]);
            }

            sb.Append(newline);
        }

        return sb.ToString();
    }

    /// <summary>Writes <paramref name="text"/> to a new file <paramref name="name"/> in a new folder and returns its path.</summary>
    public static string File(string text, string name = "images.csv")
    {
        string path = Path.Combine(TestPaths.NewTempDirectory(), name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static void WritePart(string path, string images, string labels, int count)
    {
        (IdxImages pixels, IdxLabels classes) = IdxReader.ReadPair(Path.Combine(TestPaths.DataDirectory, images), Path.Combine(TestPaths.DataDirectory, labels), 10, count);
        System.IO.File.WriteAllText(path, Text(classes.Labels, pixels.Pixels, 784));
    }
}

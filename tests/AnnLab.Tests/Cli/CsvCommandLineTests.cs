using AnnLab.Data;
using AnnLab.Tests.Data;

namespace AnnLab.Tests.Cli;

/// <summary>Kaggle's CSV files through the real program: they train the same model as the IDX files, evaluate reads them back from results.json, data draws them, and a bad file ends in one line.</summary>
public class CsvCommandLineTests
{
    [Fact]
    public void The_kaggle_csv_files_train_the_same_model_as_the_idx_files_and_evaluate_and_data_read_them()
    {
        string csv = KaggleCsv.FullFolder;
        string work = TestPaths.NewTempDirectory();
        string idxRun = Path.Combine(work, "idx"), csvRun = Path.Combine(work, "csv");
        (int code, string stdout, string stderr) = AnnlabProcess.Run(work, "train", "--data", TestPaths.DataDirectory, "--max-epochs", "3", "--no-figures", "--output", idxRun);
        Assert.True(code == 0, stderr);
        (code, stdout, stderr) = AnnlabProcess.Run(work, "train", "--data", csv, "--max-epochs", "3", "--no-figures", "--output", csvRun);
        Assert.True(code == 0, stderr);
        Assert.Contains($"data: {csv}: Fashion-MNIST, images of 28x28, 10 classes; the first 5000 images: 4000 training, 1000 validation", stdout);
        Assert.Equal(File.ReadAllBytes(Path.Combine(idxRun, "model.annlab")), File.ReadAllBytes(Path.Combine(csvRun, "model.annlab")));
        string results = File.ReadAllText(Path.Combine(csvRun, "results.json"));
        Assert.Contains("\"dataset\": \"csv\"", results);

        (code, stdout, stderr) = AnnlabProcess.Run(work, "evaluate", "--model", Path.Combine(csvRun, "model.annlab"), "--output", Path.Combine(work, "evaluation"));
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        Assert.Contains(csv, stdout);
        Assert.Contains("1000 images", stdout);

        string figures = Path.Combine(work, "figures");
        (code, stdout, stderr) = AnnlabProcess.Run(work, "data", "--data", csv, "--output", figures);
        Assert.True(code == 0, stderr);
        Assert.Contains("Fashion-MNIST", stdout);
        Assert.True(new FileInfo(Path.Combine(figures, "samples.png")).Length > 1000);
        Assert.True(new FileInfo(Path.Combine(figures, "samples-labeled.png")).Length > 1000);
    }

    [Fact]
    public void A_small_csv_folder_with_image_size_and_class_names_trains_and_records_both()
    {
        // 40 images of 2x3 pixels in 2 classes, seeded.
        var random = new Random(5);
        byte[] labels = [.. Enumerable.Range(0, 40).Select(i => (byte)(i % 2))];
        byte[] pixels = [.. Enumerable.Range(0, 240).Select(_ => (byte)random.Next(256))];
        string dir = TestPaths.NewTempDirectory();
        File.WriteAllText(Path.Combine(dir, "tiny_train.csv"), KaggleCsv.Text(labels[..30], pixels[..180], 6, header: false, "\r\n"));
        File.WriteAllText(Path.Combine(dir, "tiny_test.csv"), KaggleCsv.Text(labels[30..], pixels[180..], 6));
        string names = Path.Combine(dir, "classes.txt");
        File.WriteAllText(names, "even\nodd\n");
        string work = TestPaths.NewTempDirectory();
        string run = Path.Combine(work, "run");
        (int code, string stdout, string stderr) = AnnlabProcess.Run(work, "train", "--data", dir, "--image-size", "2x3", "--class-names", names, "--max-epochs", "2", "--no-figures", "--output", run);
        Assert.True(code == 0, stderr);
        Assert.Contains("the first 40 images: 32 training, 8 validation", stdout);
        string results = File.ReadAllText(Path.Combine(run, "results.json"));
        Assert.Contains("\"image_size\": \"2x3\"", results);
        (code, stdout, stderr) = AnnlabProcess.Run(work, "info", "--model", Path.Combine(run, "model.annlab"));
        Assert.True(code == 0, stderr);
        Assert.Contains("classes (2): 0 even, 1 odd", stdout);
        Assert.Contains("input: 2x3", stdout);
    }

    [Theory]
    [InlineData("1,0,0,0,0\n2,0,0,x,0\n", null, 1, "{0}: line 2, column 4: expected a pixel value, an integer in 0..255, got 'x' (not an integer)")]
    [InlineData("label,a,b,c,d\n1,0,0,0,0\n2,0,0,0\n", null, 1, "{0}: line 3, column 5: expected 5 columns (a label and 4 pixels) as line 1, got 4")]
    [InlineData("1,0,0,0,0,0,0\n", null, 1, "{0}: rows hold 6 pixels, not a square number; give --image-size as ROWSxCOLUMNS that multiply to 6 (1x6 for flat vectors)")]
    [InlineData("1,0,0,0,0,0,0\n", "4x4", 1, "{0}: rows hold 6 pixels; --image-size 4x4 holds 16, expected sizes that multiply to 6")]
    [InlineData("label,pixel1\n", null, 1, "{0}: holds a header line but no image rows; expected a CSV file of images (a label and its pixels per row, as Kaggle's fashion-mnist_train.csv)")]
    public void A_bad_csv_file_ends_every_data_command_in_one_line(string text, string? size, int exitCode, string message)
    {
        string path = KaggleCsv.File(text);
        string work = TestPaths.NewTempDirectory();
        foreach (string[] command in new[] { new[] { "train", "--output", Path.Combine(work, "run") }, ["data", "--output", work] })
        {
            string[] args = [.. command, "--data", path, .. size is null ? Array.Empty<string>() : ["--image-size", size]];
            (int code, string stdout, string stderr) = AnnlabProcess.Run(work, args);
            Assert.Equal("annlab: error: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, message, path), stderr.Trim());
            Assert.Equal(exitCode, code);
            Assert.DoesNotContain("   at ", stdout + stderr);
        }

        Assert.Empty(Directory.GetFiles(work, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_folder_with_two_train_files_is_refused_naming_the_folder_and_its_files()
    {
        string dir = TestPaths.NewTempDirectory();
        File.WriteAllText(Path.Combine(dir, "a_train.csv"), "1,0\n");
        File.WriteAllText(Path.Combine(dir, "b_train.csv"), "1,0\n");
        (int code, _, string stderr) = AnnlabProcess.Run(TestPaths.NewTempDirectory(), "train", "--dataset", "csv", "--data", dir);
        Assert.Equal($"annlab: error: {dir}: holds a_train.csv, b_train.csv: 2 *train*.csv files; expected exactly one *train*.csv (the training part) and at most one *test*.csv (the test part)", stderr.Trim());
        Assert.Equal(1, code);
    }

    [Fact]
    public void A_row_longer_than_sep_reads_a_signed_pixel_and_an_ambiguous_file_name_end_train_in_one_line()
    {
        string work = TestPaths.NewTempDirectory();
        string wide = KaggleCsv.File(string.Concat(Enumerable.Range(0, 2).Select(i => i + string.Concat(Enumerable.Repeat(",0", 2048 * 2048)) + "\n"))); // the tester's 2048x2048 images
        string plus = KaggleCsv.File("1,0,0,0,0\n2,0,+3,0,0\n");
        string folder = TestPaths.NewTempDirectory();
        File.WriteAllText(Path.Combine(folder, "train_test.csv"), "1,0\n2,0\n");
        foreach ((string data, string message) in new[]
        {
            (wide, $"{wide}: line 1: expected a row of at most {CsvTable.MaxRowColumns} columns and {CsvTable.MaxRowLength} characters (the most Sep reads), got more"),
            (plus, $"{plus}: line 2, column 3: expected a pixel value, an integer in 0..255, got '+3' (a sign is not allowed: expected digits only)"),
            (folder, $"{folder}: holds train_test.csv: train_test.csv matches both *train* and *test*, so it is ambiguous; expected exactly one *train*.csv (the training part) and at most one *test*.csv (the test part)"),
        })
        {
            (int code, string stdout, string stderr) = AnnlabProcess.Run(work, "train", "--dataset", "csv", "--data", data, "--no-figures", "--output", Path.Combine(work, "run"));
            Assert.Equal("annlab: error: " + message, stderr.Trim());
            Assert.Equal(1, code);
            Assert.DoesNotContain("   at ", stdout + stderr);
        }
    }
}

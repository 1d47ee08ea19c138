using System.Diagnostics;
using AnnLab.Data;

namespace AnnLab.Tests.Data;

/// <summary>The csv data set kind (<see cref="CsvSource"/>): Kaggle's layout with and without a header, LF and CRLF, shapes, class names, folders, every malformed row, and the real Fashion-MNIST as CSV.</summary>
public class CsvSourceTests
{
    // Three images of 2x2: labels 1, 0, 2; pixels 0..255 at the edges.
    private static readonly byte[] Labels = [1, 0, 2];
    private static readonly byte[] Pixels = [0, 255, 7, 80, 1, 2, 3, 4, 255, 254, 253, 0];

    private static CsvSource Open(string path, DataRequest? request = null) => CsvSource.Open(path, request ?? new DataRequest { Path = path });

    [Theory]
    [InlineData(true, "\n")]
    [InlineData(true, "\r\n")]
    [InlineData(false, "\n")]
    [InlineData(false, "\r\n")]
    public void A_file_with_or_without_header_and_either_line_ending_reads_the_same_images(bool header, string newline)
    {
        string path = KaggleCsv.File(KaggleCsv.Text(Labels, Pixels, 4, header, newline));
        CsvSource source = Open(path);
        Assert.Equal("images.csv: 3 images of 2x2, 3 classes (3 training, no test part)", source.Description);
        Assert.Equal(["0", "1", "2"], source.ClassNames);
        Assert.Equal(path, source.TrainFile);
        Assert.Null(source.TestFile);
        Dataset all = source.LoadAll();
        Assert.Equal(Pixels, all.Images.Pixels.ToArray());
        Assert.Equal(Labels, all.Images.Labels.ToArray());
        Assert.Equal(Pixels[..4], source.Load(1).Images.Pixels.ToArray());
    }

    [Fact]
    public void Values_with_leading_zeros_are_read_as_their_integers()
    {
        string path = KaggleCsv.File("0003,0255,007,00,1\n");
        Dataset all = Open(path).LoadAll();
        Assert.Equal([255, 7, 0, 1], all.Images.Pixels.ToArray());
        Assert.Equal([3], all.Images.Labels.ToArray());
    }

    [Fact]
    public void Opening_reads_each_file_once_loading_reads_no_file_again()
    {
        string path = KaggleCsv.File(KaggleCsv.Text(Labels, Pixels, 4));
        CsvSource source = Open(path);
        File.Delete(path);
        Assert.Equal(Pixels, source.LoadAll().Images.Pixels.ToArray());
        Assert.Equal(Labels[..2], source.Load(2).Images.Labels.ToArray());
    }

    [Fact]
    public void A_folder_gives_the_train_file_as_training_part_and_the_test_file_as_test_part()
    {
        string dir = TestPaths.NewTempDirectory();
        File.WriteAllText(Path.Combine(dir, "my_train.csv"), KaggleCsv.Text(Labels, Pixels, 4));
        File.WriteAllText(Path.Combine(dir, "my_test.csv"), KaggleCsv.Text([3], [9, 8, 7, 6], 4, header: false, "\r\n"));
        File.WriteAllText(Path.Combine(dir, "README.txt"), "other files are ignored");
        CsvSource source = Open(dir);
        Assert.Equal(Path.GetFileName(dir) + ": 4 images of 2x2, 4 classes (3 training, 1 test)", source.Description);
        Assert.Equal(Path.Combine(dir, "my_test.csv"), source.TestFile);
        Dataset all = source.LoadAll();
        Assert.Equal([.. Pixels, 9, 8, 7, 6], all.Images.Pixels.ToArray());
        Assert.Equal([1, 0, 2, 3], all.Images.Labels.ToArray());
        Assert.Equal(3, all.TrainCount);
    }

    [Fact]
    public void A_pixel_count_that_is_not_square_takes_its_shape_from_image_size()
    {
        // Two images of 2x3 (6 pixels).
        string path = KaggleCsv.File(KaggleCsv.Text([0, 1], [1, 2, 3, 4, 5, 6, 6, 5, 4, 3, 2, 1], 6));
        CsvSource source = Open(path, new DataRequest { Path = path, ImageSize = new ImageShape(2, 3) });
        Assert.Equal(new ImageShape(2, 3), source.Shape);
        Assert.Equal(3, source.LoadAll().Images.Columns);
        var e = Assert.Throws<InvalidDataException>(() => Open(path));
        Assert.Equal($"{path}: rows hold 6 pixels, not a square number; give `ImageSize` as ROWSxCOLUMNS that multiply to 6 (1x6 for flat vectors)", e.Message);
        e = Assert.Throws<InvalidDataException>(() => Open(path, new DataRequest { Path = path, ImageSize = new ImageShape(2, 2) }));
        Assert.Equal($"{path}: rows hold 6 pixels; `ImageSize` 2x2 holds 4, expected sizes that multiply to 6", e.Message);
    }

    [Fact]
    public void A_class_names_file_names_the_classes_and_must_cover_the_largest_label()
    {
        string path = KaggleCsv.File(KaggleCsv.Text(Labels, Pixels, 4));
        string names = Path.Combine(Path.GetDirectoryName(path)!, "classes.txt");
        File.WriteAllText(names, "cat\r\ndog\r\nbird\r\n\r\n".TrimEnd('\n', '\r') + "\n");
        Assert.Equal(["cat", "dog", "bird"], Open(path, new DataRequest { Path = path, ClassNames = names }).ClassNames);
        File.WriteAllText(names, "cat\ndog\n");
        var e = Assert.Throws<InvalidDataException>(() => Open(path, new DataRequest { Path = path, ClassNames = names }));
        Assert.Equal($"{names}: names 2 classes (labels 0..1), but {path} line 4 has label 2; expected at least 3 names", e.Message);
    }

    [Theory]
    [InlineData("label,a,b,c,d\n1,0,0,0,0\n2,0,0,0\n", "line 3, column 5: expected 5 columns (a label and 4 pixels) as line 1, got 4")]
    [InlineData("1,0,0,0,0\n2,0,0,0,0,9,9\n", "line 2, column 6: expected 5 columns (a label and 4 pixels) as line 1, got 7")]
    [InlineData("1,0,0,0,0\n\n2,0,0,0,0\n", "line 2, column 2: expected 5 columns (a label and 4 pixels) as line 1, got 1")]
    [InlineData("1,0,0,0,0\r\n2,0,,0,0\r\n", "line 2, column 3: expected a pixel value, an integer in 0..255, got an empty field")]
    [InlineData("label,a,b,c,d\n1,0,0,0,0\n2,0,0,0,x7\n", "line 3, column 5: expected a pixel value, an integer in 0..255, got 'x7' (not an integer)")]
    [InlineData("1,0,0,0,0\n2,0,1.5,0,0\n", "line 2, column 3: expected a pixel value, an integer in 0..255, got '1.5' (not an integer)")]
    [InlineData("1,0,0,0,256\n", "line 1, column 5: expected a pixel value, an integer in 0..255, got '256' (outside 0..255)")]
    [InlineData("1,0,-1,0,0\n", "line 1, column 3: expected a pixel value, an integer in 0..255, got '-1' (outside 0..255)")]
    [InlineData("1,0,+3,0,0\n", "line 1, column 3: expected a pixel value, an integer in 0..255, got '+3' (a sign is not allowed: expected digits only)")]
    [InlineData("1,0,0,0,0\n+1,0,0,0,0\n", "line 2, column 1: expected a label, an integer in 0..255, got '+1' (a sign is not allowed: expected digits only)")]
    [InlineData("1,0,0,0,0\n300,0,0,0,0\n", "line 2, column 1: expected a label, an integer in 0..255, got '300' (outside 0..255)")]
    [InlineData("1,0,0,0,0\n,0,0,0,0\n", "line 2, column 1: expected a label, an integer in 0..255, got an empty field")]
    [InlineData("1,0,0,0,\"4\"\n", "line 1, column 5: expected a pixel value, an integer in 0..255, got '\"4\"' (not an integer)")]
    [InlineData("1,0,0,0,12345678901234567890123456789012345678901234567890\n", "line 1, column 5: expected a pixel value, an integer in 0..255, got '1234567890123456789012345678901234567890...' (outside 0..255)")]
    [InlineData("label\n", "line 1: expected a label and at least one pixel per row, got 1 column")]
    [InlineData("label,pixel1\n", "holds a header line but no image rows; expected a CSV file of images (a label and its pixels per row, as Kaggle's fashion-mnist_train.csv)")]
    [InlineData("", "is empty; expected a CSV file of images (a label and its pixels per row, as Kaggle's fashion-mnist_train.csv)")]
    public void A_malformed_file_is_refused_naming_the_file_line_and_column_and_the_value(string text, string message)
    {
        string path = KaggleCsv.File(text);
        var e = Assert.Throws<InvalidDataException>(() => Open(path));
        Assert.Equal($"{path}: {message}", e.Message);
    }

    [Fact]
    public void A_folder_a_fifo_or_a_missing_file_named_csv_is_refused_naming_it()
    {
        string dir = TestPaths.NewTempDirectory();
        string folder = Path.Combine(dir, "train.csv");
        Directory.CreateDirectory(folder);
        var e = Assert.Throws<InvalidDataException>(() => Open(dir));
        Assert.Equal($"{folder}: is a folder; expected a CSV file of images (a label and its pixels per row, as Kaggle's fashion-mnist_train.csv)", e.Message);
        string fifo = Path.Combine(TestPaths.NewTempDirectory(), "fifo.csv");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        e = Assert.Throws<InvalidDataException>(() => Open(fifo));
        Assert.Equal($"{fifo}: is not a regular file (a FIFO, device or socket); expected a CSV file of images (a label and its pixels per row, as Kaggle's fashion-mnist_train.csv)", e.Message);
        var missing = Assert.Throws<DirectoryNotFoundException>(() => CsvSource.Locate(new DataRequest { Path = Path.Combine(dir, "none.csv") }));
        Assert.Equal($"{Path.Combine(dir, "none.csv")}: no such file or folder; expected a .csv file, or a folder with one *train*.csv and at most one *test*.csv", missing.Message);
        missing = Assert.Throws<DirectoryNotFoundException>(() => CsvSource.Locate(new DataRequest()));
        Assert.Equal("the csv format needs `Path`: a .csv file, or a folder with one *train*.csv and at most one *test*.csv", missing.Message);
    }

    [Theory]
    [InlineData(new string[0], "no .csv file: no *train*.csv")]
    [InlineData(new[] { "a_test.csv" }, "a_test.csv: no *train*.csv")]
    [InlineData(new[] { "a_train.csv", "b_train.csv" }, "a_train.csv, b_train.csv: 2 *train*.csv files")]
    [InlineData(new[] { "a_test.csv", "a_train.csv", "b_test.csv" }, "a_test.csv, a_train.csv, b_test.csv: 2 *test*.csv files")]
    [InlineData(new[] { "a_train.csv", "extra.csv" }, "a_train.csv, extra.csv: extra.csv, neither a *train*.csv nor a *test*.csv")]
    [InlineData(new[] { "train_test.csv" }, "train_test.csv: train_test.csv matches both *train* and *test*, so it is ambiguous")]
    [InlineData(new[] { "a_train.csv", "Test-Train.csv", "train_test.csv" }, "Test-Train.csv, a_train.csv, train_test.csv: Test-Train.csv, train_test.csv match both *train* and *test*, so they are ambiguous")]
    public void A_folder_without_exactly_one_train_file_is_refused_naming_what_it_holds(string[] files, string holds)
    {
        string dir = TestPaths.NewTempDirectory();
        foreach (string file in files)
        {
            File.WriteAllText(Path.Combine(dir, file), "1,2\n");
        }

        var e = Assert.Throws<InvalidDataException>(() => Open(dir));
        Assert.Equal($"{dir}: holds {holds}; expected exactly one *train*.csv (the training part) and at most one *test*.csv (the test part)", e.Message);
    }

    [Fact]
    public void A_row_of_the_most_columns_sep_reads_is_read_and_one_column_or_a_field_too_long_more_is_refused_naming_the_line()
    {
        // "1,0,0,...", then "2,7,7,...": a label and p pixels.
        int pixels = CsvTable.MaxRowColumns - 1;
        string Row(char label, string pixel, int count) => label + string.Concat(Enumerable.Repeat(pixel, count)) + "\n";
        string path = KaggleCsv.File(Row('1', ",0", pixels) + Row('2', ",7", pixels));
        CsvSource source = Open(path, new DataRequest { Path = path, ImageSize = new ImageShape(1, pixels) });
        Assert.Equal(2, source.Count);
        Assert.Equal(pixels, source.Shape.Pixels);
        Assert.Equal(7, source.LoadAll().Images.Pixels.Span[(2 * pixels) - 1]);

        // Line 1 is short; line 2 has twice the columns (a 2048x2048 image's 4,194,305 are refused too, but the exact limit
        // moves by a few dozen with what the buffer held before), or one field of twice the characters.
        string tooMany = KaggleCsv.File("1,0\n" + Row('2', ",0", 2 * pixels));
        string tooLong = KaggleCsv.File("1,0\n2," + new string('9', 2 * CsvTable.MaxRowLength) + "\n");
        foreach (string bad in new[] { tooMany, tooLong })
        {
            var e = Assert.Throws<InvalidDataException>(() => Open(bad));
            Assert.Equal($"{bad}: line 2: expected a row of at most {CsvTable.MaxRowColumns} columns and {CsvTable.MaxRowLength} characters (the most Sep reads), got more", e.Message);
        }
    }

    [Fact]
    public void Train_and_test_files_of_other_pixel_counts_are_refused()
    {
        string dir = TestPaths.NewTempDirectory();
        File.WriteAllText(Path.Combine(dir, "train.csv"), "label,p1,p2,p3,p4\n1,0,0,0,0\n");
        File.WriteAllText(Path.Combine(dir, "test.csv"), "label,p1\n1,0\n1,0\n");
        var e = Assert.Throws<InvalidDataException>(() => Open(dir));
        Assert.Equal($"{Path.Combine(dir, "test.csv")}: rows of 1 pixels (line 2), expected 4 as in {Path.Combine(dir, "train.csv")}", e.Message);
    }

    [Fact]
    public void A_csv_file_or_a_folder_of_csv_files_without_idx_files_is_recognised_as_csv()
    {
        string path = KaggleCsv.File(KaggleCsv.Text(Labels, Pixels, 4), "x_train.csv");
        string dir = Path.GetDirectoryName(path)!;
        Assert.Equal("csv", DatasetSources.Resolve(new DataRequest { Path = path }).Name);
        Assert.Equal("csv", DatasetSources.Resolve(new DataRequest { Path = dir }).Name);
        (DatasetKind kind, DatasetSource source) = DatasetSources.Open(new DataRequest { Path = dir });
        Assert.Equal(("csv", 3), (kind.Name, source.Count));
        File.WriteAllText(Path.Combine(dir, "train-images-idx3-ubyte"), "");
        Assert.False(CsvSource.Recognizes(dir));
        Assert.True(CsvSource.Recognizes(path));
        Assert.False(CsvSource.Recognizes(Path.Combine(dir, "train-images-idx3-ubyte")));
    }

    [Fact]
    public void Kaggle_files_of_the_real_fashion_mnist_are_fashion_mnist_byte_for_byte()
    {
        CsvSource source = Open(KaggleCsv.FullFolder);
        Assert.Equal("Fashion-MNIST: 70000 images of 28x28, 10 classes (60000 training, 10000 test)", source.Description);
        Assert.Equal(FashionMnist.ClassNames, source.ClassNames);
        Dataset csv = source.LoadAll();
        Dataset idx = FashionMnist.Open(TestPaths.DataDirectory, new VerifiedFiles(null)).LoadAll();
        Assert.True(csv.Images.Pixels.Span.SequenceEqual(idx.Images.Pixels.Span));
        Assert.True(csv.Images.Labels.Span.SequenceEqual(idx.Images.Labels.Span));
        Assert.Equal(idx.TrainCount, csv.TrainCount);
    }

    [Fact]
    public void A_subset_of_fashion_mnist_or_a_changed_pixel_is_not_fashion_mnist()
    {
        string dir = KaggleCsv.Write(100, 10);
        CsvSource subset = Open(dir);
        Assert.Equal(Path.GetFileName(dir), subset.Name);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], subset.ClassNames);
        string test = Path.Combine(KaggleCsv.FullFolder, "fashion-mnist_test.csv");
        string changed = Path.Combine(TestPaths.NewTempDirectory(), "fashion-mnist_test.csv");
        string text = File.ReadAllText(test);
        int at = text.IndexOf("\n9,0,0,", StringComparison.Ordinal);
        File.WriteAllText(changed, string.Concat(text.AsSpan(0, at), "\n9,1,0,", text.AsSpan(at + 7)));
        Assert.Equal("Fashion-MNIST", Open(test).Name);
        Assert.Equal("fashion-mnist_test.csv", Open(changed).Name);
    }
}

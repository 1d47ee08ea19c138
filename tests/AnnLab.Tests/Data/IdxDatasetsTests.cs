using System.Buffers.Binary;
using System.IO.Compression;
using AnnLab.Data;
using AnnLab.Training;

namespace AnnLab.Tests.Data;

/// <summary>
/// Issue 12's IDX data sets on small synthetic folders, opened through <see cref="DatasetSources.Open"/>:
/// MNIST, KMNIST, the EMNIST splits (stored transposed; letters' labels start at 1), any IDX pair of
/// another shape, the missing-folder messages, headers a known data set cannot have, and a file
/// that is another known data set's.
/// </summary>
public class IdxDatasetsTests
{
    private static readonly int[] BalancedSamples = [0, 9, 10, 35, 36, 37, 38, 46];

    [Theory]
    [InlineData("mnist", "MNIST", "7")]
    [InlineData("kmnist", "KMNIST", "ya")]
    public void Mnist_and_kmnist_open_by_name_with_their_class_names(string name, string display, string class7)
    {
        KnownIdxDataset known = KnownIdxDatasets.All.Single(k => k.Name == name);
        string dir = WriteKnown(known, 12, 5);
        (DatasetKind kind, DatasetSource source) = DatasetSources.Open(new DataRequest { Dataset = name, Path = dir });
        Assert.Equal(name, kind.Name);
        Assert.Equal($"{display}: 17 images of 28x28, 10 classes (12 training, 5 test)", source.Description);
        Assert.Equal(class7, source.ClassNames[7]);
        Dataset all = source.LoadAll();
        Assert.Equal(Pixels(12, 28, 28), all.Images.Pixels.ToArray()[..(12 * 784)]);
        Assert.Equal(Labels(12, 10, 0), all.Images.Labels.ToArray()[..12]);
        Assert.Equal(Labels(5, 10, 0), all.Images.Labels.ToArray()[12..]);
    }

    [Fact]
    public void Raw_files_without_gz_open_as_the_published_ones()
    {
        string dir = WriteKnown(KnownIdxDatasets.Mnist, 6, 4, gzip: false);
        Assert.Equal(["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        DatasetSource source = DatasetSources.Open(new DataRequest { Dataset = "mnist", Path = dir }).Source;
        Assert.Equal(Pixels(6, 28, 28), source.Load(6).Images.Pixels.ToArray());
    }

    [Theory]
    [InlineData("emnist-balanced", "EMNIST Balanced", 47, 0)]
    [InlineData("emnist-letters", "EMNIST Letters", 26, 1)]
    [InlineData("emnist-digits", "EMNIST Digits", 10, 0)]
    public void Emnist_images_are_transposed_upright_and_letters_labels_start_at_0(string name, string display, int classes, int offset)
    {
        KnownIdxDataset known = KnownIdxDatasets.All.Single(k => k.Name == name);
        string dir = WriteKnown(known, 4, 2);
        // Image 0 stored with one bright pixel at row 0, column 5: upright it is at row 5, column 0.
        byte[] stored = new byte[4 * 784];
        stored[5] = 200;
        stored[784 + (27 * 28)] = 100;   // image 1: row 27, column 0 -> row 0, column 27
        WriteGzip(Path.Combine(dir, known.Files.TrainImages), [.. Header(IdxReader.ImagesMagic, 4, 28, 28), .. stored]);

        (DatasetKind kind, DatasetSource source) = DatasetSources.Open(new DataRequest { Path = dir });   // recognised by its file names
        Assert.Equal(name, kind.Name);
        Assert.Equal($"{display}: 6 images of 28x28, {classes} classes (4 training, 2 test)", source.Description);
        Dataset all = source.LoadAll();
        ReadOnlySpan<byte> image0 = all.Images.Image(0), image1 = all.Images.Image(1);
        Assert.Equal(200, image0[5 * 28]);
        Assert.Equal(0, image0[5]);
        Assert.Equal(100, image1[27]);
        Assert.Equal(1, image0.ToArray().Count(b => b != 0));
        Assert.Equal(Labels(4, classes, offset), IdxReader.ReadLabels(Path.Combine(dir, known.Files.TrainLabels), 256).Labels);
        Assert.Equal(Labels(4, classes, 0), all.Images.Labels.ToArray()[..4]);
        Assert.Equal(classes, source.ClassNames.Count);
    }

    [Fact]
    public void Emnist_class_names_follow_the_paper_and_a_letters_label_0_is_refused()
    {
        Assert.Equal(["0", "9", "A", "Z", "a", "b", "d", "t"], BalancedSamples.Select(i => KnownIdxDatasets.EmnistBalanced.ClassNames[i]));
        Assert.Equal("a", KnownIdxDatasets.EmnistLetters.ClassNames[0]);
        Assert.Equal("z", KnownIdxDatasets.EmnistLetters.ClassNames[25]);

        string dir = WriteKnown(KnownIdxDatasets.EmnistLetters, 4, 2);
        string labels = Path.Combine(dir, KnownIdxDatasets.EmnistLetters.Files.TrainLabels);
        foreach ((byte bad, string message) in new[] { ((byte)0, "label 0 at index 2"), ((byte)27, "label 27 at index 2") })
        {
            WriteGzip(labels, [.. Header(IdxReader.LabelsMagic, 4), 1, 26, bad, 3]);
            DatasetSource source = DatasetSources.Open(new DataRequest { Dataset = "emnist-letters", Path = dir }).Source;
            var e = Assert.Throws<InvalidDataException>(() => source.LoadAll());
            Assert.Equal($"{labels}: {message} is outside 1..26 (EMNIST Letters numbers its 26 classes from 1)", e.Message);
        }
    }

    [Fact]
    public void An_idx_pair_of_another_shape_names_its_classes_0_to_k_minus_1_or_from_a_class_names_file()
    {
        string dir = WritePair(12, 20, 9, 3, test: 4);
        var request = new DataRequest { Path = dir, Images = "a.idx", Labels = "b.idx", TestImages = "c.idx", TestLabels = "d.idx" };
        (DatasetKind kind, DatasetSource source) = DatasetSources.Open(request);
        Assert.Equal("idx", kind.Name);
        Assert.Equal("IDX a.idx: 13 images of 12x20, 3 classes (9 training, 4 test)", source.Description);
        Assert.Equal(["0", "1", "2"], source.ClassNames);
        Assert.Equal(dir, source.Location);
        Dataset all = source.LoadAll();
        Assert.Equal(Pixels(9, 12, 20), all.Images.Pixels.ToArray()[..(9 * 240)]);
        Assert.Equal((12, 20), (all.Images.Rows, all.Images.Columns));

        File.WriteAllText(Path.Combine(dir, "names.txt"), "cat\r\ndog\r\neel\r\n\r\n");
        source = DatasetSources.Open(request with { ClassNames = "names.txt", TestImages = null, TestLabels = null }).Source;
        Assert.Equal(["cat", "dog", "eel"], source.ClassNames);
        Assert.Equal((9, 0), (source.TrainCount, source.TestCount));
    }

    [Theory]
    [InlineData("cat\ndog\n", "names.txt: 2 class names, but {dir}/b.idx holds label 2; expected at least 3 names")]
    [InlineData("cat\n\ndog\n", "names.txt: line 2 is empty; expected the name of class 1")]
    [InlineData("cat\ndog\ncat\n", "names.txt: line 3 repeats the class name 'cat' of line 1; expected distinct names")]
    [InlineData("", "names.txt: 0 class names, expected 1..256, one per line")]
    public void A_class_names_file_that_does_not_fit_the_labels_is_refused_naming_the_file_and_line(string text, string message)
    {
        string dir = WritePair(12, 20, 9, 3);
        File.WriteAllText(Path.Combine(dir, "names.txt"), text);
        var e = Assert.Throws<InvalidDataException>(() => DatasetSources.Open(new DataRequest { Path = dir, Images = "a.idx", Labels = "b.idx", ClassNames = "names.txt" }));
        Assert.Equal(Path.Combine(dir, message.Replace("{dir}", dir, StringComparison.Ordinal)), e.Message);
    }

    [Fact]
    public void A_folder_of_mnist_file_names_is_recognised_as_fashion_mnist_and_idx_files_as_the_idx_kind()
    {
        string dir = WriteKnown(KnownIdxDatasets.Mnist, 6, 4);
        Assert.Equal("fashion-mnist", DatasetSources.Resolve(new DataRequest { Path = dir }).Name);
        Assert.Equal("emnist-digits", DatasetSources.Resolve(new DataRequest { Path = WriteKnown(KnownIdxDatasets.EmnistDigits, 2, 2, gzip: false) }).Name);
        Assert.Equal("idx", DatasetSources.Resolve(new DataRequest { Path = dir, Labels = "b.idx" }).Name);
        Assert.Equal(["fashion-mnist", "mnist", "kmnist", "emnist-balanced", "emnist-letters", "emnist-digits", "idx", "csv", "image-folder"], DatasetSources.All.Select(k => k.Name));
    }

    [Fact]
    public void An_idx_pair_needs_both_files_and_a_folder()
    {
        var e = Assert.Throws<OptionOutOfRangeException>(() => DatasetSources.Open(new DataRequest { Images = "a.idx" }));
        Assert.Equal("Labels", e.Option);
        e = Assert.Throws<OptionOutOfRangeException>(() => DatasetSources.Open(new DataRequest { Images = "a.idx", Labels = "b.idx", TestImages = "c.idx" }));
        Assert.Equal("TestLabels", e.Option);
        string missing = Path.Combine(TestPaths.NewTempDirectory(), "none");
        var d = Assert.Throws<DirectoryNotFoundException>(() => DatasetSources.Open(new DataRequest { Path = missing, Images = "a.idx", Labels = "b.idx" }));
        Assert.Equal($"{missing} (`Path`): no such folder; expected the folder the IDX files `Images` and `Labels` are relative to", d.Message);
    }

    [Theory]
    [InlineData("mnist", "MNIST", "train-images-idx3-ubyte.gz", "https://yann.lecun.com/exdb/mnist/")]
    [InlineData("kmnist", "KMNIST", "t10k-labels-idx1-ubyte.gz", "http://codh.rois.ac.jp/kmnist/")]
    [InlineData("emnist-balanced", "EMNIST Balanced", "emnist-balanced-test-images-idx3-ubyte.gz", "https://www.nist.gov/itl/products-and-services/emnist-dataset")]
    [InlineData("emnist-letters", "EMNIST Letters", "emnist-letters-train-labels-idx1-ubyte.gz", "https://www.nist.gov/itl/products-and-services/emnist-dataset")]
    [InlineData("emnist-digits", "EMNIST Digits", "emnist-digits-train-images-idx3-ubyte.gz", "https://www.nist.gov/itl/products-and-services/emnist-dataset")]
    public void A_missing_data_set_names_every_place_looked_in_the_files_and_where_it_is_published(string name, string display, string file, string url)
    {
        string empty = TestPaths.NewTempDirectory();
        var e = Assert.Throws<DirectoryNotFoundException>(() => DatasetSources.Open(new DataRequest { Dataset = name, SearchFrom = [empty] }));
        Assert.StartsWith($"no {display} folder found; looked in: data/{name} in the repository (not found above {empty}); ", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("annlab", name) + " (the user's data folder); ", e.Message, StringComparison.Ordinal);
        Assert.Contains($"/usr/share/datasets/{name} (the system's data sets); put ", e.Message, StringComparison.Ordinal);
        Assert.Contains(file, e.Message, StringComparison.Ordinal);
        Assert.Contains(url, e.Message, StringComparison.Ordinal);
        Assert.EndsWith(", in one of them, or give its folder as `Path` (only Fashion-MNIST ships with AnnLab)", e.Message, StringComparison.Ordinal);

        string given = Path.Combine(empty, "none");
        e = Assert.Throws<DirectoryNotFoundException>(() => DatasetSources.Open(new DataRequest { Dataset = name, Path = given }));
        Assert.StartsWith($"no {display} folder found; looked in: {given} (`Path`); put ", e.Message, StringComparison.Ordinal);

        var f = Assert.Throws<FileNotFoundException>(() => DatasetSources.Open(new DataRequest { Dataset = name, Path = empty }));
        Assert.StartsWith($"the {display} folder {empty} lacks ", f.Message, StringComparison.Ordinal);
        Assert.Contains(file, f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_of_another_shape_or_more_items_than_the_original_is_refused_when_opened()
    {
        string dir = WriteKnown(KnownIdxDatasets.Mnist, 6, 4, rows: 27);
        string images = Path.Combine(dir, FashionMnist.TrainImagesFile);
        var e = Assert.Throws<InvalidDataException>(() => DatasetSources.Open(new DataRequest { Dataset = "mnist", Path = dir }));
        Assert.Equal($"{images}: header says images of 27x28; MNIST's are 28x28", e.Message);

        dir = WriteKnown(KnownIdxDatasets.EmnistDigits, 6, 4);
        string labels = Path.Combine(dir, KnownIdxDatasets.EmnistDigits.Files.TestLabels!);
        images = Path.Combine(dir, KnownIdxDatasets.EmnistDigits.Files.TestImages!);
        WriteGzip(images, Header(IdxReader.ImagesMagic, 40_001, 28, 28));   // the header alone: refused before any body is read
        WriteGzip(labels, Header(IdxReader.LabelsMagic, 40_001));
        e = Assert.Throws<InvalidDataException>(() => DatasetSources.Open(new DataRequest { Dataset = "emnist-digits", Path = dir }));
        Assert.Equal($"{images}: header says 40001 images; EMNIST Digits's file holds 40000, expected at most that many", e.Message);
    }

    [Fact]
    public void The_shipped_fashion_mnist_opened_as_mnist_is_named_as_fashion_mnist_also_when_remembered_intact()
    {
        var verified = new VerifiedFiles(Path.Combine(TestPaths.NewTempDirectory(), "verified.tsv"));
        string labels = Path.Combine(TestPaths.DataDirectory, FashionMnist.TestLabelsFile);
        string message = $"{labels}: this is Fashion-MNIST's t10k-labels file, not MNIST's; give `Dataset` fashion-mnist";
        IdxFolderSource asMnist = KnownIdxDatasets.Mnist.Open(TestPaths.DataDirectory, verified);
        Assert.Equal("MNIST", asMnist.Name);
        var e = Assert.Throws<InvalidDataException>(() => IdxFolderSource.ReadLabels("MNIST", labels, KnownIdxDatasets.Mnist.Known.Spec(FashionMnist.TestLabelsFile), verified, 10, 5));
        Assert.Equal(message, e.Message);
        Assert.False(verified.Contains(labels, null));

        // Read as Fashion-MNIST, the file is remembered intact; as MNIST it is judged again from the remembered checksums.
        Assert.Equal(5, IdxFolderSource.ReadLabels("Fashion-MNIST", labels, FashionMnist.Known.Spec(FashionMnist.TestLabelsFile), verified, 10, 5).Count);
        Assert.True(verified.Contains(labels, FashionMnist.Known.Files[FashionMnist.TestLabelsFile].Sha256));
        e = Assert.Throws<InvalidDataException>(() => IdxFolderSource.ReadLabels("MNIST", labels, KnownIdxDatasets.Mnist.Known.Spec(FashionMnist.TestLabelsFile), verified, 10, 5));
        Assert.Equal(message, e.Message);

        // Through the registry: the training images, the first file a load reads.
        string trainImages = Path.Combine(TestPaths.DataDirectory, FashionMnist.TrainImagesFile);
        DatasetSource source = DatasetSources.Open(new DataRequest { Dataset = "mnist", Path = TestPaths.DataDirectory }).Source;
        e = Assert.Throws<InvalidDataException>(() => source.Load(10));
        Assert.Equal($"{trainImages}: this is Fashion-MNIST's train-images file, not MNIST's; give `Dataset` fashion-mnist", e.Message);
    }

    [Fact]
    public void A_synthetic_file_with_another_data_sets_content_is_named_and_a_full_count_file_matching_neither_checksum_is_refused()
    {
        // Fashion-MNIST's test labels, decompressed, in a KMNIST folder: KMNIST knows only MD5s, but the content's SHA-256 is Fashion-MNIST's.
        string dir = WriteKnown(KnownIdxDatasets.Kmnist, 6, 4);
        string labels = Path.Combine(dir, FashionMnist.TestLabelsFile);
        File.Delete(labels);
        byte[] content = IdxReader.ReadLabels(Path.Combine(TestPaths.DataDirectory, FashionMnist.TestLabelsFile)).Labels;
        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte"), [.. Header(IdxReader.LabelsMagic, 10_000), .. content]);
        WriteGzip(Path.Combine(dir, FashionMnist.TestImagesFile), [.. Header(IdxReader.ImagesMagic, 10_000, 28, 28), .. new byte[10_000 * 784]]);
        DatasetSource source = DatasetSources.Open(new DataRequest { Dataset = "kmnist", Path = dir }).Source;
        Assert.Equal(10_000, source.TestCount);
        var e = Assert.Throws<InvalidDataException>(() => source.LoadAll());
        string images = Path.Combine(dir, FashionMnist.TestImagesFile);
        Assert.StartsWith($"{images}: the MD5 of its gzip bytes is ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith(", expected 5c965bf0a639b31b8f53240b1b52f4d7, that of KMNIST's published file: the file is corrupt or was changed (or recompressed; its content's SHA-256 is not known)", e.Message, StringComparison.Ordinal);

        var spec = KnownIdxDatasets.Kmnist.Known.Spec("t10k-labels-idx1-ubyte")!;
        e = Assert.Throws<InvalidDataException>(() => IdxFolderSource.ReadLabels("KMNIST", Path.Combine(dir, "t10k-labels-idx1-ubyte"), spec, null, 10, 10_000));
        Assert.Equal($"{Path.Combine(dir, "t10k-labels-idx1-ubyte")}: this is Fashion-MNIST's t10k-labels file, not KMNIST's; give `Dataset` fashion-mnist", e.Message);
    }

    [Fact]
    public void The_judgement_takes_either_checksum_names_mnist_and_lets_subsets_and_unchecksummed_files_pass()
    {
        KnownIdxFile fashionTest = FashionMnist.Known.Files[FashionMnist.TestImagesFile];
        const string mnistTestImages = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7";
        string zero = new('0', 64);
        var e = Assert.Throws<InvalidDataException>(() => IdxFolderSource.Judge("Fashion-MNIST", "f", fashionTest, 10_000, mnistTestImages, null));
        Assert.Equal("f: this is MNIST's t10k-images file, not Fashion-MNIST's; give `Dataset` mnist", e.Message);
        e = Assert.Throws<InvalidDataException>(() => IdxFolderSource.Judge("KMNIST", "f", KnownIdxDatasets.Kmnist.Known.Files[FashionMnist.TrainImagesFile], 60_000, zero, "f68b3c2dcbeaaa9fbdd348bbdeb94873"));
        Assert.Equal("f: this is MNIST's train-images file, not KMNIST's; give `Dataset` mnist", e.Message);

        IdxFolderSource.Judge("MNIST", "f", KnownIdxDatasets.Mnist.Known.Files[FashionMnist.TrainImagesFile], 60_000, zero, "f68b3c2dcbeaaa9fbdd348bbdeb94873");   // its published .gz
        IdxFolderSource.Judge("Fashion-MNIST", "f", fashionTest, 10_000, fashionTest.Sha256!, "another gzip");   // the content's SHA-256
        IdxFolderSource.Judge("Fashion-MNIST", "f", fashionTest, 9_999, zero, null);   // a subset
        IdxFolderSource.Judge("MNIST", "f", KnownIdxDatasets.Mnist.Known.Files[FashionMnist.TrainImagesFile], 60_000, zero, null);   // raw, and its content's SHA-256 is not known
        IdxFolderSource.Judge("EMNIST Digits", "f", KnownIdxDatasets.EmnistDigits.Known.Files[KnownIdxDatasets.EmnistDigits.Files.TrainImages], 240_000, zero, new string('1', 32));   // nothing to compare
        e = Assert.Throws<InvalidDataException>(() => IdxFolderSource.Judge("Fashion-MNIST", "f", fashionTest, 10_000, zero, null));
        Assert.Equal($"f: the SHA-256 of its decompressed content is {zero}, expected {fashionTest.Sha256}, that of Fashion-MNIST's original file: the file is corrupt or was changed", e.Message);
    }

    [Fact]
    public void Labels_read_with_256_classes_take_every_byte()
    {
        string path = Path.Combine(TestPaths.NewTempDirectory(), "labels.idx");
        File.WriteAllBytes(path, [.. Header(IdxReader.LabelsMagic, 3), 0, 128, 255]);
        Assert.Equal([0, 128, 255], IdxReader.ReadLabels(path, 256).Labels);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path, 255));
        Assert.Equal($"{path}: label 255 at index 2 is outside 0..254", e.Message);
    }

    [Fact]
    public void Transpose_turns_each_image_of_rows_by_columns_into_columns_by_rows()
    {
        // Two 2x3 images: [[1 2 3] [4 5 6]] -> [[1 4] [2 5] [3 6]].
        byte[] pixels = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        Assert.Equal([1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12], IdxFolderSource.Transpose(pixels, 2, 2, 3));
    }

    /// <summary>Pixel p of image i: (7i + 3p) mod 256.</summary>
    internal static byte[] Pixels(int count, int rows, int columns)
        => [.. Enumerable.Range(0, count * rows * columns).Select(k => (byte)((7 * (k / (rows * columns))) + (3 * (k % (rows * columns)))))];

    /// <summary>Label of image i: offset + (i mod classes).</summary>
    internal static byte[] Labels(int count, int classes, int offset) => [.. Enumerable.Range(0, count).Select(i => (byte)(offset + (i % classes)))];

    /// <summary>A known data set's four files (gzip, or raw without .gz) with <see cref="Pixels"/> and <see cref="Labels"/>, in a new folder.</summary>
    internal static string WriteKnown(KnownIdxDataset known, int train, int test, int rows = 28, bool gzip = true)
    {
        string dir = TestPaths.NewTempDirectory();
        int classes = known.ClassNames.Count;
        foreach ((string images, string labels, int count) in new[] { (known.Files.TrainImages, known.Files.TrainLabels, train), (known.Files.TestImages!, known.Files.TestLabels!, test) })
        {
            byte[] imageBytes = [.. Header(IdxReader.ImagesMagic, count, rows, 28), .. Pixels(count, rows, 28)];
            byte[] labelBytes = [.. Header(IdxReader.LabelsMagic, count), .. Labels(count, classes, known.LabelOffset)];
            if (gzip)
            {
                WriteGzip(Path.Combine(dir, images), imageBytes);
                WriteGzip(Path.Combine(dir, labels), labelBytes);
            }
            else
            {
                File.WriteAllBytes(Path.Combine(dir, images[..^3]), imageBytes);
                File.WriteAllBytes(Path.Combine(dir, labels[..^3]), labelBytes);
            }
        }

        return dir;
    }

    /// <summary>a.idx/b.idx (train) and, when <paramref name="test"/> &gt; 0, c.idx/d.idx: raw IDX images of rows x columns with labels 0..classes-1, in a new folder.</summary>
    internal static string WritePair(int rows, int columns, int train, int classes, int test = 0)
    {
        string dir = TestPaths.NewTempDirectory();
        File.WriteAllBytes(Path.Combine(dir, "a.idx"), [.. Header(IdxReader.ImagesMagic, train, rows, columns), .. Pixels(train, rows, columns)]);
        File.WriteAllBytes(Path.Combine(dir, "b.idx"), [.. Header(IdxReader.LabelsMagic, train), .. Labels(train, classes, 0)]);
        if (test > 0)
        {
            File.WriteAllBytes(Path.Combine(dir, "c.idx"), [.. Header(IdxReader.ImagesMagic, test, rows, columns), .. Pixels(test, rows, columns)]);
            File.WriteAllBytes(Path.Combine(dir, "d.idx"), [.. Header(IdxReader.LabelsMagic, test), .. Labels(test, classes, 0)]);
        }

        return dir;
    }

    private static byte[] Header(int magic, params int[] sizes)
    {
        var bytes = new byte[4 + (4 * sizes.Length)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < sizes.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), sizes[i]);
        }

        return bytes;
    }

    private static void WriteGzip(string path, byte[] content)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(content);
    }
}

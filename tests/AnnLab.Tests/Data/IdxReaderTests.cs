using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using AnnLab.Data;

namespace AnnLab.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private const int Pixels28x28 = 28 * 28;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("annlab-idx-");

    public void Dispose() => _dir.Delete(recursive: true);

    // ---- reading what is there ----

    [Fact]
    public void Raw_pair_reads_back_exactly()
    {
        string imagesPath = Write("images.idx", TwoImages());
        string labelsPath = Write("labels.idx", TwoLabels());

        var (images, labels) = IdxReader.ReadPair(imagesPath, labelsPath);

        AssertTwoImages(images, imagesPath);
        AssertTwoLabels(labels, labelsPath);
    }

    [Fact]
    public void Gzip_with_a_file_name_header_reads_the_same_whatever_the_file_is_called()
    {
        byte[] imagesGz = WithFileName(Gzip(TwoImages()), "train-images-idx3-ubyte");
        byte[] labelsGz = WithFileName(Gzip(TwoLabels()), "train-labels-idx1-ubyte");
        Assert.Equal(0x08, imagesGz[3]); // FLG = FNAME
        string imagesPath = Write("something.idx", imagesGz);
        string labelsPath = Write("labels", labelsGz);

        var (images, labels) = IdxReader.ReadPair(imagesPath, labelsPath);

        AssertTwoImages(images, imagesPath);
        AssertTwoLabels(labels, labelsPath);
    }

    [Fact]
    public void Gzip_without_a_file_name_header_reads_the_same_whatever_the_file_is_called()
    {
        byte[] imagesGz = Gzip(TwoImages());
        Assert.Equal(0x00, imagesGz[3]); // FLG: no optional fields
        string imagesPath = Write("something.idx", imagesGz);
        string labelsPath = Write("labels.bin", Gzip(TwoLabels()));

        var (images, labels) = IdxReader.ReadPair(imagesPath, labelsPath);

        AssertTwoImages(images, imagesPath);
        AssertTwoLabels(labels, labelsPath);
    }

    [Fact]
    public void Raw_file_named_gz_reads_as_raw()
    {
        string imagesPath = Write("x.gz", TwoImages());
        string labelsPath = Write("y.gz", TwoLabels());

        var (images, labels) = IdxReader.ReadPair(imagesPath, labelsPath);

        AssertTwoImages(images, imagesPath);
        AssertTwoLabels(labels, labelsPath);
    }

    [Fact]
    public void Concatenated_gzip_members_read_as_one()
    {
        // As `cat a.gz b.gz` makes: the last member's trailer covers only its own 784 bytes.
        byte[] content = TwoImages();
        string path = Write("two-members", [.. Gzip(content[..800]), .. Gzip(content[800..])]);

        AssertTwoImages(IdxReader.ReadImages(path), path);
    }

    [Fact]
    public void Concatenated_gzip_cut_in_its_last_trailer_is_an_error()
    {
        byte[] content = TwoImages();
        byte[] gz = [.. Gzip(content[..800]), .. Gzip(content[800..])];
        string path = Write("two-members", gz[..^3]);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.StartsWith($"{path}: the gzip data is truncated", e.Message);
    }

    [Fact]
    public void Non_seekable_streams_read_the_same()
    {
        // A decompressing stream cannot seek and has no length: the reader must grow its buffer as data comes.
        using var images = new GZipStream(new MemoryStream(Gzip(TwoImages())), CompressionMode.Decompress);
        using var labels = new GZipStream(new MemoryStream(Gzip(TwoLabels())), CompressionMode.Decompress);
        Assert.False(images.CanSeek);

        var pair = IdxReader.ReadPair(images, "images", labels, "labels");

        AssertTwoImages(pair.Images, "images");
        AssertTwoLabels(pair.Labels, "labels");
    }

    [Fact]
    public void Header_values_are_read_big_endian_and_pixels_stay_row_major()
    {
        // Three different sizes, so a swapped or misplaced one cannot go unnoticed:
        // 3 images of 5 rows x 7 columns = 105 pixels, pixel k holds k.
        byte[] body = Enumerable.Range(0, 3 * 5 * 7).Select(k => (byte)k).ToArray();

        var images = IdxReader.ReadImages(new MemoryStream(Idx(IdxReader.ImagesMagic, [3, 5, 7], body)), "small");

        Assert.Equal(3, images.Count);
        Assert.Equal(5, images.Rows);
        Assert.Equal(7, images.Columns);
        Assert.Equal(body, images.Pixels);
        // Image 2, row 4, column 6 is the last pixel: (2 * 5 + 4) * 7 + 6 = 104.
        Assert.Equal(104, images.Pixels[(2 * images.Rows + 4) * images.Columns + 6]);
    }

    [Fact]
    public void Real_fashion_mnist_files_have_the_published_shapes_and_first_labels()
    {
        string data = Path.Combine(RepositoryRoot(), "data", "fashion-mnist");

        var (train, trainLabels) = IdxReader.ReadPair(
            Path.Combine(data, FashionMnist.TrainImagesFile), Path.Combine(data, FashionMnist.TrainLabelsFile));
        var (test, testLabels) = IdxReader.ReadPair(
            Path.Combine(data, FashionMnist.TestImagesFile), Path.Combine(data, FashionMnist.TestLabelsFile));

        Assert.Equal((60000, 28, 28), (train.Count, train.Rows, train.Columns));
        Assert.Equal(60000, trainLabels.Count);
        Assert.Equal((10000, 28, 28), (test.Count, test.Rows, test.Columns));
        Assert.Equal(10000, testLabels.Count);
        Assert.Equal(60000 * Pixels28x28, train.Pixels.Length);
        Assert.Equal(10000 * Pixels28x28, test.Pixels.Length);
        Assert.Equal(9, trainLabels.Labels[0]);
        Assert.Equal("Ankle boot", FashionMnist.ClassNames[trainLabels.Labels[0]]);
        Assert.Equal(9, testLabels.Labels[0]);
    }

    // ---- failures, one per check ----

    [Fact]
    public void Empty_file_says_the_header_needs_16_bytes_and_got_0()
    {
        string path = Write("empty.idx", []);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Equal($"{path}: the IDX header needs 16 bytes, got 0", e.Message);
    }

    [Fact]
    public void Ten_byte_file_says_the_header_needs_16_bytes_and_got_10()
    {
        byte[] content = TwoImages()[..10];
        string path = Write("short.idx", content);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Equal($"{path}: the IDX header needs 16 bytes, got 10", e.Message);
        AssertNoByteSwappedHeaderValue(e.Message, content);
    }

    [Fact]
    public void Short_labels_header_says_it_needs_8_bytes()
    {
        byte[] content = TwoLabels()[..5];

        var e = RejectLabels(content);

        Assert.Equal("labels.idx: the IDX header needs 8 bytes, got 5", e.Message);
    }

    [Fact]
    public void Header_claiming_3_images_over_a_body_of_2_says_expected_and_got()
    {
        byte[] content = Idx(IdxReader.ImagesMagic, [3, 28, 28], Filled(2 * Pixels28x28, 16));

        var e = RejectImages(content);

        Assert.Equal("images.idx: header says 3 images of 28x28, expected 2352 pixel bytes, got 1568", e.Message);
    }

    [Theory]
    [InlineData(46341, 46341, "2147488281")]
    [InlineData(65536, 65536, "4294967296")]
    [InlineData(4096, 4097, "16781312")]
    public void Images_of_more_than_4096x4096_pixels_are_refused_when_the_header_is_read_even_when_rows_x_columns_overflows_int(int rows, int columns, string pixels)
    {
        byte[] content = Idx(IdxReader.ImagesMagic, [60, rows, columns], Filled(10, 0));
        string path = Write("images.idx", content);
        string expected = $"header says images of {rows}x{columns} = {pixels} pixels, expected at most 4096x4096 = 16777216 pixels (the largest image AnnLab takes)";

        Assert.Equal("images.idx: " + expected, RejectImages(content).Message);
        Assert.Equal("images.idx: " + expected, RejectImages(content, gzip: true).Message);
        Assert.Equal($"{path}: {expected}", Assert.Throws<InvalidDataException>(() => IdxReader.ReadImagesHeader(path)).Message);
    }

    [Fact]
    public void Images_of_4096x4096_pass_the_header_check_and_a_raw_body_of_the_wrong_length_is_named_from_the_header_alone()
    {
        // 4096x4096 is allowed; the 10-byte body is then the error, found without reading the body.
        string path = Write("images.idx", Idx(IdxReader.ImagesMagic, [60, 4096, 4096], Filled(10, 0)));
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImagesHeader(path));
        Assert.Equal($"{path}: header says 60 images of 4096x4096, expected 1006632960 pixel bytes, got 10", e.Message);
        string labels = Write("labels.idx", Idx(IdxReader.LabelsMagic, [3], [0, 1]));
        e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabelsHeader(labels));
        Assert.Equal($"{labels}: header says 3 labels, expected 3 label bytes, got 2", e.Message);
        Assert.Equal((2, 28, 28), IdxReader.ReadImagesHeader(Write("good.idx", TwoImages())));
    }

    [Fact]
    public void Header_claiming_3_images_over_a_gzip_body_of_2_says_expected_and_got()
    {
        byte[] content = Idx(IdxReader.ImagesMagic, [3, 28, 28], Filled(2 * Pixels28x28, 16));

        var e = RejectImages(content, gzip: true);

        Assert.Equal("images.idx: header says 3 images of 28x28, expected 2352 pixel bytes, got 1568", e.Message);
    }

    [Fact]
    public void Body_longer_than_the_header_says_is_an_error()
    {
        byte[] content = [.. TwoImages(), 0];

        var e = RejectImages(content);

        Assert.Equal("images.idx: header says 2 images of 28x28, expected 1568 pixel bytes, got 1569", e.Message);
    }

    [Fact]
    public void Gzip_body_longer_than_the_header_says_is_an_error()
    {
        byte[] content = [.. TwoImages(), 0, 0];

        var e = RejectImages(content, gzip: true);

        Assert.Equal("images.idx: header says 2 images of 28x28, expected 1568 pixel bytes, got 1570", e.Message);
    }

    [Fact]
    public void Labels_body_shorter_than_the_header_says_is_an_error()
    {
        byte[] content = Idx(IdxReader.LabelsMagic, [3], [3, 7]);

        var e = RejectLabels(content);

        Assert.Equal("labels.idx: header says 3 labels, expected 3 label bytes, got 2", e.Message);
    }

    [Fact]
    public void Gzip_cut_in_the_compressed_data_is_an_error_naming_the_file()
    {
        byte[] gz = Gzip(TwoImages());
        string path = Write("cut.idx", gz[..(gz.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.StartsWith($"{path}: the gzip data is truncated", e.Message);
        AssertNoByteSwappedHeaderValue(e.Message, TwoImages());
    }

    [Fact]
    public void Gzip_cut_in_its_trailer_is_an_error_naming_the_file()
    {
        // GZipStream returns all the data and no error when only the CRC-32/ISIZE trailer is cut.
        byte[] gz = Gzip(TwoImages());
        string path = Write("cut.idx", gz[..^1]);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.StartsWith($"{path}: the gzip data is truncated", e.Message);
        Assert.Contains("decompressed to 1584 bytes, but its last 8 bytes are not the gzip trailer", e.Message);
        AssertNoByteSwappedHeaderValue(e.Message, TwoImages());
    }

    [Fact]
    public void Gzip_cut_right_after_its_own_header_is_an_error_naming_the_file()
    {
        string path = Write("cut.idx", Gzip(TwoImages())[..10]);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.StartsWith($"{path}: the gzip data is truncated", e.Message);
    }

    [Fact]
    public void Corrupt_gzip_is_an_error_naming_the_file()
    {
        byte[] gz = Gzip(TwoImages());
        gz[gz.Length / 2] ^= 0x55;
        string path = Write("corrupt.idx", gz);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.StartsWith($"{path}: the gzip data is", e.Message);
    }

    [Fact]
    public void Labels_file_read_as_images_says_expected_magic_2051_got_2049()
    {
        var e = RejectImages(Idx(IdxReader.LabelsMagic, [2], Filled(20, 0)));

        Assert.Equal(
            "images.idx: expected magic 2051 (unsigned-byte images, 3 dimensions), got 2049 (0x00000801)",
            e.Message);
    }

    [Fact]
    public void Images_file_read_as_labels_says_expected_magic_2049_got_2051()
    {
        var e = RejectLabels(TwoImages());

        Assert.Equal(
            "labels.idx: expected magic 2049 (unsigned-byte labels, 1 dimension), got 2051 (0x00000803)",
            e.Message);
    }

    [Fact]
    public void Little_endian_header_is_named_as_such()
    {
        // What BinaryWriter would write: 2051 = 0x00000803 as 03 08 00 00, read big-endian as 0x03080000.
        byte[] content = TwoImages();
        content.AsSpan(0, 4).Reverse();

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(content), "le.idx"));

        Assert.Equal(
            "le.idx: expected magic 2051 (unsigned-byte images, 3 dimensions), got 50855936 (0x03080000), " +
            "which is 2051 with its bytes reversed: IDX headers are big-endian",
            e.Message);
    }

    [Fact]
    public void Negative_size_in_the_header_is_an_error()
    {
        var e = RejectImages(Idx(IdxReader.ImagesMagic, [2, -1, 28], []));

        Assert.Equal("images.idx: header size 2 (rows) is -1, expected 0 or more", e.Message);
    }

    [Fact]
    public void Label_10_is_outside_0_to_9()
    {
        var e = RejectLabels(Idx(IdxReader.LabelsMagic, [3], [3, 10, 7]));

        Assert.Equal("labels.idx: label 10 at index 1 is outside 0..9", e.Message);
    }

    [Fact]
    public void Class_count_outside_1_to_256_is_an_argument_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IdxReader.ReadLabels(new MemoryStream(TwoLabels()), "l", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => IdxReader.ReadLabels(new MemoryStream(TwoLabels()), "l", 257));
    }

    [Fact]
    public void Image_and_label_counts_must_agree()
    {
        string imagesPath = Write("images.idx", TwoImages());
        byte[] labels = Idx(IdxReader.LabelsMagic, [3], [3, 7, 1]);
        string labelsPath = Write("labels.idx", labels);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadPair(imagesPath, labelsPath));

        Assert.Equal($"{imagesPath}: 2 images but {labelsPath} has 3 labels", e.Message);
        AssertNoByteSwappedHeaderValue(e.Message, TwoImages());
        AssertNoByteSwappedHeaderValue(e.Message, labels, headerBytes: 8);
    }

    [Fact]
    public void Header_claiming_2_billion_images_over_a_tiny_file_fails_fast()
    {
        // 2,000,000,000 x 28 x 28 = 1,568,000,000,000 bytes: overflows int (and would overflow
        // a 32-bit product), is far beyond one array, and far beyond the file.
        byte[] content = Idx(IdxReader.ImagesMagic, [2_000_000_000, 28, 28], Filled(2 * Pixels28x28, 16));
        string path = Write("huge.idx", content);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Equal(
            $"{path}: header says 2000000000 images of 28x28, expected 1568000000000 pixel bytes, got 1568",
            e.Message);
        AssertNoByteSwappedHeaderValue(e.Message, content);
    }

    [Fact]
    public void Header_claiming_2_billion_images_in_gzip_fails_before_reading_the_body()
    {
        byte[] content = Idx(IdxReader.ImagesMagic, [2_000_000_000, 28, 28], Filled(2 * Pixels28x28, 16));

        var e = RejectImages(content, gzip: true);

        Assert.Equal(
            "images.idx: header says 2000000000 images of 28x28, that is 1568000000000 pixel bytes, " +
            $"more than the {Array.MaxLength} one array can hold",
            e.Message);
    }

    [Fact]
    public void Header_claiming_more_than_a_gzip_body_holds_does_not_allocate_the_claim()
    {
        // 2,000,000 images of 28x28 = 1,568,000,000 bytes fits one array, but only 2 images are there.
        byte[] content = Idx(IdxReader.ImagesMagic, [2_000_000, 28, 28], Filled(2 * Pixels28x28, 16));
        byte[] gz = Gzip(content);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(gz), "images.idx"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("images.idx: header says 2000000 images of 28x28, expected 1568000000 pixel bytes, got 1568", e.Message);
        Assert.InRange(allocated, 0, 16 << 20);
    }

    [Fact]
    public void No_error_message_contains_a_byte_swapped_header_value()
    {
        // Reading the header little-endian would turn 2051 into 50855936, 2 into 33554432,
        // 28 into 469762048: none of those may ever show up in what a message reports.
        byte[][] badImages =
        [
            TwoImages()[..10],
            Idx(IdxReader.ImagesMagic, [3, 28, 28], Filled(2 * Pixels28x28, 16)),
            [.. TwoImages(), 0],
            Idx(IdxReader.LabelsMagic, [2], Filled(20, 0)),
            Idx(IdxReader.ImagesMagic, [2, -1, 28], []),
            Idx(IdxReader.ImagesMagic, [2_000_000_000, 28, 28], Filled(2 * Pixels28x28, 16)),
            Idx(IdxReader.ImagesMagic, [2_000_000, 28, 28], Filled(2 * Pixels28x28, 16)),
        ];
        byte[][] badLabels =
        [
            TwoLabels()[..5],
            Idx(IdxReader.LabelsMagic, [3], [3, 7]),
            Idx(IdxReader.LabelsMagic, [3], [3, 10, 7]),
            TwoImages(),
        ];

        int checkedMessages = 0;
        foreach (bool gzip in new[] { false, true })
        {
            foreach (byte[] content in badImages)
            {
                RejectImages(content, gzip);
                checkedMessages++;
            }

            foreach (byte[] content in badLabels)
            {
                RejectLabels(content, gzip);
                checkedMessages++;
            }
        }

        Assert.Equal(2 * (badImages.Length + badLabels.Length), checkedMessages);
    }

    // ---- reading only the first items ----

    [Fact]
    public void First_images_and_labels_of_a_gzip_pair_are_the_front_of_the_whole()
    {
        string imagesPath = Write("images.gz", Gzip(TwoImages()));
        string labelsPath = Write("labels.gz", Gzip(TwoLabels()));

        var (images, labels) = IdxReader.ReadPair(imagesPath, labelsPath, 10, maxCount: 1);

        Assert.Equal(1, images.Count);
        Assert.Equal(Filled(Pixels28x28, 16), images.Pixels);
        Assert.Equal([3], labels.Labels);
        Assert.Equal(0, IdxReader.ReadImages(imagesPath, 0).Count);
        AssertTwoImages(IdxReader.ReadImages(imagesPath, 5), imagesPath);
    }

    [Fact]
    public void First_images_of_a_cut_gzip_file_are_refused_by_its_trailer_or_by_the_cut()
    {
        // Ten images of distinct noise, so deflate cannot squeeze the back into a few bytes.
        var random = new Random(5);
        var body = new byte[10 * Pixels28x28];
        random.NextBytes(body);
        byte[] gz = Gzip(Idx(IdxReader.ImagesMagic, [10, 28, 28], body));
        byte[] cut = gz[..(gz.Length / 2)];

        // The first 2 images decompress fine, but the last bytes are no trailer of 10 images.
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(cut), "cut.gz", 2));
        Assert.Equal(
            $"cut.gz: the gzip data is truncated or corrupt: header says 10 images of 28x28, expected 7840 pixel bytes (7856 bytes with the header), " +
            $"but the gzip trailer says the file decompresses to {BitConverter.ToUInt32(cut, cut.Length - 4)}, as when a file is cut short",
            e.Message);

        // A cut inside the images wanted is found by reading.
        e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(cut), "cut.gz", 9));
        Assert.StartsWith("cut.gz: ", e.Message);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);

        // The whole file, read in part, passes its trailer check.
        Assert.Equal(body[..(2 * Pixels28x28)], IdxReader.ReadImages(new MemoryStream(gz), "whole.gz", 2).Pixels);
    }

    [Fact]
    public void First_images_of_a_raw_file_of_the_wrong_length_are_still_refused()
    {
        string path = Write("short.idx", TwoImages()[..^1]);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path, 1));

        Assert.Equal($"{path}: header says 2 images of 28x28, expected 1568 pixel bytes, got 1567", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => IdxReader.ReadImages(path, -1));
    }

    // ---- helpers ----

    /// <summary>Reads <paramref name="content"/> as images and returns the error, checked for swapped header values.</summary>
    private static InvalidDataException RejectImages(byte[] content, bool gzip = false)
    {
        var stream = new MemoryStream(gzip ? Gzip(content) : content);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(stream, "images.idx"));
        Assert.StartsWith("images.idx: ", e.Message);
        AssertNoByteSwappedHeaderValue(e.Message, content);
        return e;
    }

    /// <summary>Reads <paramref name="content"/> as labels and returns the error, checked for swapped header values.</summary>
    private static InvalidDataException RejectLabels(byte[] content, bool gzip = false)
    {
        var stream = new MemoryStream(gzip ? Gzip(content) : content);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(stream, "labels.idx"));
        Assert.StartsWith("labels.idx: ", e.Message);
        AssertNoByteSwappedHeaderValue(e.Message, content, headerBytes: 8);
        return e;
    }

    /// <summary>
    /// Asserts that no 32-bit header word of <paramref name="content"/>, byte-reversed, appears in
    /// <paramref name="message"/> (as signed or unsigned decimal).
    /// </summary>
    private static void AssertNoByteSwappedHeaderValue(string message, byte[] content, int headerBytes = 16)
    {
        for (int at = 0; at + 4 <= Math.Min(content.Length, headerBytes); at += 4)
        {
            int value = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(at));
            int swapped = BinaryPrimitives.ReverseEndianness(value);
            if (swapped == value)
            {
                continue;
            }

            Assert.DoesNotContain(swapped.ToString(), message, StringComparison.Ordinal);
            Assert.DoesNotContain(((uint)swapped).ToString(), message, StringComparison.Ordinal);
        }
    }

    private static void AssertTwoImages(IdxImages images, string path)
    {
        Assert.Equal(path, images.Path);
        Assert.Equal(2, images.Count);
        Assert.Equal(28, images.Rows);
        Assert.Equal(28, images.Columns);
        Assert.Equal([.. Filled(Pixels28x28, 16), .. Filled(Pixels28x28, 32)], images.Pixels);
    }

    private static void AssertTwoLabels(IdxLabels labels, string path)
    {
        Assert.Equal(path, labels.Path);
        Assert.Equal(2, labels.Count);
        Assert.Equal([3, 7], labels.Labels);
    }

    /// <summary>2 images of 28x28: image 0 all 16, image 1 all 32.</summary>
    private static byte[] TwoImages() =>
        Idx(IdxReader.ImagesMagic, [2, 28, 28], [.. Filled(Pixels28x28, 16), .. Filled(Pixels28x28, 32)]);

    /// <summary>Labels 3 and 7.</summary>
    private static byte[] TwoLabels() => Idx(IdxReader.LabelsMagic, [2], [3, 7]);

    /// <summary>An IDX file: big-endian magic, big-endian sizes, then the body as given.</summary>
    private static byte[] Idx(int magic, int[] sizes, byte[] body)
    {
        var content = new byte[4 * (1 + sizes.Length) + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(content, magic);
        for (int i = 0; i < sizes.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(content.AsSpan(4 * (1 + i)), sizes[i]);
        }

        body.CopyTo(content, 4 * (1 + sizes.Length));
        return content;
    }

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    /// <summary>Plain GZipStream output: header 1F 8B 08 00 mtime(4) xfl os, deflate data, CRC-32, ISIZE.</summary>
    private static byte[] Gzip(byte[] content)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }

    /// <summary>
    /// The same gzip member with an FNAME field, as gzip(1) writes it: FLG (byte 3) = 0x08 and a
    /// zero-terminated Latin-1 name after the 10-byte fixed header (RFC 1952 section 2.3.1).
    /// The CRC-32 covers the uncompressed data only, so nothing else changes.
    /// </summary>
    private static byte[] WithFileName(byte[] gzip, string name)
    {
        Assert.Equal(0x00, gzip[3]);
        byte[] header = gzip[..10];
        header[3] = 0x08;
        return [.. header, .. Encoding.Latin1.GetBytes(name), 0, .. gzip[10..]];
    }

    private string Write(string fileName, byte[] content)
    {
        string path = Path.Combine(_dir.FullName, fileName);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AnnLab.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No AnnLab.slnx above {AppContext.BaseDirectory}");
    }
}

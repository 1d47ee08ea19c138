using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using AnnLab.Data;
using Xunit.Abstractions;

namespace AnnLab.Tests.Data;

/// <summary>
/// Issue 10's data reproducers: files of another shape or claiming more than the data set holds,
/// corrupted files read only in part, FIFOs and folders as files, corrupt deflate data, and a
/// seeded fuzz of the real files.
/// </summary>
public class BadDataTests(ITestOutputHelper output)
{
    private static readonly string[] Names = [FashionMnist.TrainImagesFile, FashionMnist.TrainLabelsFile, FashionMnist.TestImagesFile, FashionMnist.TestLabelsFile];

    [Theory]
    [InlineData(784, 1)]
    [InlineData(14, 56)]
    public void Images_of_another_shape_than_fashion_mnist_are_refused_naming_the_file(int rows, int columns)
    {
        string dir = WriteSubset(100, 50, rows, columns);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Open(dir, new VerifiedFiles(null)));
        Assert.Equal($"{Path.Combine(dir, FashionMnist.TrainImagesFile)}: header says images of {rows}x{columns}; Fashion-MNIST's are 28x28", e.Message);
    }

    [Fact]
    public void A_header_claiming_more_images_than_the_data_set_holds_is_refused_before_any_body_is_read()
    {
        // The gzip bomb's header: 2.7 million images, in a file of a few bytes.
        string dir = WriteSubset(100, 50, 28, 28);
        string images = Path.Combine(dir, FashionMnist.TrainImagesFile);
        WriteGzip(images, Header(IdxReader.ImagesMagic, 2_700_000, 28, 28));
        WriteGzip(Path.Combine(dir, FashionMnist.TrainLabelsFile), Header(IdxReader.LabelsMagic, 2_700_000));
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Open(dir, new VerifiedFiles(null)));
        Assert.Equal($"{images}: header says 2700000 images; Fashion-MNIST's file holds 60000, expected at most that many", e.Message);
    }

    [Fact]
    public void A_header_that_lies_allocates_no_more_than_the_data_holds()
    {
        // 60,000 images claimed (47 MB), 100 there: the reader grows its buffer with the data.
        string path = Path.Combine(TestPaths.NewTempDirectory(), "lies.gz");
        WriteGzip(path, [.. Header(IdxReader.ImagesMagic, 60_000, 28, 28), .. new byte[100 * 784]]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith($"{path}: ", e.Message);
        Assert.Contains("60000 images of 28x28", e.Message);
        Assert.True(allocated < 4_000_000, $"allocated {allocated} bytes for 78,416 bytes of data");
    }

    [Fact]
    public void A_flipped_bit_deep_in_the_training_images_is_found_though_only_the_first_images_are_used()
    {
        string dir = CopyShipped();
        string images = Path.Combine(dir, FashionMnist.TrainImagesFile);
        byte[] bytes = File.ReadAllBytes(images);
        bytes[50_000] ^= 0x10;
        File.WriteAllBytes(images, bytes);
        var verified = new VerifiedFiles(Path.Combine(dir, "cache.tsv"));
        IdxFolderSource source = FashionMnist.Open(dir, verified);
        var e = Assert.Throws<InvalidDataException>(() => source.Load(5000));
        Assert.Equal($"{images}: the gzip trailer (CRC-32 and size) does not match the 47040006 decompressed bytes (the data is corrupt)", e.Message);
        Assert.False(verified.Contains(images, null));
    }

    [Fact]
    public void A_changed_pixel_in_a_decompressed_original_is_found_by_its_sha256()
    {
        string dir = CopyShipped();
        string labels = Path.Combine(dir, FashionMnist.TestLabelsFile);
        byte[] raw = Gunzip(File.ReadAllBytes(labels));
        raw[^1] = (byte)((raw[^1] + 1) % 10);
        File.WriteAllBytes(labels, raw);
        IdxFolderSource source = FashionMnist.Open(dir, new VerifiedFiles(null));
        var e = Assert.Throws<InvalidDataException>(() => source.LoadAll());
        Assert.StartsWith($"{labels}: the SHA-256 of its decompressed content is ", e.Message);
        Assert.EndsWith(", expected 0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34, that of Fashion-MNIST's original file: the file is corrupt or was changed", e.Message);
    }

    [Fact]
    public void An_intact_file_is_read_to_its_end_once_then_remembered_and_a_broken_cache_is_ignored()
    {
        string dir = CopyShipped();
        string cache = Path.Combine(dir, "cache", "verified.tsv");
        var verified = new VerifiedFiles(cache);
        string images = Path.Combine(dir, FashionMnist.TrainImagesFile), labels = Path.Combine(dir, FashionMnist.TrainLabelsFile);
        Assert.False(verified.Contains(images, null));
        Dataset first = FashionMnist.Open(dir, verified).Load(5000);
        Assert.True(verified.Contains(images, FashionMnist.Known.Files[FashionMnist.TrainImagesFile].Sha256));
        Assert.True(verified.Contains(labels, FashionMnist.Known.Files[FashionMnist.TrainLabelsFile].Sha256));
        Assert.False(verified.Contains(Path.Combine(dir, FashionMnist.TestImagesFile), null));   // not read
        Assert.Equal(2, File.ReadAllLines(cache).Length);
        Dataset second = FashionMnist.Open(dir, verified).Load(5000);
        Assert.Equal(first.Images.Pixels.ToArray(), second.Images.Pixels.ToArray());
        Assert.Equal(first.Images.Labels.ToArray(), second.Images.Labels.ToArray());

        // Touching the file forgets it; a cache of garbage is no cache.
        File.SetLastWriteTimeUtc(images, DateTime.UtcNow.AddMinutes(-1));
        Assert.False(verified.Contains(images, null));
        File.WriteAllText(cache, "garbage\n\t\t\t\n" + new string('x', 64) + "\t1\t2\n");
        Assert.False(verified.Contains(labels, null));
        Assert.Equal(5000, FashionMnist.Open(dir, verified).Load(5000).Count);
        Assert.True(verified.Contains(images, null));
    }

    [Fact]
    public void A_fifo_or_a_folder_given_as_a_data_file_is_refused_before_opening()
    {
        string dir = TestPaths.NewTempDirectory();
        string fifo = Path.Combine(dir, "fifo");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(fifo));
        Assert.Equal($"{fifo}: is not a regular file (a FIFO, device or socket); expected an IDX file", e.Message);
        e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImagesHeader("/dev/zero"));
        Assert.Equal("/dev/zero: is not a regular file (a FIFO, device or socket); expected an IDX file", e.Message);
        e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(dir));
        Assert.Equal($"{dir}: is a folder; expected an IDX file", e.Message);
        Assert.Throws<FileNotFoundException>(() => IdxReader.ReadImages(Path.Combine(dir, "none")));
    }

    [Fact]
    public void Corrupt_deflate_data_says_the_gzip_data_is_corrupt_naming_the_file()
    {
        string path = Path.Combine(TestPaths.NewTempDirectory(), "labels.gz");
        byte[] gz = File.ReadAllBytes(Path.Combine(TestPaths.DataDirectory, FashionMnist.TestLabelsFile));
        gz[10] = 0xFF;   // the first deflate block header: reserved block type 3
        File.WriteAllBytes(path, gz);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));
        Assert.Equal($"{path}: the gzip data is corrupt: not valid deflate data after 0 decompressed bytes", e.Message);
        Assert.DoesNotContain("compression method", e.Message);
    }

    /// <summary>
    /// Mutates the real files (both labels files and the test images, as shipped and decompressed)
    /// and reads each back as the CLI does with no cache: every outcome is the original data, or an
    /// <see cref="InvalidDataException"/>. ANNLAB_FUZZ_ITERATIONS sets the count (default 2000).
    /// </summary>
    [Fact]
    public void Mutated_idx_files_read_back_unchanged_or_are_refused_as_invalid_data()
    {
        int iterations = int.TryParse(Environment.GetEnvironmentVariable("ANNLAB_FUZZ_ITERATIONS"), out int n) && n > 0 ? n : 2000;
        var random = new Random(10);
        string dir = TestPaths.NewTempDirectory();
        var targets = new List<(string Name, byte[] Bytes, bool Gzip)>();
        foreach (string name in new[] { FashionMnist.TrainLabelsFile, FashionMnist.TestLabelsFile, FashionMnist.TestImagesFile })
        {
            byte[] gz = File.ReadAllBytes(Path.Combine(TestPaths.DataDirectory, name));
            targets.Add((name, gz, true));
            targets.Add((name, Gunzip(gz), false));
        }

        var originals = targets.Select(t => Read(Path.Combine(TestPaths.DataDirectory, t.Name), t.Name, int.MaxValue)).ToArray();
        int unchanged = 0;
        var refused = new Dictionary<string, int>();
        for (int i = 0; i < iterations; i++)
        {
            // Images files cost 50 times a labels file: one iteration in 25.
            int t = random.Next(25) == 0 ? 4 + random.Next(2) : random.Next(4);
            (string name, byte[] original, bool gzip) = targets[t];
            (byte[] mutated, string how) = Mutate(original, gzip, random);
            string path = Path.Combine(dir, name);
            File.WriteAllBytes(path, mutated);
            int maxCount = random.Next(2) == 0 ? int.MaxValue : 1 + random.Next(100);
            byte[] got;
            try
            {
                got = Read(path, name, maxCount);
            }
            catch (InvalidDataException e)
            {
                string kind = Kind(e.Message, path);
                refused[kind] = refused.GetValueOrDefault(kind) + 1;
                continue;
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {i}, {name} ({(gzip ? "gzip" : "raw")}), {how}: {e.GetType().Name}: {e.Message}");
                throw;
            }

            byte[] expected = originals[t];
            int width = name.Contains("images", StringComparison.Ordinal) ? 784 : 1;
            int items = Math.Min(expected.Length / width, maxCount);
            Assert.True(got.AsSpan().SequenceEqual(expected.AsSpan(0, items * width)), $"iteration {i}, {name} ({(gzip ? "gzip" : "raw")}), {how}: read back different data silently");
            unchanged++;
        }

        output.WriteLine($"{iterations} mutations: {unchanged} read back unchanged, {iterations - unchanged} refused");
        foreach ((string kind, int count) in refused.OrderByDescending(p => p.Value))
        {
            output.WriteLine($"{count,7}  {kind}");
        }

        Assert.Equal(iterations, unchanged + refused.Values.Sum());
        Assert.True(refused.Values.Sum() > iterations / 2, "most mutations must be refused");
    }

    // The path the CLI takes for one file: header checks against Fashion-MNIST, the whole file read and hashed.
    private static byte[] Read(string path, string name, int maxCount)
    {
        KnownIdxFile spec = FashionMnist.Known.Files[name];
        return name.Contains("images", StringComparison.Ordinal)
            ? IdxFolderSource.ReadImages("Fashion-MNIST", path, spec, FashionMnist.Known.Shape, null, maxCount).Pixels
            : IdxFolderSource.ReadLabels("Fashion-MNIST", path, spec, null, 10, maxCount).Labels;
    }

    private static (byte[] Bytes, string How) Mutate(byte[] original, bool gzip, Random random)
    {
        // Half the positions in the first 64 bytes, where the headers are.
        int At(int length) => random.Next(2) == 0 ? random.Next(Math.Min(64, length)) : random.Next(length);
        var bytes = new List<byte>(original);
        switch (random.Next(6))
        {
            case 0:
            {
                int at = At(bytes.Count), bit = random.Next(8);
                bytes[at] ^= (byte)(1 << bit);
                return ([.. bytes], $"bit {bit} of byte {at} flipped");
            }

            case 1:
            {
                int at = At(bytes.Count);
                byte value = (byte)random.Next(256);
                bytes[at] = value;
                return ([.. bytes], $"byte {at} set to {value}");
            }

            case 2:
            {
                int length = random.Next(2) == 0 ? bytes.Count - 1 - random.Next(Math.Min(16, bytes.Count)) : random.Next(bytes.Count);
                return ([.. bytes.Take(length)], $"truncated to {length} bytes");
            }

            case 3:
            {
                int at = random.Next(2) == 0 ? bytes.Count : At(bytes.Count);
                byte[] inserted = new byte[1 + random.Next(16)];
                random.NextBytes(inserted);
                bytes.InsertRange(at, inserted);
                return ([.. bytes], $"{inserted.Length} bytes inserted at {at}");
            }

            case 4:
            {
                int at = At(bytes.Count), count = 1 + random.Next(Math.Min(16, bytes.Count - at));
                bytes.RemoveRange(at, count);
                return ([.. bytes], $"{count} bytes deleted at {at}");
            }

            default:
            {
                // A header field: the IDX magic or a size (raw), or the gzip header's fields or its trailer's CRC-32 and size.
                int field = gzip ? (random.Next(2) == 0 ? random.Next(10) : bytes.Count - 8 + (4 * random.Next(2))) : 4 * random.Next(Math.Min(4, bytes.Count / 4));
                int width = gzip && field < 10 ? 1 : 4;
                int value = random.Next(3) switch { 0 => 0, 1 => random.Next(), _ => -1 };
                byte[] span = [.. bytes];
                if (width == 4)
                {
                    int old = gzip ? BinaryPrimitives.ReadInt32LittleEndian(span.AsSpan(field)) : BinaryPrimitives.ReadInt32BigEndian(span.AsSpan(field));
                    value = random.Next(2) == 0 ? old + (random.Next(2) * 2) - 1 : value;
                    if (gzip)
                    {
                        BinaryPrimitives.WriteInt32LittleEndian(span.AsSpan(field), value);
                    }
                    else
                    {
                        BinaryPrimitives.WriteInt32BigEndian(span.AsSpan(field), value);
                    }
                }
                else
                {
                    span[field] = (byte)value;
                }

                return (span, $"header field at {field} set to {value}");
            }
        }
    }

    // The message without its file name and numbers: "header says N images of NxN, expected N pixel bytes, got N".
    private static string Kind(string message, string path)
    {
        string text = message.StartsWith(path + ": ", StringComparison.Ordinal) ? message[(path.Length + 2)..] : "(no file name) " + message;
        text = Regex.Replace(text.Replace("SHA-256", "SHA", StringComparison.Ordinal), "[0-9a-f]{64}", "H");
        text = Regex.Replace(text, @"-?\d+", "N");
        int cut = text.IndexOfAny([',', ';', '(']);
        return cut > 0 ? text[..cut].Trim() : text;
    }

    private static byte[] Header(int magic, params int[] sizes)
    {
        var header = new byte[4 + (4 * sizes.Length)];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int i = 0; i < sizes.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + (4 * i)), sizes[i]);
        }

        return header;
    }

    private static void WriteGzip(string path, byte[] content)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(content);
    }

    private static byte[] Gunzip(byte[] gz)
    {
        using var gzip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var content = new MemoryStream();
        gzip.CopyTo(content);
        return content.ToArray();
    }

    /// <summary>The first training and test images of the shipped files, as images of rows x columns (same pixels), gzip-compressed in a new folder.</summary>
    internal static string WriteSubset(int train, int test, int rows = 28, int columns = 28)
    {
        string dir = TestPaths.NewTempDirectory();
        foreach ((string images, string labels, int count) in new[] { (Names[0], Names[1], train), (Names[2], Names[3], test) })
        {
            (IdxImages pixels, IdxLabels classes) = IdxReader.ReadPair(Path.Combine(TestPaths.DataDirectory, images), Path.Combine(TestPaths.DataDirectory, labels), 10, count);
            WriteGzip(Path.Combine(dir, images), [.. Header(IdxReader.ImagesMagic, count, rows, columns), .. pixels.Pixels]);
            WriteGzip(Path.Combine(dir, labels), [.. Header(IdxReader.LabelsMagic, count), .. classes.Labels]);
        }

        return dir;
    }

    private static string CopyShipped()
    {
        string dir = TestPaths.NewTempDirectory();
        foreach (string name in Names)
        {
            File.Copy(Path.Combine(TestPaths.DataDirectory, name), Path.Combine(dir, name));
        }

        return dir;
    }
}

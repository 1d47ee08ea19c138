using System.Buffers.Binary;
using AnnLab.Data;
using AnnLab.Training;

namespace AnnLab.Tests.Data;

/// <summary>Sources: what they load for each split, the checks before loading, and the IDX folder source on a tiny folder.</summary>
public class DatasetSourceTests
{
    /// <summary>The tiny data set of <see cref="DatasetTests"/> as a source that records what it was asked to read.</summary>
    private sealed class TinySource() : DatasetSource("tiny", "memory", new ImageShape(3, 2), DatasetTests.Classes, 8, 4)
    {
        public List<int> Reads { get; } = [];

        protected override ImageSet ReadFirst(int count)
        {
            Reads.Add(count);
            return DatasetTests.Images(count);
        }
    }

    private sealed class NamedSource(IReadOnlyList<string> names) : DatasetSource("named", "memory", new ImageShape(1, 1), names, 2, 0)
    {
        protected override ImageSet ReadFirst(int count) => throw new NotSupportedException();
    }

    [Fact]
    public void Every_source_refuses_a_class_name_longer_than_a_model_file_stores()
    {
        Assert.Equal(new string('é', 2048), new NamedSource(["a", new string('é', 2048)]).ClassNames[1]);
        var e = Assert.Throws<InvalidDataException>(() => new NamedSource(["a", new string('é', 2048) + "b"]));
        Assert.Equal("memory: the name of class 1 has 4097 UTF-8 bytes, expected at most 4096 (the most a model file stores)", e.Message);
    }

    [Fact]
    public void Lab_and_stratified_read_only_the_first_m_official_reads_everything()
    {
        var source = new TinySource();
        Assert.Equal(12, source.Count);
        Assert.Equal("tiny: 12 images of 3x2, 3 classes (8 training, 4 test)", source.Description);
        Assert.Equal(5, source.LoadFor(SplitKind.Lab, 5).Count);
        Assert.Equal(6, source.LoadFor(SplitKind.Stratified, 6).Count);
        Dataset all = source.LoadFor(SplitKind.Official, 5);
        Assert.True(all.IsComplete);
        Assert.Equal([5, 6, 12], source.Reads);
        Assert.Equal(DatasetTests.Labels[8..], all.Split(SplitKind.Official, 5, 0.5, 1).Test!.Labels.ToArray());
        Assert.Equal(12, source.LoadAll().Count);
    }

    [Fact]
    public void The_options_are_checked_against_the_data_set_before_anything_is_read()
    {
        var source = new TinySource();
        var e = Assert.Throws<OptionOutOfRangeException>(() => source.CheckSplit(SplitKind.Lab, 13, 0.8));
        Assert.Equal("--samples: got 13, expected an integer in 2..12, or 'all' (tiny in memory holds 12 images)", OptionLines.Line(e));
        e = Assert.Throws<OptionOutOfRangeException>(() => source.CheckSplit(SplitKind.Official, 5, 0.1));
        Assert.Equal("--train-fraction", OptionLines.Name(e));
        Assert.Contains("of the 8 training-part images of tiny (gives 0 and 8)", OptionLines.Line(e));
        source.CheckSplit(SplitKind.Official, 12, 0.5);
        Assert.Throws<OptionOutOfRangeException>(() => source.LoadFor(SplitKind.Lab, 13));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Load(13));
        Assert.Empty(source.Reads);
    }

    [Fact]
    public void An_idx_folder_opens_by_its_headers_and_loads_the_first_m_across_the_two_parts()
    {
        string dir = WriteTinyIdxFolder();
        IdxFolderSource source = IdxFolderSource.Open("tiny", dir, Files, DatasetTests.Classes);
        Assert.Equal(new ImageShape(3, 2), source.Shape);
        Assert.Equal((8, 4, 12), (source.TrainCount, source.TestCount, source.Count));
        Assert.Equal(dir, source.Directory);

        Dataset all = source.LoadAll();
        Assert.Equal(DatasetTests.Images().Pixels.ToArray(), all.Images.Pixels.ToArray());
        Assert.Equal(DatasetTests.Labels, all.Images.Labels.ToArray());
        Dataset first = source.Load(5);
        Assert.Equal(DatasetTests.Images(5).Pixels.ToArray(), first.Images.Pixels.ToArray());
        Dataset past = source.Load(10);   // all 8 of the training file and the test file's first 2
        Assert.Equal(DatasetTests.Images(10).Pixels.ToArray(), past.Images.Pixels.ToArray());
        Assert.Equal([2, 2], past.Images.Labels.ToArray()[8..]);
    }

    [Fact]
    public void An_idx_folder_whose_files_disagree_is_refused_naming_the_file()
    {
        string dir = WriteTinyIdxFolder();
        File.WriteAllBytes(Path.Combine(dir, Files.TestLabels!), Idx(IdxReader.LabelsMagic, [3], [2, 2, 1]));
        var e = Assert.Throws<InvalidDataException>(() => IdxFolderSource.Open("tiny", dir, Files, DatasetTests.Classes));
        Assert.Equal($"{Path.Combine(dir, Files.TestImages!)}: 4 images but {Path.Combine(dir, Files.TestLabels!)} has 3 labels", e.Message);

        dir = WriteTinyIdxFolder();
        File.WriteAllBytes(Path.Combine(dir, Files.TestImages!), Idx(IdxReader.ImagesMagic, [4, 2, 3], new byte[24]));
        e = Assert.Throws<InvalidDataException>(() => IdxFolderSource.Open("tiny", dir, Files, DatasetTests.Classes));
        Assert.Equal($"{Path.Combine(dir, Files.TestImages!)}: expected images of 3x2 like the training file, got 2x3", e.Message);

        // A label past the class count is found when the labels are read.
        dir = WriteTinyIdxFolder();
        File.WriteAllBytes(Path.Combine(dir, Files.TrainLabels), Idx(IdxReader.LabelsMagic, [8], [0, 1, 2, 0, 1, 2, 0, 3]));
        IdxFolderSource source = IdxFolderSource.Open("tiny", dir, Files, DatasetTests.Classes);
        e = Assert.Throws<InvalidDataException>(() => source.LoadAll());
        Assert.Contains("label 3 at index 7 is outside 0..2", e.Message);
    }

    [Fact]
    public void The_registry_opens_fashion_mnist_by_name_and_lists_the_names_for_an_unknown_one()
    {
        Assert.Equal("fashion-mnist", DatasetSources.Default.Name);
        DatasetSource source = DatasetSources.Get("Fashion-MNIST").Open(TestPaths.DataDirectory, new DataRequest());
        Assert.Equal("Fashion-MNIST", source.Name);
        var e = Assert.Throws<OptionOutOfRangeException>(() => DatasetSources.Get("cifar"));
        Assert.Equal("--dataset: got cifar, expected fashion-mnist, mnist, kmnist, emnist-balanced, emnist-letters, emnist-digits, idx, csv, image-folder", OptionLines.Line(e));
    }

    private static readonly IdxFiles Files = new("train-images", "train-labels", "test-images", "test-labels");

    // The tiny data set as four raw IDX files in a new folder.
    private static string WriteTinyIdxFolder()
    {
        string dir = TestPaths.NewTempDirectory();
        byte[] pixels = DatasetTests.Images().Pixels.ToArray();
        File.WriteAllBytes(Path.Combine(dir, Files.TrainImages), Idx(IdxReader.ImagesMagic, [8, 3, 2], pixels[..48]));
        File.WriteAllBytes(Path.Combine(dir, Files.TrainLabels), Idx(IdxReader.LabelsMagic, [8], DatasetTests.Labels[..8]));
        File.WriteAllBytes(Path.Combine(dir, Files.TestImages!), Idx(IdxReader.ImagesMagic, [4, 3, 2], pixels[48..]));
        File.WriteAllBytes(Path.Combine(dir, Files.TestLabels!), Idx(IdxReader.LabelsMagic, [4], DatasetTests.Labels[8..]));
        return dir;
    }

    private static byte[] Idx(int magic, int[] sizes, byte[] body)
    {
        var bytes = new byte[4 + (4 * sizes.Length) + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < sizes.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), sizes[i]);
        }

        body.CopyTo(bytes, 4 + (4 * sizes.Length));
        return bytes;
    }
}

using AnnLab.Data;
using AnnLab.Training;

namespace AnnLab.Tests.Data;

public class FashionMnistTests
{
    [Fact]
    public void Class_names_follow_the_dataset_order()
    {
        Assert.Equal(
            ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
            FashionMnist.ClassNames);
    }

    [Fact]
    public void Opening_reads_the_shape_and_the_parts_from_the_headers()
    {
        IdxFolderSource source = FashionMnist.Open(TestPaths.DataDirectory);
        Assert.Equal("Fashion-MNIST", source.Name);
        Assert.Equal(new ImageShape(28, 28), source.Shape);
        Assert.Equal(784, source.Shape.Pixels);
        Assert.Equal((60_000, 10_000, 70_000), (source.TrainCount, source.TestCount, source.Count));
        Assert.Equal(FashionMnist.ClassNames, source.ClassNames);
        Assert.Equal("Fashion-MNIST: 70000 images of 28x28, 10 classes (60000 training, 10000 test)", source.Description);
    }

    [Fact]
    public void Loads_train_then_test_and_splits_like_the_lab()
    {
        Dataset all = FashionMnist.Open(TestPaths.DataDirectory).LoadAll();
        Assert.Equal(70_000, all.Count);
        Assert.Equal(784, all.Images.Features);
        Assert.Equal(9, all.Images.Labels.Span[0]);       // first training image: Ankle boot
        Assert.Equal(9, all.Images.Labels.Span[60_000]);  // first test image: Ankle boot
        DataSplit lab = all.Split(SplitKind.Lab, 5000, 0.8, 1);
        Assert.Equal(4000, lab.Train.Count);
        Assert.Equal(1000, lab.Validation.Count);
        Assert.True(lab.Validation.Image(0).SequenceEqual(all.Images.Image(4000)));
        Assert.Equal(all.Images.Labels.Span[4999], lab.Validation.Labels.Span[999]);
    }

    [Fact]
    public void Loading_the_first_m_gives_the_front_of_all_70000_and_crosses_into_the_test_file()
    {
        IdxFolderSource source = FashionMnist.Open(TestPaths.DataDirectory);
        ImageSet all = source.LoadAll().Images;

        Dataset first = source.LoadFor(SplitKind.Lab, 5000);
        Assert.Equal(5000, first.Count);
        Assert.False(first.IsComplete);
        Assert.True(first.Images.Pixels.Span.SequenceEqual(all.Pixels.Span[..(5000 * 784)]));
        Assert.True(first.Images.Labels.Span.SequenceEqual(all.Labels.Span[..5000]));

        ImageSet past = source.Load(60_003).Images;
        Assert.Equal(60_003, past.Count);
        Assert.True(past.Image(60_002).SequenceEqual(all.Image(60_002)));
        Assert.Equal(all.Labels.Span[60_002], past.Labels.Span[60_002]);
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Load(80_000));
        Assert.Equal(70_000, source.LoadFor(SplitKind.Official, 5000).Count);
    }

    [Fact]
    public void Explicit_folder_that_does_not_exist_is_named()
    {
        string missing = Path.Combine(TestPaths.NewTempDirectory(), "nope");
        var e = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.LocateDirectory(missing, null, []));
        Assert.Equal($"no Fashion-MNIST folder found; looked in: {missing} (`Path`); check the path", e.Message);   // the command line spells `Path` --data
    }

    [Fact]
    public void Environment_variable_is_used_when_no_option_is_given()
    {
        string dir = TestPaths.NewTempDirectory();
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.LocateDirectory(null, dir, []));
        Assert.Contains(FashionMnist.EnvironmentVariable, e.Message);
        Assert.Contains(FashionMnist.TrainImagesFile, e.Message);
    }

    [Fact]
    public void Folder_missing_a_file_names_the_file()
    {
        string dir = TestPaths.NewTempDirectory();
        foreach (string f in FashionMnist.Files.Skip(1))
        {
            File.WriteAllBytes(Path.Combine(dir, f), []);
        }

        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.LocateDirectory(dir, null, []));
        Assert.Contains(FashionMnist.TrainImagesFile, e.Message);
        Assert.DoesNotContain(FashionMnist.TestLabelsFile, e.Message.Split("lacks")[1].Split(';')[0]);
    }

    [Fact]
    public void Without_a_choice_the_repository_folder_is_found_from_below()
    {
        string found = FashionMnist.LocateDirectory(null, null, [AppContext.BaseDirectory]);
        Assert.Equal(Path.GetFullPath(TestPaths.DataDirectory), found);
    }

    [Fact]
    public void Official_split_keeps_the_test_file_apart()
    {
        Dataset data = FashionMnist.Open(TestPaths.DataDirectory).LoadAll();
        ImageSet all = data.Images;
        DataSplit split = data.Split(SplitKind.Official, 5000, 0.9, 1);
        Assert.Equal(54_000, split.Train.Count);
        Assert.Equal(6_000, split.Validation.Count);
        Assert.NotNull(split.Test);
        Assert.Equal(10_000, split.Test!.Count);
        Assert.True(split.Test.Image(0).SequenceEqual(all.Image(60_000)));
        Assert.True(split.Validation.Image(5_999).SequenceEqual(all.Image(59_999)));
    }

    [Fact]
    public void Stratified_split_keeps_each_class_proportion_and_is_seeded()
    {
        Dataset data = FashionMnist.Open(TestPaths.DataDirectory).LoadFor(SplitKind.Stratified, 5000);
        ImageSet all = data.Images;
        DataSplit a = data.Split(SplitKind.Stratified, 5000, 0.8, 7);
        DataSplit b = data.Split(SplitKind.Stratified, 5000, 0.8, 7);
        DataSplit c = data.Split(SplitKind.Stratified, 5000, 0.8, 8);
        Assert.Null(a.Test);
        Assert.Equal(5000, a.Train.Count + a.Validation.Count);
        Assert.Equal(a.Validation.Labels.ToArray(), b.Validation.Labels.ToArray());
        Assert.False(a.Validation.Pixels.Span.SequenceEqual(c.Validation.Pixels.Span));
        for (int k = 0; k < 10; k++)
        {
            int inClass = all.Labels.Span[..5000].Count((byte)k);
            int inValidation = a.Validation.Labels.Span.Count((byte)k);
            Assert.InRange(inValidation, (int)Math.Floor(inClass * 0.2) - 1, (int)Math.Ceiling(inClass * 0.2) + 1);
        }
    }

    [Fact]
    public void Lab_split_is_the_first_m_and_samples_past_the_data_set_are_named()
    {
        Dataset data = FashionMnist.Open(TestPaths.DataDirectory).LoadFor(SplitKind.Lab, 5000);
        DataSplit lab = data.Split(SplitKind.Lab, 5000, 0.8, 1);
        Assert.Equal(4000, lab.Train.Count);
        Assert.Null(lab.Test);
        var e = Assert.Throws<OptionOutOfRangeException>(() => FashionMnist.Open(TestPaths.DataDirectory).CheckSplit(SplitKind.Lab, 70_001, 0.8));
        Assert.Equal($"--samples: got 70001, expected an integer in 2..70000, or 'all' (Fashion-MNIST in {TestPaths.DataDirectory} holds 70000 images)", OptionLines.Line(e));
    }
}

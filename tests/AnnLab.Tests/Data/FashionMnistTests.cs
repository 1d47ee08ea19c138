using AnnLab.Data;

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
    public void Loads_train_then_test_and_splits_like_the_lab()
    {
        ImageSet all = FashionMnist.LoadAll(TestPaths.DataDirectory);
        Assert.Equal(70_000, all.Count);
        Assert.Equal(784, all.Features);
        Assert.Equal(9, all.Labels.Span[0]);       // first training image: Ankle boot
        Assert.Equal(9, all.Labels.Span[60_000]);  // first test image: Ankle boot
        (ImageSet train, ImageSet validation) = FashionMnist.LabSplit(all, 5000, 0.8);
        Assert.Equal(4000, train.Count);
        Assert.Equal(1000, validation.Count);
        Assert.True(validation.Image(0).SequenceEqual(all.Image(4000)));
        Assert.Equal(all.Labels.Span[4999], validation.Labels.Span[999]);
    }

    [Fact]
    public void Loading_the_first_m_gives_the_front_of_all_70000_and_crosses_into_the_test_file()
    {
        ImageSet all = FashionMnist.LoadAll(TestPaths.DataDirectory);

        ImageSet first = FashionMnist.LoadFirst(TestPaths.DataDirectory, 5000);
        Assert.Equal(5000, first.Count);
        Assert.True(first.Pixels.Span.SequenceEqual(all.Pixels.Span[..(5000 * 784)]));
        Assert.True(first.Labels.Span.SequenceEqual(all.Labels.Span[..5000]));

        ImageSet past = FashionMnist.LoadFirst(TestPaths.DataDirectory, 60_003);
        Assert.Equal(60_003, past.Count);
        Assert.True(past.Image(60_002).SequenceEqual(all.Image(60_002)));
        Assert.Equal(all.Labels.Span[60_002], past.Labels.Span[60_002]);
        Assert.Equal(70_000, FashionMnist.LoadFirst(TestPaths.DataDirectory, 80_000).Count);
    }

    [Fact]
    public void Explicit_folder_that_does_not_exist_is_named()
    {
        string missing = Path.Combine(TestPaths.NewTempDirectory(), "nope");
        var e = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.LocateDirectory(missing, null, []));
        Assert.Contains(missing, e.Message);
        Assert.Contains("--data", e.Message);
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
        ImageSet all = FashionMnist.LoadAll(TestPaths.DataDirectory);
        DataSplit split = FashionMnist.Split(all, "official", 5000, 0.9, 1);
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
        ImageSet all = FashionMnist.LoadAll(TestPaths.DataDirectory);
        DataSplit a = FashionMnist.Split(all, "stratified", 5000, 0.8, 7);
        DataSplit b = FashionMnist.Split(all, "stratified", 5000, 0.8, 7);
        DataSplit c = FashionMnist.Split(all, "stratified", 5000, 0.8, 8);
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
    public void Lab_split_is_the_first_m_and_unknown_splits_are_named()
    {
        ImageSet all = FashionMnist.LoadAll(TestPaths.DataDirectory);
        DataSplit lab = FashionMnist.Split(all, "lab", 5000, 0.8, 1);
        Assert.Equal(4000, lab.Train.Count);
        Assert.Null(lab.Test);
        var e = Assert.Throws<ArgumentException>(() => FashionMnist.Split(all, "random", 5000, 0.8, 1));
        Assert.Contains("lab, official, stratified", e.Message);
    }
}

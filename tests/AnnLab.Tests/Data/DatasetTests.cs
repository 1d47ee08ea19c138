using AnnLab.Data;
using AnnLab.Training;

namespace AnnLab.Tests.Data;

/// <summary>
/// The splits on a tiny data set built in memory: 12 images of 3x2 pixels in 3 classes, 8 in the
/// training part and 4 in the test part. Every pixel of image i is 10 i + j (j = 0..5), so an
/// image's first pixel / 10 is its index in the data set.
/// </summary>
public class DatasetTests
{
    internal static readonly string[] Classes = ["circle", "square", "star"];

    // Training part labels 0,1,2,0,1,2,0,1; test part 2,2,1,0.
    internal static readonly byte[] Labels = [0, 1, 2, 0, 1, 2, 0, 1, 2, 2, 1, 0];

    internal static ImageSet Images(int count = 12)
    {
        var pixels = new byte[count * 6];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((i / 6 * 10) + (i % 6));
        }

        return new ImageSet(pixels, Labels.AsMemory(0, count), 6, 3, 2);
    }

    internal static Dataset Tiny(int count = 12) => new("tiny", new ImageShape(3, 2), Classes, Images(count), 8, 4);

    // The data-set index of each image of a part.
    private static int[] Indices(ImageSet part) => Enumerable.Range(0, part.Count).Select(i => part.Image(i)[0] / 10).ToArray();

    [Fact]
    public void The_data_set_states_its_shape_classes_and_parts()
    {
        Dataset d = Tiny();
        Assert.Equal(new ImageShape(3, 2), d.Shape);
        Assert.Equal(6, d.Shape.Pixels);
        Assert.Equal([3, 2], d.Shape.Dimensions);
        Assert.Equal(3, d.ClassNames.Count);
        Assert.Equal((12, 8, 4), (d.Count, d.TrainCount, d.TestCount));
        Assert.True(d.IsComplete);
        Assert.False(Tiny(5).IsComplete);
        Assert.Equal([0, 1, 2, 3, 4, 5], d.Images.Image(0).ToArray().Select(b => (int)b));
        Assert.Equal([110, 111, 112, 113, 114, 115], d.Images.Image(11).ToArray().Select(b => (int)b));
    }

    [Fact]
    public void Lab_split_trains_on_the_first_floor_m_F_of_the_first_m_and_validates_on_the_rest()
    {
        // m = 5, F = 0.6: floor(3.0) = 3 train (images 0..2), 2 validate (3, 4); images 5..11 unused.
        DataSplit lab = Tiny().Split(SplitKind.Lab, 5, 0.6, seed: 1);
        Assert.Equal(SplitKind.Lab, lab.Kind);
        Assert.Equal("lab", lab.Name);
        Assert.Equal([0, 1, 2], Indices(lab.Train));
        Assert.Equal([3, 4], Indices(lab.Validation));
        Assert.Equal([0, 1, 2], lab.Train.Labels.ToArray());
        Assert.Equal([0, 1], lab.Validation.Labels.ToArray());
        Assert.Null(lab.Test);
        Assert.Equal("the first 5 images: 3 training, 2 validation", lab.Description);
        Assert.Equal(
            [SplitPart.Training, SplitPart.Training, SplitPart.Training, SplitPart.Validation, SplitPart.Validation, SplitPart.Unused],
            Enumerable.Range(0, 6).Select(lab.PartOf));
        Assert.Equal(3, lab.Train.Rows);
        Assert.Equal(2, lab.Train.Columns);
    }

    [Fact]
    public void Lab_split_needs_only_the_first_m_images_loaded()
    {
        DataSplit lab = Tiny(5).Split(SplitKind.Lab, 5, 0.8, seed: 1);
        Assert.Equal([0, 1, 2, 3], Indices(lab.Train));
        Assert.Equal([4], Indices(lab.Validation));
    }

    [Fact]
    public void Official_split_carves_validation_from_the_training_part_and_tests_on_the_test_part()
    {
        // T = 8, F = 0.75: floor(6.0) = 6 train (0..5), 2 validate (6, 7); the 4 test-part images 8..11 test. m is ignored.
        DataSplit official = Tiny().Split(SplitKind.Official, 5, 0.75, seed: 1);
        Assert.Equal([0, 1, 2, 3, 4, 5], Indices(official.Train));
        Assert.Equal([6, 7], Indices(official.Validation));
        Assert.NotNull(official.Test);
        Assert.Equal([8, 9, 10, 11], Indices(official.Test!));
        Assert.Equal([2, 2, 1, 0], official.Test!.Labels.ToArray());
        Assert.Equal("official: training part images 0..5 train, 6..7 validate; the 4 test-part images test", official.Description);
        Assert.Equal(SplitPart.Validation, official.PartOf(7));
        Assert.Equal(SplitPart.Test, official.PartOf(8));
        Assert.Equal(SplitPart.Test, official.PartOf(11));
        Assert.Equal(SplitPart.Unused, official.PartOf(12));
    }

    [Fact]
    public void A_part_gives_its_images_with_their_data_set_indices_and_lab_and_stratified_hold_out_the_test_part()
    {
        // Lab, m = 5 of the 8 training-part images: the 4 test-part images 8..11 stay untouched, so they are its test part.
        Dataset tiny = Tiny();
        DataSplit lab = tiny.Split(SplitKind.Lab, 5, 0.6, seed: 1);
        SplitImages test = tiny.Part(lab, SplitPart.Test);
        Assert.Equal([8, 9, 10, 11], test.Indices);
        Assert.Equal([8, 9, 10, 11], Indices(test.Images));
        Assert.Equal([2, 2, 1, 0], test.Images.Labels.ToArray());
        Assert.Equal("test", test.Name);
        Assert.Equal([3, 4], tiny.Part(lab, SplitPart.Validation).Indices);
        Assert.Equal([0, 1, 2], tiny.Part(lab, SplitPart.Training).Indices);
        Assert.Equal(SplitPart.Test, tiny.PartOf(lab, 9));
        Assert.Equal(SplitPart.Unused, tiny.PartOf(lab, 6));
        Assert.Equal(SplitPart.Validation, tiny.PartOf(lab, 4));

        // Stratified: the indices follow the part's own order, image for image.
        DataSplit stratified = tiny.Split(SplitKind.Stratified, 8, 0.5, seed: 7);
        SplitImages validation = tiny.Part(stratified, SplitPart.Validation);
        Assert.Equal(Indices(validation.Images), validation.Indices);
        Assert.Equal([8, 9, 10, 11], tiny.Part(stratified, SplitPart.Test).Indices);

        // Official: its own test part.
        DataSplit official = tiny.Split(SplitKind.Official, 5, 0.75, seed: 1);
        Assert.Equal([8, 9, 10, 11], tiny.Part(official, SplitPart.Test).Indices);
        Assert.Equal([6, 7], tiny.Part(official, SplitPart.Validation).Indices);
    }

    [Fact]
    public void There_is_no_test_part_when_the_split_used_test_images_or_the_data_set_has_none()
    {
        // m = 10 reaches into the test part (images 8..11): images 8 and 9 validate, so it is not held out.
        Dataset tiny = Tiny();
        var e = Assert.Throws<OptionOutOfRangeException>(() => tiny.Part(tiny.Split(SplitKind.Lab, 10, 0.5, seed: 1), SplitPart.Test));
        Assert.Equal("Part", e.Option);
        Assert.Equal("training or validation: the lab split's first 10 images reach into tiny's test part (images 8..11), so it is not held out; give `Samples` 8 or fewer, or `Split` official", e.Allowed);
        Assert.Equal(SplitPart.Validation, tiny.PartOf(tiny.Split(SplitKind.Lab, 10, 0.5, seed: 1), 9));

        var noTest = new Dataset("no test", new ImageShape(3, 2), Classes, Images(8), 8);
        e = Assert.Throws<OptionOutOfRangeException>(() => noTest.Part(noTest.Split(SplitKind.Lab, 4, 0.5, seed: 1), SplitPart.Test));
        Assert.Equal("training or validation (no test has no test part)", e.Allowed);

        // The lab split loads only its first m; its test part needs the rest.
        Dataset first = Tiny(5);
        Assert.Throws<InvalidOperationException>(() => first.Part(first.Split(SplitKind.Lab, 5, 0.6, seed: 1), SplitPart.Test));
        Assert.Equal(SplitPart.Test, Dataset.ParsePart(" TEST "));
        Assert.Equal("Part: got unused, expected training, validation, test", Assert.Throws<OptionOutOfRangeException>(() => Dataset.ParsePart("unused")).Message.Split(" (Parameter")[0]);
    }

    [Fact]
    public void Official_split_of_a_data_set_without_a_test_part_has_none()
    {
        var noTest = new Dataset("no test", new ImageShape(3, 2), Classes, Images(8), 8);
        DataSplit official = noTest.Split(SplitKind.Official, 2, 0.5, seed: 1);
        Assert.Equal([0, 1, 2, 3], Indices(official.Train));
        Assert.Equal([4, 5, 6, 7], Indices(official.Validation));
        Assert.Null(official.Test);
        Assert.EndsWith("; no test part", official.Description);
    }

    [Fact]
    public void Official_split_refuses_a_data_set_loaded_only_in_part()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Tiny(10).Split(SplitKind.Official, 5, 0.5, seed: 1));
        Assert.Contains("needs all 12 images of tiny; only the first 10 are loaded", e.Message);
    }

    [Fact]
    public void Stratified_split_cuts_each_class_of_the_first_m_at_round_n_c_F()
    {
        // First 8 images: class 0 = {0, 3, 6}, class 1 = {1, 4, 7}, class 2 = {2, 5}. F = 0.5 cuts at
        // round(1.5) = 2 (to even), 2 and round(1.0) = 1: 5 training images, one validation image per class.
        DataSplit a = Tiny().Split(SplitKind.Stratified, 8, 0.5, seed: 7);
        Assert.Equal(SplitKind.Stratified, a.Kind);
        Assert.Null(a.Test);
        Assert.Equal(5, a.Train.Count);
        Assert.Equal(3, a.Validation.Count);
        Assert.Equal([1, 1, 1], Enumerable.Range(0, 3).Select(c => a.Validation.Labels.Span.Count((byte)c)));
        Assert.Equal([2, 2, 1], Enumerable.Range(0, 3).Select(c => a.Train.Labels.Span.Count((byte)c)));
        int[] train = Indices(a.Train), validation = Indices(a.Validation);
        Assert.Equal(Enumerable.Range(0, 8), train.Concat(validation).Order());
        Assert.Equal(train.Order(), train);   // each part keeps the data set's order
        for (int i = 0; i < a.Train.Count; i++)
        {
            Assert.Equal(Labels[train[i]], a.Train.Labels.Span[i]);
        }

        Assert.All(validation, i => Assert.Equal(SplitPart.Validation, a.PartOf(i)));
        Assert.All(train, i => Assert.Equal(SplitPart.Training, a.PartOf(i)));
        Assert.Equal(SplitPart.Unused, a.PartOf(8));
        Assert.Equal("the first 8 images, stratified by class with seed 7: 5 training, 3 validation", a.Description);

        // The same seed gives the same cut; some other seed gives another.
        Assert.Equal(validation, Indices(Tiny().Split(SplitKind.Stratified, 8, 0.5, seed: 7).Validation));
        Assert.Contains(Enumerable.Range(1, 20), s => !Indices(Tiny().Split(SplitKind.Stratified, 8, 0.5, s).Validation).SequenceEqual(validation));
    }

    [Theory]
    [InlineData(SplitKind.Lab, 13, 0.5, "--samples: got 13, expected an integer in 2..12, or 'all'")]
    [InlineData(SplitKind.Stratified, 1, 0.5, "--samples: got 1, expected an integer in 2..12, or 'all'")]
    [InlineData(SplitKind.Lab, 5, 1.0, "--train-fraction: got 1, expected a number strictly between 0 and 1")]
    [InlineData(SplitKind.Stratified, 5, 0.0, "--train-fraction: got 0, expected a number strictly between 0 and 1")]
    [InlineData(SplitKind.Lab, 5, 0.1, "--train-fraction: got 0.1, expected a fraction leaving at least one training and one validation image of the 5 samples (gives 0 and 5)")]
    [InlineData(SplitKind.Official, 5, 0.1, "--train-fraction: got 0.1, expected a fraction leaving at least one training and one validation image of the 8 training-part images of tiny (gives 0 and 8)")]
    [InlineData(SplitKind.Stratified, 8, 0.15, "--train-fraction: got 0.15, expected a fraction leaving at least one training and one validation image of the 8 samples cut per class (gives 0 and 8)")]
    public void A_split_option_out_of_range_is_named_with_value_and_range(SplitKind kind, int samples, double fraction, string line)
    {
        var e = Assert.Throws<OptionOutOfRangeException>(() => Tiny().Split(kind, samples, fraction, seed: 1));
        Assert.Equal(line, OptionLines.Line(e));
    }

    [Fact]
    public void Split_names_parse_case_insensitively_and_an_unknown_one_is_listed()
    {
        Assert.Equal(["lab", "official", "stratified"], Dataset.SplitNames);
        Assert.Equal(SplitKind.Official, Dataset.ParseSplitKind(" Official "));
        Assert.Equal(SplitKind.Stratified, Dataset.ParseSplitKind("stratified"));
        var e = Assert.Throws<OptionOutOfRangeException>(() => Dataset.ParseSplitKind("random"));
        Assert.Equal("--split: got random, expected lab, official, stratified", OptionLines.Line(e));
    }

    [Fact]
    public void A_label_outside_the_classes_or_images_of_another_shape_are_refused()
    {
        byte[] labels = [0, 1, 3];
        var e = Assert.Throws<ArgumentException>(() => new Dataset("tiny", new ImageShape(3, 2), Classes, new ImageSet(new byte[18], labels, 6, 3, 2), 3));
        Assert.Contains("image 2 has label 3, expected 0..2 (3 classes)", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Dataset("tiny", new ImageShape(2, 3), Classes, Images(), 8, 4));
        Assert.Contains("expected images of 2x3 (6 pixels), got 3x2", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset("tiny", new ImageShape(3, 2), Classes, Images(), 8, 3));
        e = Assert.Throws<ArgumentException>(() => new ImageSet(new byte[12], new byte[2], 6, 2, 2));
        Assert.Contains("images of 2x2 pixels have 4 features, expected 6", e.Message);
    }

    [Fact]
    public void Image_shapes_with_channels_put_the_channels_first()
    {
        var color = new ImageShape(32, 32, 3);
        Assert.Equal(3072, color.Pixels);
        Assert.Equal([3, 32, 32], color.Dimensions);
        Assert.Equal("32x32x3", color.ToString());
        Assert.Equal("3x2", new ImageShape(3, 2).ToString());
    }
}

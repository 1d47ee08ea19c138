using AnnLab.Data;
using AnnLab.Plots;
using AnnLab.Tests.Plots;

namespace AnnLab.Tests.Data;

/// <summary>The folder-of-images data set: classes from folder names, the class-mixing order, the train/test layout and the canvas size.</summary>
public class ImageFolderSourceTests
{
    private static readonly int[] PythonOrder = [5, 10, 11, 0, 1, 6, 7, 3, 9, 8, 2, 4];

    private static ImageFolderSource Open(string folder, ImageShape? size = null)
        => ImageFolderSource.Open(folder, new DataRequest { Path = folder, ImageSize = size }, ImageFiles.FolderReader);

    private static void WriteImage(string path, int width = 16, int height = 16, byte value = 200)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var gray = new byte[width * height];
        for (int y = 2; y < height - 2; y++)
        {
            for (int x = 2; x < width - 2; x++)
            {
                gray[(y * width) + x] = value;
            }
        }

        TestImages.GrayPng(path, gray, width, height);
    }

    [Fact]
    public void Classes_are_the_subfolder_names_sorted_ordinally_and_each_file_has_its_folders_label()
    {
        string root = TestPaths.NewTempDirectory();
        foreach (string name in new[] { "b", "B", "a", "Z" })
        {
            WriteImage(Path.Combine(root, name, "one.png"));
            WriteImage(Path.Combine(root, name, "two.JPG.png"));
        }

        ImageFolderSource source = Open(root);
        Assert.Equal(["B", "Z", "a", "b"], source.ClassNames);
        Assert.Equal(8, source.Count);
        for (int i = 0; i < source.Count; i++)
        {
            string folder = Path.GetFileName(Path.GetDirectoryName(source.Files[i]))!;
            Assert.Equal(source.ClassNames[source.Labels.Span[i]], folder);
        }
    }

    [Fact]
    public void Other_files_hidden_folders_and_hidden_files_are_skipped_and_extensions_match_in_any_case()
    {
        string root = TestPaths.NewTempDirectory();
        WriteImage(Path.Combine(root, "cat", "a.PNG"));
        WriteImage(Path.Combine(root, "cat", "nested", "b.Jpeg.png"));
        WriteImage(Path.Combine(root, "cat", ".hidden.png"));
        WriteImage(Path.Combine(root, "cat", ".thumbs", "c.png"));
        File.WriteAllText(Path.Combine(root, "cat", ".DS_Store"), "x");
        File.WriteAllText(Path.Combine(root, "cat", "README"), "x");
        WriteImage(Path.Combine(root, "dog", "d.png"));
        WriteImage(Path.Combine(root, ".git", "e.png"));
        File.WriteAllText(Path.Combine(root, "LICENSE"), "x");

        ImageFolderSource source = Open(root);
        Assert.Equal(["cat", "dog"], source.ClassNames);
        Assert.Equal(
            [Path.Combine(root, "cat", "a.PNG"), Path.Combine(root, "cat", "nested", "b.Jpeg.png"), Path.Combine(root, "dog", "d.png")],
            source.Files.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_prefix_holds_each_class_in_proportion_to_its_size_within_one_image()
    {
        // 30, 20 and 10 images: listed class by class, the first 80 % would hold no image of class c.
        string root = TestPaths.NewTempDirectory();
        int[] sizes = [30, 20, 10];
        for (int c = 0; c < sizes.Length; c++)
        {
            for (int i = 0; i < sizes[c]; i++)
            {
                WriteImage(Path.Combine(root, $"class{c}", $"{i:D3}.png"));
            }
        }

        ImageFolderSource source = Open(root);
        byte[] labels = source.Labels.ToArray();
        // Image i of a class of n at (2i + 1) / 2n: class 0 at 1/60, 3/60, ..., class 1 at 1/40, 3/40, ..., class 2 at 1/20, ...: 0 1 0 2 1 0.
        Assert.Equal([0, 1, 0, 2, 1, 0], labels[..6].Select(l => (int)l));
        var seen = new int[3];
        for (int k = 1; k <= labels.Length; k++)
        {
            seen[labels[k - 1]]++;
            for (int c = 0; c < 3; c++)
            {
                double share = (double)k * sizes[c] / 60;
                Assert.True(Math.Abs(seen[c] - share) <= 1, $"after {k} images, {seen[c]} of class {c}, expected {share:F2} within 1");
            }
        }

        // The 80 % that trains under the lab split: 24, 16 and 8.
        Assert.Equal([24, 16, 8], Enumerable.Range(0, 3).Select(c => labels[..48].Count(l => l == c)));

        // Within a class the order is a fixed shuffle, not the names' order.
        string[] class0 = [.. source.Files.Where(f => f.Contains("class0", StringComparison.Ordinal))];
        Assert.NotEqual(class0.Order(StringComparer.Ordinal), class0);
    }

    [Fact]
    public void The_order_depends_on_the_names_alone_not_on_the_order_files_were_written()
    {
        string first = Path.Combine(TestPaths.NewTempDirectory(), "set"), second = Path.Combine(TestPaths.NewTempDirectory(), "set");
        string[] names = [.. Enumerable.Range(0, 12).Select(i => $"img{i}.png")];
        foreach (string name in names)
        {
            WriteImage(Path.Combine(first, "x", name));
            WriteImage(Path.Combine(first, "y", name));
        }

        foreach (string name in names.Reverse())
        {
            WriteImage(Path.Combine(second, "y", name));
            WriteImage(Path.Combine(second, "x", name));
        }

        Assert.Equal(Open(first).Files.Select(f => Path.GetRelativePath(first, f)), Open(second).Files.Select(f => Path.GetRelativePath(second, f)));
        // The within-class order, computed independently in Python (64-bit FNV-1a of the UTF-8 name, then the SplitMix64 finalizer, ascending):
        // img5 img10 img11 img0 img1 img6 img7 img3 img9 img8 img2 img4; the two classes of 12 alternate, x first.
        string[] expected = [.. PythonOrder.SelectMany(i => new[] { Path.Combine("x", $"img{i}.png"), Path.Combine("y", $"img{i}.png") })];
        Assert.Equal(expected, Open(first).Files.Select(f => Path.GetRelativePath(first, f)));
    }

    [Fact]
    public void Train_and_test_folders_make_the_official_test_part_after_the_training_part()
    {
        string root = TestPaths.NewTempDirectory();
        foreach (string c in new[] { "ant", "bee" })
        {
            for (int i = 0; i < 5; i++)
            {
                WriteImage(Path.Combine(root, "train", c, $"{i}.png"));
            }

            for (int i = 0; i < 2; i++)
            {
                WriteImage(Path.Combine(root, "test", c, $"{i}.png"));
            }
        }

        ImageFolderSource source = Open(root);
        Assert.Equal(["ant", "bee"], source.ClassNames);
        Assert.Equal((10, 4), (source.TrainCount, source.TestCount));
        Assert.All(source.Files.Take(10), f => Assert.StartsWith(Path.Combine(root, "train") + Path.DirectorySeparatorChar, f));
        Assert.All(source.Files.Skip(10), f => Assert.StartsWith(Path.Combine(root, "test") + Path.DirectorySeparatorChar, f));
    }

    [Fact]
    public void Links_to_folders_are_never_followed_so_a_loop_adds_no_class_and_no_file_twice()
    {
        string root = TestPaths.NewTempDirectory();
        foreach (string c in new[] { "disc", "tri" })
        {
            for (int i = 0; i < 3; i++)
            {
                WriteImage(Path.Combine(root, c, $"{i}.png"));
            }
        }

        Directory.CreateSymbolicLink(Path.Combine(root, "loop"), ".."); // a class folder linking to the parent
        Directory.CreateSymbolicLink(Path.Combine(root, "disc", "sub"), "."); // a loop inside a class
        Directory.CreateSymbolicLink(Path.Combine(root, "tri", "other"), Path.Combine(root, "disc")); // another class's images
        File.CreateSymbolicLink(Path.Combine(root, "tri", "linked.png"), Path.Combine(root, "disc", "0.png")); // a link to a file is read

        ImageFolderSource source = Open(root);
        Assert.Equal(["disc", "tri"], source.ClassNames);
        Assert.Equal(7, source.Count);
        Assert.Equal(source.Files.Count, source.Files.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(Path.Combine(root, "tri", "linked.png"), source.Files);
    }

    [Fact]
    public void A_folder_beside_train_and_test_is_refused_naming_it()
    {
        string root = TestPaths.NewTempDirectory();
        foreach (string part in new[] { "train", "test" })
        {
            foreach (string c in new[] { "ant", "bee" })
            {
                WriteImage(Path.Combine(root, part, c, "0.png"));
            }
        }

        WriteImage(Path.Combine(root, "extra", "0.png"));
        WriteImage(Path.Combine(root, "more", "0.png"));
        var e = Assert.Throws<InvalidDataException>(() => Open(root));
        Assert.Equal($"{root}: holds train and test and also 'extra', 'more'; expected only train and test (each holding the class folders), or only class folders", e.Message);
    }

    [Fact]
    public void Train_and_test_folders_that_hold_images_themselves_are_two_classes()
    {
        string root = TestPaths.NewTempDirectory();
        WriteImage(Path.Combine(root, "train", "a.png"));
        WriteImage(Path.Combine(root, "test", "b.png"));
        ImageFolderSource source = Open(root);
        Assert.Equal(["test", "train"], source.ClassNames);
        Assert.Equal((2, 0), (source.TrainCount, source.TestCount));
    }

    [Fact]
    public void Images_of_one_size_keep_it_mixed_sizes_give_28x28_and_ImageSize_overrides_both()
    {
        string same = TestPaths.NewTempDirectory();
        WriteImage(Path.Combine(same, "a", "1.png"), width: 40, height: 24);
        WriteImage(Path.Combine(same, "b", "2.png"), width: 40, height: 24);
        Assert.Equal(new ImageShape(24, 40), Open(same).Shape);

        string mixed = TestPaths.NewTempDirectory();
        WriteImage(Path.Combine(mixed, "a", "1.png"), width: 32, height: 32);
        WriteImage(Path.Combine(mixed, "b", "2.png"), width: 40, height: 40);
        ImageFolderSource source = Open(mixed);
        Assert.Equal(new ImageShape(28, 28), source.Shape);
        Dataset all = source.LoadAll();
        Assert.Equal((2, 784), (all.Images.Count, all.Images.Features));

        // Photos of one size larger than 128 a side: 28x28 too, not 30,000 inputs.
        string large = TestPaths.NewTempDirectory();
        WriteImage(Path.Combine(large, "a", "1.png"), width: 200, height: 150);
        WriteImage(Path.Combine(large, "b", "2.png"), width: 200, height: 150);
        Assert.Equal(new ImageShape(28, 28), Open(large).Shape);
        WriteImage(Path.Combine(large, "a", "1.png"), width: 128, height: 128);
        WriteImage(Path.Combine(large, "b", "2.png"), width: 128, height: 128);
        Assert.Equal(new ImageShape(128, 128), Open(large).Shape);

        ImageFolderSource sized = Open(mixed, new ImageShape(10, 12));
        Assert.Equal(new ImageShape(10, 12), sized.Shape);
        Assert.Equal(120, sized.LoadAll().Images.Features);
    }

    [Fact]
    public void Pixels_are_those_predict_makes_of_each_file()
    {
        string root = TestPaths.NewTempDirectory();
        WriteImage(Path.Combine(root, "a", "dark-on-light.png"), width: 20, height: 30, value: 0);
        WriteImage(Path.Combine(root, "b", "light.png"), width: 30, height: 20, value: 255);
        ImageFolderSource source = Open(root, new ImageShape(28, 28));
        Dataset all = source.LoadAll();
        for (int i = 0; i < source.Count; i++)
        {
            Assert.Equal(ImageFiles.Read(source.Files[i], [28, 28]).Pixels, all.Images.Image(i).ToArray());
        }

        // Loading the same folder again gives the same bytes (decoding runs in parallel).
        Assert.Equal(all.Images.Pixels.ToArray(), Open(root, new ImageShape(28, 28)).LoadAll().Images.Pixels.ToArray());
    }

    [Fact]
    public void Loading_the_first_m_decodes_only_those()
    {
        string root = ShapeImages.Write(TestPaths.NewTempDirectory(), 5, seed: 3);
        ImageFolderSource source = Open(root, new ImageShape(32, 32));
        string last = source.Files[^1];
        File.WriteAllText(last, "no longer an image");
        Assert.Equal(14, source.Load(14).Images.Count);
        var e = Assert.Throws<InvalidDataException>(() => source.LoadAll());
        Assert.StartsWith($"{last}: expected an image file", e.Message);
    }

    [Fact]
    public void A_folder_of_class_folders_is_recognised_and_IDX_CSV_or_image_less_folders_are_not()
    {
        string shapes = ShapeImages.Write(TestPaths.NewTempDirectory(), 2, seed: 4);
        Assert.True(ImageFolderSource.Recognizes(shapes));
        Assert.Equal("image-folder", DatasetSources.Resolve(new DataRequest { Path = shapes }).Name);

        File.WriteAllText(Path.Combine(shapes, "labels.csv"), "label\n");
        Assert.False(ImageFolderSource.Recognizes(shapes));

        string idx = BadDataTests.WriteSubset(10, 5);
        Directory.CreateDirectory(Path.Combine(idx, "notes"));
        Assert.False(ImageFolderSource.Recognizes(idx));
        Assert.Equal("fashion-mnist", DatasetSources.Resolve(new DataRequest { Path = idx }).Name);

        string text = TestPaths.NewTempDirectory();
        Directory.CreateDirectory(Path.Combine(text, "docs"));
        File.WriteAllText(Path.Combine(text, "docs", "a.txt"), "x");
        Assert.False(ImageFolderSource.Recognizes(text));
        Assert.False(ImageFolderSource.Recognizes(Path.Combine(text, "missing")));
    }

    [Fact]
    public void Without_a_reader_the_error_says_what_to_reference_and_call()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ImageFolderSource.RequireReader(null));
        Assert.Contains("reference AnnLab.Plots and call AnnLab.Plots.ImageFiles.UseForImageFolders()", e.Message, StringComparison.Ordinal);
    }
}

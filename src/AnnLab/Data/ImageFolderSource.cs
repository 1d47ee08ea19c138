using System.Runtime.ExceptionServices;
using System.Text;
using AnnLab.Network;
using AnnLab.Training;

namespace AnnLab.Data;

/// <summary>
/// A folder of image files with one subfolder per class, the layout of torchvision's
/// <c>ImageFolder</c> and Keras' <c>image_dataset_from_directory</c>:
/// <c>DIR/CLASS/IMAGE</c>, or <c>DIR/train/CLASS/IMAGE</c> and <c>DIR/test/CLASS/IMAGE</c>, whose
/// test part is the data set's official test part.
/// </summary>
/// <remarks>
/// <para>Classes: the class folders' names sorted ordinally (by UTF-16 code unit, as torchvision's
/// <c>sorted()</c>), label k the k-th; 2..256 of them. Images: the files under each class folder (at
/// any depth) whose extension, in any case, is one of <see cref="Extensions"/>; other files (README,
/// .DS_Store) and hidden files and folders (a name starting with '.') are skipped. Symbolic links to
/// folders are skipped wherever they are (as class folders too), never followed: a link back up the
/// tree would make a loop, and any link to a folder could count its images twice; links to files are
/// read. When the folder holds a <c>train</c> and a <c>test</c> folder that hold class folders, any other
/// subfolder beside them is refused, naming it.</para>
/// <para>Order: listing class by class would put all of class 0 first, and the lab split (the first
/// 80 % trains) would validate on the last class alone. So each part is ordered to mix the classes in
/// every prefix. Within a class, images are ordered by a hash of their path relative to the class
/// folder (SplitMix64 of its UTF-8 FNV-1a hash, ties by ordinal name): a fixed shuffle that does not
/// follow file names, and that adding a file does not reorder. The classes are then merged so that
/// image i of a class of n images sits at the fraction (i + 1/2) / n of the part (ties by label): every
/// prefix holds each class in proportion to its size, to within one image. The order depends on the
/// names alone: the same folder gives the same order on any machine (no file-system order, no time stamps).</para>
/// <para>Images are made into pixels as <c>annlab predict</c> makes an image file (see
/// <see cref="ImageFileReader"/>), on a canvas of <see cref="DataRequest.ImageSize"/>; without one, of
/// the images' own size when they all share one of at most <see cref="LargestOwnSize"/> pixels a side (read from their headers when opened), else 28x28
/// (a folder of photos becomes 28x28 images, not a network of millions of inputs).
/// Decoding runs in parallel; each image's pixels depend on its file alone, so the result does not
/// depend on the thread count, and a failure names the first bad file in the order above.</para>
/// </remarks>
public sealed class ImageFolderSource : DatasetSource
{
    /// <summary>The file extensions read as images (compared ignoring case): those SkiaSharp decodes.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    /// <summary>The canvas when the images differ in size and no <see cref="DataRequest.ImageSize"/> is given: Fashion-MNIST's.</summary>
    public static ImageShape DefaultShape { get; } = new(28, 28);

    /// <summary>The largest side, in pixels, of images kept at their own size when no <see cref="DataRequest.ImageSize"/> is given (128 x 128 = 16,384 inputs); larger ones become <see cref="DefaultShape"/>.</summary>
    public const int LargestOwnSize = 128;

    /// <summary>The subfolder names of the layout with an official test part.</summary>
    public const string TrainFolder = "train", TestFolder = "test";

    private static readonly EnumerationOptions Listing = new()
    {
        RecurseSubdirectories = false,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        IgnoreInaccessible = false,
        MatchType = MatchType.Simple,
    };

    private static volatile ImageFileReader? defaultReader;

    private readonly string[] files; // Count paths, in the order of the images
    private readonly byte[] labels; // Count labels
    private readonly ImageFileReader reader;

    private ImageFolderSource(string folder, ImageShape shape, IReadOnlyList<string> classNames, string[] files, byte[] labels, int trainCount, ImageFileReader reader)
        : base(System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(folder)) is { Length: > 0 } name ? name : folder, folder, shape, classNames, trainCount, files.Length - trainCount)
    {
        this.files = files;
        this.labels = labels;
        this.reader = reader;
    }

    /// <summary>
    /// The reader <see cref="Open"/> uses when given none, and so the <c>image-folder</c> line of
    /// <see cref="DatasetSources.All"/>: null until set; <c>AnnLab.Plots.ImageFiles.UseForImageFolders()</c> sets SkiaSharp's.
    /// </summary>
    public static ImageFileReader? DefaultReader
    {
        get => defaultReader;
        set => defaultReader = value;
    }

    /// <summary>The folder.</summary>
    public string Folder => Location;

    /// <summary>The image files, training part first, in the order of the images (see the remarks).</summary>
    public IReadOnlyList<string> Files => files;

    /// <summary>The label of each of <see cref="Files"/>.</summary>
    public ReadOnlyMemory<byte> Labels => labels;

    /// <summary>Whether <paramref name="path"/> looks like a folder of images, from names alone: a folder holding no IDX or CSV file whose subfolders (or train and test folders' subfolders) hold at least one image file.</summary>
    public static bool Recognizes(string path)
    {
        if (!Directory.Exists(path))
        {
            return false;
        }

        try
        {
            if (Directory.EnumerateFiles(path, "*", Listing).Any(IsTableOrIdx))
            {
                return false;
            }

            return Subfolders(path).Any(d => FilesUnder(d).Any(IsImage));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The folder <see cref="DataRequest.Path"/> names, made absolute.</summary>
    /// <exception cref="OptionOutOfRangeException">No path (option <c>Path</c>).</exception>
    /// <exception cref="DirectoryNotFoundException">No such folder, or a file; the message names it.</exception>
    public static string Locate(DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Path))
        {
            throw new OptionOutOfRangeException(nameof(DataRequest.Path), "none", "the folder of images, one subfolder per class");
        }

        string folder = System.IO.Path.GetFullPath(request.Path);
        if (File.Exists(folder))
        {
            throw new DirectoryNotFoundException($"{folder}: is a file; expected a folder of images with one subfolder per class");
        }

        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"{folder}: no such folder; expected a folder of images with one subfolder per class");
        }

        return folder;
    }

    /// <summary>
    /// Opens a folder of images: lists its classes and images, and, without an
    /// <see cref="DataRequest.ImageSize"/>, reads every image's header for its size (no pixels yet).
    /// </summary>
    /// <param name="folder">The folder: class subfolders, or exactly a <c>train</c> and a <c>test</c> folder that each hold the same class subfolders.</param>
    /// <param name="request">The request; its <see cref="DataRequest.ImageSize"/> (at most 1 channel) is the canvas; its <see cref="DataRequest.ClassNames"/> must be null (the folders name the classes).</param>
    /// <param name="reader">The image reader; null for <see cref="DefaultReader"/>.</param>
    /// <returns>The source; <see cref="DatasetSource.Load(int)"/> of the first m decodes only those.</returns>
    /// <exception cref="InvalidOperationException">No reader given and no <see cref="DefaultReader"/> set; the message says what to reference and call.</exception>
    /// <exception cref="OptionOutOfRangeException"><see cref="DataRequest.ClassNames"/> given, or an <see cref="DataRequest.ImageSize"/> of more than one channel.</exception>
    /// <exception cref="DirectoryNotFoundException">No such folder.</exception>
    /// <exception cref="InvalidDataException">No class folder, fewer than 2 or more than 256, an empty class folder, test classes other than the training classes, or a file that is no image; the message names the folder or file.</exception>
    /// <exception cref="IOException">A file or folder cannot be read.</exception>
    public static ImageFolderSource Open(string folder, DataRequest request, ImageFileReader? reader = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(request);
        reader = RequireReader(reader ?? DefaultReader);
        if (request.ClassNames is not null)
        {
            throw new OptionOutOfRangeException(nameof(DataRequest.ClassNames), request.ClassNames, "none for a folder of images (its subfolders name the classes)");
        }

        if (request.ImageSize is { Channels: not 1 } size)
        {
            throw new OptionOutOfRangeException(nameof(DataRequest.ImageSize), size.ToString(), "ROWSxCOLUMNS (images are read as grayscale)");
        }

        folder = Locate(new DataRequest { Path = folder });
        string? trainRoot = null, testRoot = null;
        if (SplitLayout(folder) is { } split)
        {
            (trainRoot, testRoot) = split;
        }

        List<(string Name, string[] Files)> train = Classes(trainRoot ?? folder);
        (string[] trainFiles, byte[] trainLabels) = Interleave(train);
        string[] allFiles = trainFiles;
        byte[] allLabels = trainLabels;
        if (testRoot is not null)
        {
            List<(string Name, string[] Files)> test = Classes(testRoot);
            CheckSameClasses(trainRoot!, train, testRoot, test);
            (string[] testFiles, byte[] testLabels) = Interleave(test);
            allFiles = [.. trainFiles, .. testFiles];
            allLabels = [.. trainLabels, .. testLabels];
        }

        ImageShape shape = request.ImageSize ?? SharedSize(allFiles, reader) ?? DefaultShape;
        return new ImageFolderSource(folder, shape, [.. train.Select(c => c.Name)], allFiles, allLabels, trainFiles.Length, reader);
    }

    /// <inheritdoc/>
    protected override ImageSet ReadFirst(int count)
    {
        int pixels = Shape.Pixels;
        var data = new byte[(long)count * pixels]; // count x rows x columns
        var failures = new ExceptionDispatchInfo?[count];
        Parallel.For(0, count, i =>
        {
            try
            {
                byte[] image = reader.Read(files[i], Shape);
                if (image.Length != pixels)
                {
                    throw new InvalidDataException($"{files[i]}: the image reader gave {image.Length} pixels, expected {pixels} ({Shape})");
                }

                image.CopyTo(data, (long)i * pixels);
            }
            catch (Exception e)
            {
                failures[i] = ExceptionDispatchInfo.Capture(e);
            }
        });

        // The first bad file in the images' order, whichever thread met it first.
        Array.Find(failures, f => f is not null)?.Throw();
        return new ImageSet(data, labels.AsMemory(0, count).ToArray(), pixels, Shape.Rows, Shape.Columns);
    }

    /// <summary>The reader given, else the error saying how to get one.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="reader"/> is null.</exception>
    internal static ImageFileReader RequireReader(ImageFileReader? reader)
        => reader ?? throw new InvalidOperationException(
            "reading a folder of images needs an image decoder, which the core library AnnLab does not hold: reference AnnLab.Plots and call AnnLab.Plots.ImageFiles.UseForImageFolders() at start-up (the annlab program does), or pass an ImageFileReader to ImageFolderSource.Open");

    private static bool IsImage(string path) => Extensions.Contains(System.IO.Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    private static bool IsTableOrIdx(string path)
    {
        string name = System.IO.Path.GetFileName(path).ToLowerInvariant();
        return name.EndsWith(".csv", StringComparison.Ordinal) || name.EndsWith(".csv.gz", StringComparison.Ordinal) || name.Contains("-ubyte", StringComparison.Ordinal) || name.Contains(".idx", StringComparison.Ordinal);
    }

    // The visible subfolders that are not links to folders, by ordinal name. A link to a folder is
    // never followed: it may point back up the tree (a loop) or at images listed elsewhere, either of
    // which would count one file more than once.
    private static string[] Subfolders(string folder)
    {
        string[] folders = [.. Directory.EnumerateDirectories(folder, "*", Listing).Where(d => !System.IO.Path.GetFileName(d).StartsWith('.') && new DirectoryInfo(d).LinkTarget is null)];
        Array.Sort(folders, StringComparer.Ordinal);
        return folders;
    }

    // The visible files under folder, at any depth, through subfolders that are not links (see Subfolders): each file once.
    private static IEnumerable<string> FilesUnder(string folder)
    {
        var pending = new Stack<string>([folder]);
        while (pending.Count > 0)
        {
            string current = pending.Pop();
            foreach (string file in Directory.EnumerateFiles(current, "*", Listing))
            {
                yield return file;
            }

            foreach (string sub in Subfolders(current))
            {
                pending.Push(sub);
            }
        }
    }

    // train and test, when both are subfolders and each holds folders rather than images; any other subfolder beside them is then an error.
    private static (string Train, string Test)? SplitLayout(string folder)
    {
        string[] folders = Subfolders(folder);
        string test = System.IO.Path.Combine(folder, TestFolder), train = System.IO.Path.Combine(folder, TrainFolder);
        if (!folders.Contains(test, StringComparer.Ordinal) || !folders.Contains(train, StringComparer.Ordinal))
        {
            return null;
        }

        bool HoldsClasses(string d) => Subfolders(d).Length > 0 && !Directory.EnumerateFiles(d, "*", Listing).Any(IsImage);
        if (!HoldsClasses(train) || !HoldsClasses(test))
        {
            return null;
        }

        string[] others = [.. folders.Where(d => d != train && d != test).Select(System.IO.Path.GetFileName).OfType<string>()];
        if (others.Length > 0)
        {
            throw new InvalidDataException($"{folder}: holds {TrainFolder} and {TestFolder} and also {string.Join(", ", others.Select(o => $"'{o}'"))}; expected only {TrainFolder} and {TestFolder} (each holding the class folders), or only class folders");
        }

        return (train, test);
    }

    // The class folders of root and their image files (relative to the class folder), each checked to hold one.
    private static List<(string Name, string[] Files)> Classes(string root)
    {
        string[] folders = Subfolders(root);
        string extensions = string.Join(", ", Extensions);
        if (folders.Length == 0)
        {
            throw new InvalidDataException($"{root}: holds no class folders; expected one subfolder of image files ({extensions}) per class, or a {TrainFolder} and a {TestFolder} folder that hold them");
        }

        if (folders.Length < 2)
        {
            throw new InvalidDataException($"{root}: holds 1 class folder, '{System.IO.Path.GetFileName(folders[0])}'; expected at least 2, one subfolder of image files per class");
        }

        if (folders.Length > 256)
        {
            throw new InvalidDataException($"{root}: holds {folders.Length} class folders; expected at most 256");
        }

        var classes = new List<(string Name, string[] Files)>(folders.Length);
        foreach (string folder in folders)
        {
            string[] images = [.. FilesUnder(folder).Where(IsImage).Where(f => !IsHidden(folder, f))];
            if (images.Length == 0)
            {
                throw new InvalidDataException($"{folder}: holds no image files; expected at least one ({extensions}) in each class folder");
            }

            classes.Add((System.IO.Path.GetFileName(folder), OrderWithinClass(folder, images)));
        }

        return classes;
    }

    // A file under a folder whose name (or its own) starts with '.', for systems that do not mark them hidden.
    private static bool IsHidden(string classFolder, string file)
        => System.IO.Path.GetRelativePath(classFolder, file).Split(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar).Any(part => part.StartsWith('.'));

    // By the SplitMix64 of the relative path's FNV-1a hash, then by the path: a fixed shuffle of the names.
    private static string[] OrderWithinClass(string classFolder, string[] images)
    {
        var keyed = images.Select(f =>
        {
            string relative = System.IO.Path.GetRelativePath(classFolder, f).Replace('\\', '/');
            return (Key: CounterRandom.Next(0, 0, Fnv1a(relative)), Relative: relative, Path: f);
        }).ToList();
        keyed.Sort((a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : string.CompareOrdinal(a.Relative, b.Relative));
        return [.. keyed.Select(k => k.Path)];
    }

    // FNV-1a, 64 bits, of the UTF-8 bytes (Fowler, Noll and Vo; IETF draft-eastlake-fnv).
    private static ulong Fnv1a(string text)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 0x100000001B3UL;
        }

        return hash;
    }

    // Image i of class c (n_c images) at (2i + 1) / (2 n_c) of the part; ties by label. Compared exactly, in integers.
    private static (string[] Files, byte[] Labels) Interleave(List<(string Name, string[] Files)> classes)
    {
        var items = new List<(int Index, int Class, int Size)>();
        for (int c = 0; c < classes.Count; c++)
        {
            for (int i = 0; i < classes[c].Files.Length; i++)
            {
                items.Add((i, c, classes[c].Files.Length));
            }
        }

        items.Sort((a, b) =>
        {
            int byPlace = (((2L * a.Index) + 1) * b.Size).CompareTo(((2L * b.Index) + 1) * a.Size);
            return byPlace != 0 ? byPlace : a.Class.CompareTo(b.Class);
        });
        return ([.. items.Select(t => classes[t.Class].Files[t.Index])], [.. items.Select(t => (byte)t.Class)]);
    }

    private static void CheckSameClasses(string trainRoot, List<(string Name, string[] Files)> train, string testRoot, List<(string Name, string[] Files)> test)
    {
        string[] trainNames = [.. train.Select(c => c.Name)], testNames = [.. test.Select(c => c.Name)];
        if (trainNames.Except(testNames, StringComparer.Ordinal).FirstOrDefault() is { } missing)
        {
            throw new InvalidDataException($"{testRoot}: has no class folder '{missing}', which {trainRoot} has; expected the same class folders in both");
        }

        if (testNames.Except(trainNames, StringComparer.Ordinal).FirstOrDefault() is { } extra)
        {
            throw new InvalidDataException($"{System.IO.Path.Combine(testRoot, extra)}: a class folder that {trainRoot} lacks; expected the same class folders in both");
        }
    }

    // The images' size when they all share one (read from headers, in parallel; the first bad file in order named), else null.
    private static ImageShape? SharedSize(string[] paths, ImageFileReader reader)
    {
        var sizes = new (int Width, int Height)[paths.Length];
        var failures = new ExceptionDispatchInfo?[paths.Length];
        Parallel.For(0, paths.Length, i =>
        {
            try
            {
                sizes[i] = reader.ReadSize(paths[i]);
            }
            catch (Exception e)
            {
                failures[i] = ExceptionDispatchInfo.Capture(e);
            }
        });

        Array.Find(failures, f => f is not null)?.Throw();
        return sizes.All(s => s == sizes[0]) && sizes[0].Width is >= 1 and <= LargestOwnSize && sizes[0].Height is >= 1 and <= LargestOwnSize
            ? new ImageShape(sizes[0].Height, sizes[0].Width)
            : null;
    }
}

using System.Globalization;

namespace AnnLab.Data;

/// <summary>
/// The published IDX data sets AnnLab knows, as data (<see cref="KnownIdxDataset"/>): Fashion-MNIST
/// (the only one that ships), MNIST, KMNIST and three EMNIST splits.
/// </summary>
/// <remarks>
/// Checksums: the publishers give the MD5 of each .gz file (as torchvision lists them); another gzip
/// of the same content has other bytes, so a file is also the original when its decompressed content
/// has the original's SHA-256, where that is known (Fashion-MNIST's four, MNIST's but train-images).
/// KMNIST has MD5s only. EMNIST publishes only the MD5 of its whole zip, so its files get the shape and
/// count checks only.
/// </remarks>
public static class KnownIdxDatasets
{
    private const string MnistFamilyUrl = "https://yann.lecun.com/exdb/mnist/";
    private const string EmnistUrl = "https://www.nist.gov/itl/products-and-services/emnist-dataset";

    private static readonly ImageShape Square28 = new(28, 28);

    /// <summary>
    /// MNIST (LeCun, Cortes and Burges, "The MNIST database of handwritten digits", https://yann.lecun.com/exdb/mnist/;
    /// mirror https://ossci-datasets.s3.amazonaws.com/mnist/): 60,000 training and 10,000 test handwritten digits of 28x28, classes "0".."9".
    /// </summary>
    public static KnownIdxDataset Mnist { get; } = new(
        "mnist", "MNIST", "LeCun, Cortes and Burges' MNIST, 70,000 28x28 handwritten digits in 10 classes (yann.lecun.com/exdb/mnist)",
        MnistFamilyUrl + " (mirror https://ossci-datasets.s3.amazonaws.com/mnist/)", FashionMnist.IdxFiles, Digits,
        new KnownIdxData(Square28, new Dictionary<string, KnownIdxFile>
        {
            [FashionMnist.TrainImagesFile] = new(60_000, null, "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            [FashionMnist.TrainLabelsFile] = new(60_000, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", "d53e105ee54ea40749a09fcbcd1e9432"),
            [FashionMnist.TestImagesFile] = new(10_000, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", "9fb629c4189551a2d022fa330f9573f3"),
            [FashionMnist.TestLabelsFile] = new(10_000, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", "ec29112dd5afa0611ce80d1b7f02629c"),
        }));

    /// <summary>
    /// Kuzushiji-MNIST (Clanuwat et al. 2018, "Deep Learning for Classical Japanese Literature", arXiv:1812.01718,
    /// http://codh.rois.ac.jp/kmnist/): 60,000 training and 10,000 test cursive hiragana of 28x28 in 10 classes,
    /// named by romanisation (o, ki, su, tsu, na, ha, ma, ya, re, wo) because the figures' font has no kana.
    /// </summary>
    public static KnownIdxDataset Kmnist { get; } = new(
        "kmnist", "KMNIST", "Clanuwat et al.'s Kuzushiji-MNIST, 70,000 28x28 cursive hiragana in 10 classes (codh.rois.ac.jp/kmnist)",
        "http://codh.rois.ac.jp/kmnist/", FashionMnist.IdxFiles, ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"],
        new KnownIdxData(Square28, new Dictionary<string, KnownIdxFile>
        {
            [FashionMnist.TrainImagesFile] = new(60_000, null, "bdb82020997e1d708af4cf47b453dcf7"),
            [FashionMnist.TrainLabelsFile] = new(60_000, null, "e144d726b3acfaa3e44228e80efcd344"),
            [FashionMnist.TestImagesFile] = new(10_000, null, "5c965bf0a639b31b8f53240b1b52f4d7"),
            [FashionMnist.TestLabelsFile] = new(10_000, null, "7320c461ea6c1c855c0b718fb2a4b134"),
        }));

    /// <summary>
    /// EMNIST Balanced (Cohen, Afshar, Tapson and van Schaik 2017, "EMNIST: an extension of MNIST to handwritten
    /// letters", arXiv:1702.05373): 112,800 training and 18,800 test characters of 28x28 in 47 classes: 0-9, A-Z,
    /// then the lower-case letters unlike their capitals (a b d e f g h n q r t). Stored transposed.
    /// </summary>
    public static KnownIdxDataset EmnistBalanced { get; } = Emnist(
        "balanced", "EMNIST Balanced", "47 classes (digits, letters; merged where upper and lower case look alike)", 112_800, 18_800,
        [.. Digits, .. Letters('A', 26), "a", "b", "d", "e", "f", "g", "h", "n", "q", "r", "t"]);

    /// <summary>EMNIST Letters (as <see cref="EmnistBalanced"/>): 124,800 training and 20,800 test letters in 26 classes a..z; the files' labels 1..26 become 0..25.</summary>
    public static KnownIdxDataset EmnistLetters { get; } = Emnist(
        "letters", "EMNIST Letters", "26 classes a..z (upper and lower case merged; the files' labels 1..26 read as 0..25)", 124_800, 20_800, Letters('a', 26), labelOffset: 1);

    /// <summary>EMNIST Digits (as <see cref="EmnistBalanced"/>): 240,000 training and 40,000 test digits in 10 classes "0".."9".</summary>
    public static KnownIdxDataset EmnistDigits { get; } = Emnist(
        "digits", "EMNIST Digits", "10 classes 0..9", 240_000, 40_000, Digits);

    /// <summary>Every known IDX data set, Fashion-MNIST first: the order of their lines in <see cref="DatasetSources.All"/>.</summary>
    public static IReadOnlyList<KnownIdxDataset> All { get; } = [FashionMnist.Dataset, Mnist, Kmnist, EmnistBalanced, EmnistLetters, EmnistDigits];

    /// <summary>The known data set and file whose original has these checksums, or null.</summary>
    /// <param name="sha256">SHA-256 of the decompressed content.</param>
    /// <param name="gzipMd5">MD5 of the gzip bytes, or null for a raw file.</param>
    public static (KnownIdxDataset Dataset, string File)? Identify(string sha256, string? gzipMd5)
    {
        foreach (KnownIdxDataset dataset in All)
        {
            foreach ((string file, KnownIdxFile spec) in dataset.Known.Files)
            {
                if (spec.IsOriginal(sha256, gzipMd5))
                {
                    return (dataset, file);
                }
            }
        }

        return null;
    }

    private static IReadOnlyList<string> Digits => ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    private static string[] Letters(char first, int count) => [.. Enumerable.Range(first, count).Select(c => ((char)c).ToString())];

    // emnist-<split>-{train,test}-{images-idx3,labels-idx1}-ubyte.gz, 28x28, stored transposed; no per-file checksum is published.
    private static KnownIdxDataset Emnist(string split, string displayName, string classes, int train, int test, IReadOnlyList<string> classNames, int labelOffset = 0)
    {
        string prefix = $"emnist-{split}-";
        var files = new IdxFiles(prefix + "train-images-idx3-ubyte.gz", prefix + "train-labels-idx1-ubyte.gz", prefix + "test-images-idx3-ubyte.gz", prefix + "test-labels-idx1-ubyte.gz");
        return new KnownIdxDataset(
            "emnist-" + split, displayName,
            string.Create(CultureInfo.InvariantCulture, $"Cohen et al.'s {displayName}, {train + test:N0} 28x28 handwritten characters in {classes} (nist.gov EMNIST)"),
            EmnistUrl + " (the gzip folder of its zip)", files, classNames,
            new KnownIdxData(Square28, new Dictionary<string, KnownIdxFile>
            {
                [files.TrainImages] = new(train, null),
                [files.TrainLabels] = new(train, null),
                [files.TestImages!] = new(test, null),
                [files.TestLabels!] = new(test, null),
            }),
            Transposed: true, LabelOffset: labelOffset);
    }
}

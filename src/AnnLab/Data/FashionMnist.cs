namespace AnnLab.Data;

/// <summary>Facts about the Fashion-MNIST data set (Xiao, Rasul and Vollgraf, 2017, arXiv:1708.07747).</summary>
public static class FashionMnist
{
    /// <summary>The class names, indexed by label 0..9.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    /// <summary>File names of the four original IDX files.</summary>
    public const string TrainImagesFile = "train-images-idx3-ubyte.gz";
    /// <summary>Training labels file.</summary>
    public const string TrainLabelsFile = "train-labels-idx1-ubyte.gz";
    /// <summary>Test images file.</summary>
    public const string TestImagesFile = "t10k-images-idx3-ubyte.gz";
    /// <summary>Test labels file.</summary>
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte.gz";
}

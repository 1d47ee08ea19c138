using System.Text;
using AnnLab.Network;
using AnnLab.Training;

namespace AnnLab.Data;

/// <summary>
/// A data set on disk before its images are read: its name, where it is, its image shape, its
/// class names and how many images its official training and test parts hold, all known from
/// headers; the images come with <see cref="Load"/>, which reads only the first m when that is
/// all a split needs.
/// </summary>
/// <remarks>
/// <para>Every command goes through one path: open the source, check <c>--samples</c> and
/// <c>--train-fraction</c> against it (<see cref="CheckSplit"/>), load what the split needs
/// (<see cref="LoadFor"/>), cut it (<see cref="Dataset.Split"/>). The network's input size is
/// <see cref="Shape"/>'s pixels and its output count <see cref="ClassNames"/>' count.</para>
/// <para>A new data set is one new file: a subclass that reads its headers (or otherwise learns
/// its shape, classes and counts) when opened and implements <see cref="ReadFirst"/>, or, for a
/// published IDX data set, one <see cref="KnownIdxDataset"/> (data, not code) in <see cref="KnownIdxDatasets"/>;
/// plus one line in <see cref="DatasetSources"/>. The
/// splits, the checks and every command then work with it unchanged.</para>
/// </remarks>
public abstract class DatasetSource
{
    /// <summary>Sets what every data set states.</summary>
    /// <param name="name">Its name, e.g. "Fashion-MNIST" (used in messages).</param>
    /// <param name="location">Where it is (a folder or file; used in messages).</param>
    /// <param name="shape">The shape of every image.</param>
    /// <param name="classNames">One name per class, 1..256 of them; label k names class k.</param>
    /// <param name="trainCount">Images in its official training part, at least 0.</param>
    /// <param name="testCount">Images in its official test part, which follow the training part; 0 when it has none.</param>
    /// <exception cref="ArgumentException">No name, or not 1..256 class names.</exception>
    /// <exception cref="InvalidDataException">A class name longer than <see cref="ModelFile.MaxStringBytes"/> UTF-8 bytes; names <paramref name="location"/> and the class.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative count, or more than <see cref="int.MaxValue"/> images in all.</exception>
    protected DatasetSource(string name, string location, ImageShape shape, IReadOnlyList<string> classNames, int trainCount, int testCount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count is < 1 or > 256)
        {
            throw new ArgumentException($"{name}: expected 1..256 class names, got {classNames.Count}", nameof(classNames));
        }

        // Every format's names (a class-names file, folder names, digits) end up in the model file, whose reader takes at most MaxStringBytes a name.
        for (int k = 0; k < classNames.Count; k++)
        {
            int bytes = Encoding.UTF8.GetByteCount(classNames[k]);
            if (bytes > ModelFile.MaxStringBytes)
            {
                throw new InvalidDataException($"{location}: the name of class {k} has {bytes} UTF-8 bytes, expected at most {ModelFile.MaxStringBytes} (the most a model file stores)");
            }
        }

        ArgumentOutOfRangeException.ThrowIfNegative(trainCount);
        ArgumentOutOfRangeException.ThrowIfNegative(testCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)trainCount + testCount, int.MaxValue, nameof(testCount));
        Name = name;
        Location = location;
        Shape = shape;
        ClassNames = classNames;
        TrainCount = trainCount;
        TestCount = testCount;
    }

    /// <summary>The data set's name, e.g. "Fashion-MNIST".</summary>
    public string Name { get; }

    /// <summary>Where it is read from.</summary>
    public string Location { get; }

    /// <summary>The shape of every image.</summary>
    public ImageShape Shape { get; }

    /// <summary>One name per class, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Images in the official training part (the first <see cref="TrainCount"/> images).</summary>
    public int TrainCount { get; }

    /// <summary>Images in the official test part, after the training part; 0 when there is none.</summary>
    public int TestCount { get; }

    /// <summary>All images, training part then test part: what <c>--samples all</c> means.</summary>
    public int Count => TrainCount + TestCount;

    /// <summary>"Fashion-MNIST: 70000 images of 28x28, 10 classes (60000 training, 10000 test)" and the like.</summary>
    public string Description => $"{Name}: {Count} images of {Shape}, {ClassNames.Count} classes ({TrainCount} training, " + (TestCount > 0 ? $"{TestCount} test)" : "no test part)");

    /// <summary>
    /// Checks the split's options against this data set before anything is loaded; the same checks
    /// <see cref="Dataset.Split"/> makes (except stratified's per-class rounding, which needs the labels).
    /// </summary>
    /// <param name="kind">The split.</param>
    /// <param name="samples">m, 2..<see cref="Count"/> (ignored by <c>official</c>, which takes the training part).</param>
    /// <param name="trainFraction">F, strictly between 0 and 1, leaving both parts at least one image.</param>
    /// <exception cref="OptionOutOfRangeException">Option <c>--samples</c> or <c>--train-fraction</c> out of range: names the value and the range.</exception>
    /// <exception cref="InvalidDataException">The data set (official: its training part) holds fewer than 2 images; names it.</exception>
    public void CheckSplit(SplitKind kind, int samples, double trainFraction)
        => Dataset.CheckSplit(Name, kind, samples, trainFraction, Count, TrainCount, $"{Name} in {Location}");

    /// <summary>
    /// Checks, before anything is loaded, that <paramref name="part"/> of the split exists: a test
    /// part needs a data set with one, and a lab or stratified split whose first m images stay in
    /// the training part (<see cref="Dataset.Part"/>).
    /// </summary>
    /// <param name="kind">The split.</param>
    /// <param name="samples">m.</param>
    /// <param name="part">The part to be measured.</param>
    /// <exception cref="OptionOutOfRangeException">Option <c>--part</c>: the part does not exist for this split; the message says why and what to give.</exception>
    public void CheckPart(SplitKind kind, int samples, SplitPart part)
        => Dataset.CheckPart(Name, kind, samples, part, TrainCount, TestCount);

    /// <summary>Reads the first <paramref name="count"/> images.</summary>
    /// <param name="count">Images wanted, 0..<see cref="Count"/>; <see cref="Count"/> reads (and checks) everything.</param>
    /// <returns>The data set over those images: training part first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is outside 0..<see cref="Count"/>.</exception>
    /// <exception cref="InvalidDataException">The data are malformed, or not of <see cref="Shape"/>; the message names the file.</exception>
    /// <exception cref="IOException">The data cannot be read.</exception>
    public Dataset Load(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        ImageSet images = ReadFirst(count);
        if (images.Count != count || images.Features != Shape.Pixels)
        {
            throw new InvalidDataException($"{Location}: expected {count} images of {Shape} ({Shape.Pixels} pixels), got {images.Count} of {images.Features} pixels");
        }

        return new Dataset(Name, Shape, ClassNames, images, TrainCount, TestCount);
    }

    /// <summary>Reads every image: <see cref="Load"/> of <see cref="Count"/>.</summary>
    /// <exception cref="InvalidDataException">The data are malformed; the message names the file.</exception>
    /// <exception cref="IOException">The data cannot be read.</exception>
    public Dataset LoadAll() => Load(Count);

    /// <summary>Reads what <paramref name="kind"/> needs: everything for <see cref="SplitKind.Official"/>, else only the first <paramref name="samples"/>.</summary>
    /// <param name="kind">The split that will be cut.</param>
    /// <param name="samples">m, 2..<see cref="Count"/> (ignored by <see cref="SplitKind.Official"/>).</param>
    /// <exception cref="OptionOutOfRangeException"><paramref name="samples"/> is outside 2..<see cref="Count"/> (option <c>--samples</c>).</exception>
    /// <exception cref="InvalidDataException">The data are malformed; the message names the file.</exception>
    /// <exception cref="IOException">The data cannot be read.</exception>
    public Dataset LoadFor(SplitKind kind, int samples)
    {
        if (kind == SplitKind.Official)
        {
            return LoadAll();
        }

        Dataset.CheckSamples(samples, Count, $"{Name} in {Location}");
        return Load(samples);
    }

    /// <summary>Reads exactly the first <paramref name="count"/> images (0..<see cref="Count"/>), of <see cref="Shape"/>, with labels below the class count.</summary>
    /// <param name="count">Images to read; when it is <see cref="Count"/>, the whole data should be read and checked.</param>
    /// <exception cref="InvalidDataException">The data are malformed; the message names the file, the expected and the found value.</exception>
    /// <exception cref="IOException">The data cannot be read.</exception>
    protected abstract ImageSet ReadFirst(int count);
}

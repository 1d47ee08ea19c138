// Lab part 1: load the data and look at it.
// Run from the repository's root or from labs/:  dotnet run labs/01-data.cs  (or: dotnet run 01-data.cs)
// Prints the data's sizes, the 80/20 split and the class names; draws the lab's two grids of images.
#:project ../src/AnnLab.Plots/AnnLab.Plots.csproj

using AnnLab.Data;
using AnnLab.Plots;
using AnnLab.Training;

var lab = new TrainingOptions(); // the lab's settings: m = 5000 images, 80 % of them train, seed 1

// Find the data as annlab does ($ANNLAB_DATA, else data/fashion-mnist at or above the current folder)
// and read only its first m images.
(_, DatasetSource source) = DatasetSources.Open(new DataRequest());
Dataset data = source.LoadFor(SplitKind.Lab, lab.Samples);
DataSplit split = data.Split(SplitKind.Lab, lab.Samples, lab.TrainFraction, lab.Seed);
(ImageSet train, ImageSet validation) = (split.Train, split.Validation);
Console.WriteLine($"data: {source.Location}");
Console.WriteLine($"      {source.Description}");

// X is m x n (one image a row, pixel / 255 in 0..1), y holds m labels 0..K-1.
int m = train.Count + validation.Count, n = train.Features, k = data.ClassNames.Count;
Console.WriteLine($"X: {m} x {n} (images of {train.Rows}x{train.Columns} pixels, flattened), y: {m} labels in 0..{k - 1}");
Console.WriteLine($"split: {split.Description}");
Console.WriteLine($"X_train: {train.Count} x {n}, y_train: {train.Count}; X_val: {validation.Count} x {n}, y_val: {validation.Count}");
Console.WriteLine($"classes ({k}): {string.Join(", ", data.ClassNames.Select((name, label) => $"{label} {name}"))}");

ReadOnlySpan<byte> pixels = train.Pixels.Span;
double mean = 0;
foreach (byte p in pixels)
{
    mean += p / 255.0;
}

Console.WriteLine($"pixels of X_train: {pixels.Length} values, mean {mean / pixels.Length:F4} (0 = black background, 1 = white)");
Console.WriteLine($"first 10 labels of y_train: {string.Join(" ", train.Labels.Span[..10].ToArray())}");

// TASK: count the images of each class in the training part and in the validation part. Is the
// first-m split balanced enough, or should it be stratified?
// An answer:
int[] trainCounts = new int[k], validationCounts = new int[k];
foreach (byte label in train.Labels.Span)
{
    trainCounts[label]++;
}

foreach (byte label in validation.Labels.Span)
{
    validationCounts[label]++;
}

Console.WriteLine("images per class: training, validation");
for (int c = 0; c < k; c++)
{
    Console.WriteLine($"  {c} {data.ClassNames[c],-12} {trainCounts[c],5} {validationCounts[c],5}");
}

Console.WriteLine($"smallest and largest class in the training part: {trainCounts.Min()} and {trainCounts.Max()} images (a balanced split would give {train.Count / k})");

// The lab's two grids: the first 100 training images, and the same titled "index: class" (its index in the data set).
string output = Directory.CreateDirectory(Path.Combine("lab-output", "01-data")).FullName;
IReadOnlyList<string> written = LabFigures.Samples(output, train, data.ClassNames, split.IndicesOf(SplitPart.Training));
Console.WriteLine($"figures in {output}: {string.Join(", ", written.Select(Path.GetFileName))}");

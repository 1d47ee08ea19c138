// Lab part 6: the misclassified images. Train the lab's network and look at the validation images
// it gets wrong: how many, which classes, how sure it was, and a grid of them.
// Run: dotnet run labs/06-misclassified.cs  (from the repository's root; or dotnet run 06-misclassified.cs in labs/)
#:project ../src/AnnLab.Plots/AnnLab.Plots.csproj

using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Plots;
using AnnLab.Training;

var lab = new TrainingOptions(); // sgd, learning rate 0.1, lambda 1, batch 200, 500 epochs, seed 1
(_, DatasetSource source) = DatasetSources.Open(new DataRequest());
Dataset data = source.LoadFor(SplitKind.Lab, lab.Samples);
DataSplit split = data.Split(SplitKind.Lab, lab.Samples, lab.TrainFraction, lab.Seed);
(ImageSet train, ImageSet validation) = (split.Train, split.Validation);
var network = new NeuralNetwork([train.Features, .. lab.Hidden, data.ClassNames.Count], lab.Activation, inputShape: source.Shape.Dimensions);
var parameters = new float[network.ParameterCount];
new UniformInitializer(lab.InitEpsilon).Initialize<float>(network, parameters, lab.Seed);
TrainingResult result = Trainer.Train(network, parameters, train, lab);
Console.WriteLine($"data: {source.Location}: {split.Description}; network {network}: {result.Message}, {result.TrainSeconds:F2} s");

using var onValidation = new DatasetObjective<float>(network, validation, lab.Lambda, lab.Threads);
Evaluation evaluation = onValidation.Measure(parameters); // predictions, and h of each predicted class
IReadOnlyList<int> indices = split.IndicesOf(SplitPart.Validation); // each validation image's index in the data set
ReadOnlySpan<byte> labels = validation.Labels.Span;

// TASK: find the validation images the network gets wrong (prediction != label) and count them per
// true class: which class is hardest?
// An answer:
var wrong = new List<int>();
int[] wrongPerClass = new int[data.ClassNames.Count], imagesPerClass = new int[data.ClassNames.Count];
for (int i = 0; i < validation.Count; i++)
{
    imagesPerClass[labels[i]]++;
    if (evaluation.Predictions[i] != labels[i])
    {
        wrong.Add(i);
        wrongPerClass[labels[i]]++;
    }
}

Console.WriteLine($"misclassified: {wrong.Count} of {validation.Count} validation images ({100.0 * wrong.Count / validation.Count:F1} %)");
Console.WriteLine("wrong per true class:");
for (int c = 0; c < wrongPerClass.Length; c++)
{
    Console.WriteLine($"  {c} {data.ClassNames[c],-12} {wrongPerClass[c],3} of {imagesPerClass[c],3}  ({100.0 * wrongPerClass[c] / imagesPerClass[c],5:F1} %)");
}

Console.WriteLine("the first 10: image (index in the data set), true class -> predicted, its output h");
foreach (int i in wrong.Take(10))
{
    Console.WriteLine($"  #{indices[i],-5} {data.ClassNames[labels[i]],12} -> {data.ClassNames[evaluation.Predictions[i]],-12} h {evaluation.Probabilities[i]:F3}");
}

Console.WriteLine("the 5 it was surest of:");
foreach (int i in wrong.OrderByDescending(i => evaluation.Probabilities[i]).Take(5))
{
    Console.WriteLine($"  #{indices[i],-5} {data.ClassNames[labels[i]],12} -> {data.ClassNames[evaluation.Predictions[i]],-12} h {evaluation.Probabilities[i]:F3}");
}

string output = Directory.CreateDirectory(Path.Combine("lab-output", "06-misclassified")).FullName;
string figure = LabFigures.Misclassified(output, validation, evaluation.Predictions, data.ClassNames, indices);
Console.WriteLine($"figure in {output}: {Path.GetFileName(figure)} (the first 25, titled with their index, true -> predicted)");

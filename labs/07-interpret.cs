// Lab part 7: interpreting the network. What each hidden unit looks for (its 784 incoming weights
// drawn as an image), and one image's path through the network: the hidden units' z and a, the
// output scores z and outputs h, and which hidden units pushed the prediction most.
// Run: dotnet run labs/07-interpret.cs  (from the repository's root; or dotnet run 07-interpret.cs in labs/)
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
string output = Directory.CreateDirectory(Path.Combine("lab-output", "07-interpret")).FullName;

// The hidden units: the weights into unit j are a 28x28 image; light pixels raise its z, dark ones lower it.
ReadOnlySpan<float> w1 = network.Weights<float>(parameters, 0); // hidden x inputs, row j = unit j's weights
string weights = Path.Combine(output, "hidden-weights.png");
Figures.HiddenWeights(weights, w1, network.FanOut(0), train.Rows, train.Columns, $"What each of the {network.FanOut(0)} hidden units looks for: its {network.FanIn(0)} incoming weights");
for (int j = 0; j < 3; j++)
{
    ReadOnlySpan<float> unit = w1.Slice(j * network.FanIn(0), network.FanIn(0));
    Console.WriteLine($"hidden unit {j}: weights from {unit.ToArray().Min():F3} to {unit.ToArray().Max():F3}, ||w|| {Math.Sqrt(unit.ToArray().Sum(v => (double)v * v)):F3}");
}

// TASK: pick a validation image and follow it through the network. Which hidden units are on, and
// which of them pushed its predicted class's score z up the most (a_j times the weight from j)?
// An answer: the first validation image the network gets wrong.
using var onValidation = new DatasetObjective<float>(network, validation, lab.Lambda, lab.Threads);
byte[] predictions = onValidation.Measure(parameters).Predictions;
int chosen = Enumerable.Range(0, validation.Count).First(i => predictions[i] != validation.Labels.Span[i]);
int index = split.IndicesOf(SplitPart.Validation)[chosen]; // its index in the data set, as annlab explain takes it
Explanation path = LabFigures.Explain(network, parameters, validation, chosen, data.ClassNames) with { Index = index };
Console.WriteLine();
foreach (string line in LabFigures.Describe(path))
{
    Console.WriteLine(line);
}

Console.WriteLine($"hidden units that pushed the score of {data.ClassNames[path.PredictedClass]} up most (a_j x weight into it):");
foreach (int j in Enumerable.Range(0, path.HiddenActivations.Length).OrderByDescending(j => path.HiddenActivations[j] * path.OutputWeightsPredicted[j]).Take(5))
{
    Console.WriteLine($"  unit {j,2}: a {path.HiddenActivations[j]:F4} x w {path.OutputWeightsPredicted[j],8:F4} = {path.HiddenActivations[j] * path.OutputWeightsPredicted[j],8:F4}");
}

string explain = Path.Combine(output, $"explain-{index}.png");
Figures.Explain(explain, path);
Console.WriteLine($"figures in {output}: {Path.GetFileName(weights)}, {Path.GetFileName(explain)}");

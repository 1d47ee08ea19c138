// Lab part 9: experiment. Change the lab's settings and see what the validation accuracy does.
// Here: the hidden layer's size against lambda, each point trained as the lab trains (sgd, learning
// rate 0.1, batches of 200) for 100 epochs, so that the whole grid takes seconds.
// Run: dotnet run labs/09-experiment.cs  (from the repository's root; or dotnet run 09-experiment.cs in labs/)
#:project ../src/AnnLab.Plots/AnnLab.Plots.csproj

using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Plots;
using AnnLab.Training;

var lab = new TrainingOptions();
(_, DatasetSource source) = DatasetSources.Open(new DataRequest());
Dataset data = source.LoadFor(SplitKind.Lab, lab.Samples);
DataSplit split = data.Split(SplitKind.Lab, lab.Samples, lab.TrainFraction, lab.Seed);
(ImageSet train, ImageSet validation) = (split.Train, split.Validation);
Console.WriteLine($"data: {source.Location}: {split.Description}");

// TASK: design your experiment. Pick one or two settings (hidden units, lambda, learning rate,
// batch size, epochs, activation, solver), train a network for each value, and compare their
// training and validation accuracy: which setting over-fits, which under-fits?
// An answer: hidden units 10, 25, 50 against lambda 0.1, 1, 3, for 100 epochs each.
int[] hiddenSizes = [10, 25, 50];
double[] lambdas = [0.1, 1, 3];
const int epochs = 100;
var validationAccuracy = new double[lambdas.Length, hiddenSizes.Length];
Console.WriteLine($"{"hidden",6} {"lambda",7} {"training accuracy",18} {"validation accuracy",20} {"validation J",13} {"seconds",8}");
for (int r = 0; r < lambdas.Length; r++)
{
    for (int c = 0; c < hiddenSizes.Length; c++)
    {
        TrainingOptions options = lab with { Hidden = [hiddenSizes[c]], Lambda = lambdas[r], MaxEpochs = epochs };
        var network = new NeuralNetwork([train.Features, .. options.Hidden, data.ClassNames.Count], options.Activation, inputShape: source.Shape.Dimensions);
        var parameters = new float[network.ParameterCount];
        new UniformInitializer(options.InitEpsilon).Initialize<float>(network, parameters, options.Seed);
        TrainingResult result = Trainer.Train(network, parameters, train, options);
        using var onTrain = new DatasetObjective<float>(network, train, options.Lambda, options.Threads);
        using var onValidation = new DatasetObjective<float>(network, validation, options.Lambda, options.Threads);
        Evaluation t = onTrain.Measure(parameters), v = onValidation.Measure(parameters);
        validationAccuracy[r, c] = v.Accuracy * 100;
        Console.WriteLine($"{hiddenSizes[c],6} {lambdas[r],7} {t.Accuracy * 100,16:F2} % {v.Accuracy * 100,18:F2} % {v.Cost,13:F5} {result.TrainSeconds,8:F2}");
    }
}

(int bestRow, int bestColumn) = (from r in Enumerable.Range(0, lambdas.Length) from c in Enumerable.Range(0, hiddenSizes.Length) orderby validationAccuracy[r, c] descending select (r, c)).First();
Console.WriteLine($"best: {hiddenSizes[bestColumn]} hidden units, lambda {lambdas[bestRow]}: {validationAccuracy[bestRow, bestColumn]:F2} % validation accuracy");

string output = Directory.CreateDirectory(Path.Combine("lab-output", "09-experiment")).FullName;
string figure = Path.Combine(output, "experiment-heatmap.png");
Figures.SweepHeatmap(figure, $"Validation accuracy (%), {epochs} epochs", [$"sgd, learning rate {lab.LearningRate}, batch {lab.BatchSize}"], [validationAccuracy],
    "lambda", lambdas.Select(l => l.ToString()).ToArray(), "hidden units", hiddenSizes.Select(h => h.ToString()).ToArray(), "0.0");
Console.WriteLine($"figure in {output}: {Path.GetFileName(figure)}");

// Lab part 5: accuracy and validation. Train the lab's network, predict the class of every image
// (the output unit with the largest h), and measure it on the training and the validation images:
// accuracy, cost J, per-class precision, recall and F1, the confusion matrix, the learning curves.
// Run: dotnet run labs/05-accuracy.cs  (from the repository's root; or dotnet run 05-accuracy.cs in labs/)
#:project ../src/AnnLab.Plots/AnnLab.Plots.csproj

using AnnLab.Data;
using AnnLab.Metrics;
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
Console.WriteLine($"data: {source.Location}: {split.Description}; network {network}");
TrainingResult result;
using (var monitor = new LearningCurveMonitor(network, train, validation, lab.Lambda, lab.Threads))
{
    result = Trainer.Train(network, parameters, train, lab, monitor: monitor);
}

Console.WriteLine($"trained: {result.Message}, {result.TrainSeconds:F2} s");

// TASK: predict the class of each validation image (the index of the largest of its 10 outputs h)
// and compute the accuracy: the fraction of images whose prediction is their label.
// An answer:
byte[] predicted = new byte[validation.Count];
using (var forward = new Backpropagation<float>(network, validation.Count, lab.Threads))
{
    forward.LoadRange(validation, 0, validation.Count);
    forward.Forward(parameters, validation.Count);
    ReadOnlySpan<float> h = forward.Outputs(validation.Count); // validation.Count x 10, row by row
    int k = network.OutputSize;
    for (int i = 0; i < validation.Count; i++)
    {
        int best = 0;
        for (int c = 1; c < k; c++)
        {
            best = h[(i * k) + c] > h[(i * k) + best] ? c : best;
        }

        predicted[i] = (byte)best;
    }
}

int correct = 0;
for (int i = 0; i < validation.Count; i++)
{
    correct += predicted[i] == validation.Labels.Span[i] ? 1 : 0;
}

Console.WriteLine($"your validation accuracy: {correct} of {validation.Count} = {100.0 * correct / validation.Count:F2} %");

// The library's measure of both parts: the main job's table.
using var onTrain = new DatasetObjective<float>(network, train, lab.Lambda, lab.Threads);
using var onValidation = new DatasetObjective<float>(network, validation, lab.Lambda, lab.Threads);
Evaluation trainEval = onTrain.Measure(parameters), validationEval = onValidation.Measure(parameters);
Console.WriteLine($"training accuracy     {trainEval.Accuracy * 100,8:F2} %");
Console.WriteLine($"validation accuracy   {validationEval.Accuracy * 100,8:F2} %   (the same predictions as yours: {validationEval.Predictions.SequenceEqual(predicted)})");
Console.WriteLine($"training cost J       {trainEval.Cost,10:F5}");
Console.WriteLine($"validation cost J     {validationEval.Cost,10:F5}");
Console.WriteLine($"gap (training - validation accuracy): {(trainEval.Accuracy - validationEval.Accuracy) * 100:F2} points");

var report = ClassificationReport.Create(validation.Labels.Span, validationEval.Predictions, data.ClassNames);
Console.WriteLine();
Console.WriteLine($"validation images per class: {"precision",9} {"recall",7} {"F1",6} {"images",7}");
foreach (ClassScores c in report.Classes)
{
    Console.WriteLine($"  {c.Class} {c.Name,-12}              {c.Precision,9:F3} {c.Recall,7:F3} {c.F1,6:F3} {c.Support,7}");
}

Console.WriteLine($"macro F1 {report.MacroF1:F3}; most confused (true -> predicted, images): {string.Join("; ", report.TopConfusions(3).Select(c => $"{data.ClassNames[c.TrueClass]} -> {data.ClassNames[c.PredictedClass]} {c.Count}"))}");

string output = Directory.CreateDirectory(Path.Combine("lab-output", "05-accuracy")).FullName;

// The first 25 validation images, each titled "index: true -> predicted" (its index in the data set), the wrong ones in red.
string predictions = LabFigures.ValidationPredictions(output, validation, validationEval.Predictions, data.ClassNames, split.IndicesOf(SplitPart.Validation));
string[] written =
[
    predictions,
    LabFigures.ConfusionMatrix(output, report, data.ClassNames, "validation"),
    LabFigures.LearningCurves(output, result, "epoch")!,
];
Console.WriteLine($"figures in {output}: {string.Join(", ", written.Select(Path.GetFileName))}");

// Lab part 8: logistic regression for comparison. One-vs-all logistic regression is the network
// without a hidden layer: 784 inputs straight into 10 sigmoid outputs, the same cost J. Trained
// with the same settings as the lab's 784-25-10 network, on the same split.
// Run: dotnet run labs/08-logistic-regression.cs  (from the repository's root; or dotnet run 08-logistic-regression.cs in labs/)
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
int inputs = train.Features, classes = data.ClassNames.Count;
Console.WriteLine($"data: {source.Location}: {split.Description}");

// TASK: build one-vs-all logistic regression: K classifiers h_k(x) = sigmoid(theta_k . [1, x]), each
// trained to tell class k from the rest with the logistic cost, and predict the k of the largest h_k.
// An answer: that is the network with no hidden layer (its J is the sum of the K logistic costs),
// so the library trains all K at once.
int[] logistic = [inputs, classes];
int[] network = [inputs, .. lab.Hidden, classes];

// The lab's mini-batch code divides the ridge term by the batch size; the lab's J by the training set's.
TrainingOptions[] settings = [lab, lab with { LambdaScale = LambdaScale.TrainingSet }];
string output = Directory.CreateDirectory(Path.Combine("lab-output", "08-logistic-regression")).FullName;
var figures = new List<string>();
Console.WriteLine($"{"model",-44} {"parameters",10} {"training accuracy",18} {"validation accuracy",20} {"validation J",13} {"seconds",8}");
foreach (TrainingOptions options in settings)
{
    string scale = options.LambdaScale == LambdaScale.Batch ? "lambda per batch" : "lambda per training set";
    var curves = new List<KeyValuePair<string, LearningCurve>>();
    foreach ((string name, int[] sizes) in new[] { ("logistic regression", logistic), ($"network {string.Join("-", network)}", network) })
    {
        var model = new NeuralNetwork(sizes, options.Activation, inputShape: source.Shape.Dimensions);
        var parameters = new float[model.ParameterCount];
        new UniformInitializer(options.InitEpsilon).Initialize<float>(model, parameters, options.Seed);
        TrainingResult result;
        using (var monitor = new LearningCurveMonitor(model, train, validation, options.Lambda, options.Threads))
        {
            result = Trainer.Train(model, parameters, train, options, monitor: monitor);
        }

        using var onTrain = new DatasetObjective<float>(model, train, options.Lambda, options.Threads);
        using var onValidation = new DatasetObjective<float>(model, validation, options.Lambda, options.Threads);
        Evaluation t = onTrain.Measure(parameters), v = onValidation.Measure(parameters);
        string label = $"{name}, {scale}";
        Console.WriteLine($"{label,-44} {model.ParameterCount,10:N0} {t.Accuracy * 100,16:F2} % {v.Accuracy * 100,18:F2} % {v.Cost,13:F5} {result.TrainSeconds,8:F2}");
        curves.Add(new(name, LearningCurve.FromHistory(result, "epoch")!));
    }

    // One figure per scaling: validation cost and accuracy per epoch, training dashed.
    figures.Add(Path.Combine(output, options.LambdaScale == LambdaScale.Batch ? "compare-curves.png" : "compare-curves-training-set.png"));
    Figures.CompareLearningCurves(figures[^1], curves);
}

Console.WriteLine($"figures in {output}: {string.Join(", ", figures.Select(Path.GetFileName))} (lambda per batch, per training set)");

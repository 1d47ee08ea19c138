// Lab part 4: training. Mini-batch gradient descent (the loop written out, then the library's
// Trainer, which must give the same weights) and nonlinear conjugate gradient on the full training set.
// Run: dotnet run labs/04-training.cs  (from the repository's root; or dotnet run 04-training.cs in labs/)
#:project ../src/AnnLab.Plots/AnnLab.Plots.csproj

using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Plots;
using AnnLab.Training;

// The lab's settings: m = 5000 (80 % training), 784-25-10 sigmoid, learning rate 0.1, lambda 1,
// batches of 200, 500 epochs; cg: at most 200 iterations, until max |g_i| <= 1e-5.
var lab = new TrainingOptions();
(_, DatasetSource source) = DatasetSources.Open(new DataRequest());
Dataset data = source.LoadFor(SplitKind.Lab, lab.Samples);
DataSplit split = data.Split(SplitKind.Lab, lab.Samples, lab.TrainFraction, lab.Seed);
(ImageSet train, ImageSet validation) = (split.Train, split.Validation);
var network = new NeuralNetwork([train.Features, .. lab.Hidden, data.ClassNames.Count], lab.Activation, inputShape: source.Shape.Dimensions);
Console.WriteLine($"data: {source.Location}: {split.Description}");
Console.WriteLine($"network: {network}, {network.ParameterCount} parameters; learning rate {lab.LearningRate}, lambda {lab.Lambda}, batch size {lab.BatchSize}, {lab.MaxEpochs} epochs, seed {lab.Seed}");
string output = Directory.CreateDirectory(Path.Combine("lab-output", "04-training")).FullName;

float[] Initial()
{
    var parameters = new float[network.ParameterCount];
    new UniformInitializer(lab.InitEpsilon).Initialize<float>(network, parameters, lab.Seed);
    return parameters;
}

// TASK: write mini-batch gradient descent: each epoch, shuffle the training images, cut them into
// batches of lab.BatchSize, and for each batch take one step theta = theta - alpha grad J_batch(theta).
// Print the epoch's mean batch cost and ||g|| / len(g) of its last batch (the lab's convergence measure).
// An answer (the shuffle is the Fisher-Yates shuffle the library's trainer uses, from the same seed,
// so the weights must come out the same):
float[] mine = Initial();
var clock = System.Diagnostics.Stopwatch.StartNew();
using (var backprop = new Backpropagation<float>(network, lab.BatchSize, lab.Threads))
{
    int[] order = Enumerable.Range(0, train.Count).ToArray();
    var random = new Random(lab.Seed + 1);
    for (int epoch = 1; epoch <= lab.MaxEpochs; epoch++)
    {
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        double costSum = 0, gradientNorm = 0;
        int batches = 0;
        for (int start = 0; start < train.Count; start += lab.BatchSize)
        {
            int m = backprop.LoadBatch(train, order.AsSpan(start, Math.Min(lab.BatchSize, train.Count - start)));
            costSum += backprop.DescentStep(mine, m, lab.Lambda, lab.LearningRate, out gradientNorm); // forward, backward, step
            batches++;
        }

        if (epoch == 1 || epoch % 50 == 0)
        {
            Console.WriteLine($"epoch {epoch}/{lab.MaxEpochs}: mean batch cost {costSum / batches:F5}, gradient norm {gradientNorm:E2}, {clock.Elapsed.TotalSeconds:F2} s");
        }
    }
}

Console.WriteLine($"your loop: {lab.MaxEpochs} epochs in {clock.Elapsed.TotalSeconds:F2} s");

// The library's trainer, the same settings, measuring the learning curves as it goes.
var rows = new List<(string Solver, TrainingResult Result, Evaluation Train, Evaluation Validation)>();
foreach (TrainingOptions options in new[] { lab, lab with { Solver = Solver.Cg } })
{
    float[] parameters = Initial();
    string unit = options.Solver == Solver.Sgd ? "epoch" : "iteration";
    Console.WriteLine();
    Console.WriteLine($"Trainer.Train, solver {options.Solver.ToString().ToLowerInvariant()}:");
    TrainingResult result;
    using (var monitor = new LearningCurveMonitor(network, train, validation, options.Lambda, options.Threads))
    {
        int every = options.Solver == Solver.Sgd ? 100 : 40;
        result = Trainer.Train(network, parameters, train, options, p =>
        {
            if (p.Step == 1 || p.Step % every == 0)
            {
                // sgd: the epoch's mean batch cost and ||g|| / len(g) of its last batch; cg: the training cost J and max |g_i|.
                Console.WriteLine(options.Solver == Solver.Sgd
                    ? $"  {unit} {p.Step}/{p.TotalSteps}: mean batch cost {p.Cost:F5}, gradient norm {p.GradientNorm:E2}, {p.ElapsedSeconds:F2} s"
                    : $"  {unit} {p.Step}/{p.TotalSteps}: training cost J {p.Cost:F5}, max |g_i| {p.GradientNorm:E2}, {p.ElapsedSeconds:F2} s");
            }
        }, monitor);
    }

    Console.WriteLine($"  {result.Message} ({result.TrainSeconds:F2} s" + (options.Solver == Solver.Sgd ? $", {result.Iterations} steps)" : $", {result.FunctionEvaluations} cost-and-gradient evaluations)"));
    if (options.Solver == Solver.Sgd)
    {
        float largest = mine.Zip(parameters, (a, b) => Math.Abs(a - b)).Max();
        Console.WriteLine($"  largest |difference| between your loop's weights and the trainer's: {largest} (0: the same numbers)");
    }

    using var onTrain = new DatasetObjective<float>(network, train, options.Lambda, options.Threads);
    using var onValidation = new DatasetObjective<float>(network, validation, options.Lambda, options.Threads);
    rows.Add((options.Solver.ToString().ToLowerInvariant(), result, onTrain.Measure(parameters), onValidation.Measure(parameters)));
    string figure = Path.Combine(output, $"{rows[^1].Solver}-learning-curves.png");
    Figures.LearningCurves(figure, LearningCurve.FromHistory(result, unit)!);
}

Console.WriteLine();
Console.WriteLine($"{"solver",-7} {"epochs or iterations",20} {"training J",11} {"validation J",13} {"training accuracy",18} {"validation accuracy",20} {"seconds",8}");
foreach (var (solver, result, onTrain, onValidation) in rows)
{
    int steps = solver == "sgd" ? result.Epochs : result.Iterations;
    Console.WriteLine($"{solver,-7} {steps,20} {onTrain.Cost,11:F5} {onValidation.Cost,13:F5} {onTrain.Accuracy * 100,16:F2} % {onValidation.Accuracy * 100,18:F2} % {result.TrainSeconds,8:F2}");
}

Console.WriteLine($"figures in {output}: {string.Join(", ", rows.Select(r => $"{r.Solver}-learning-curves.png"))}");

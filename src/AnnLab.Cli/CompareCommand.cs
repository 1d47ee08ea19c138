using System.CommandLine;
using System.Globalization;
using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Plots;
using AnnLab.Results;
using AnnLab.Training;
using Spectre.Console;

namespace AnnLab.Cli;

/// <summary><c>annlab compare</c>: logistic regression (no hidden layer, the lab's optional task) against the network, same data and settings.</summary>
internal static class CompareCommand
{
    private static readonly string[] NumberColumns = ["parameters", "training accuracy", "validation accuracy", "validation cost J", "seconds"];

    private const string Description =
        "Train logistic regression (no hidden layer: the pixels straight to the classes) and the network (25 hidden units by default) on the same split with the same settings, "
        + "and show them side by side: a table, compare.json and one learning-curve figure. sgd scales the ridge term to the training set here "
        + "(--lambda-scale training-set, the lab's J), where the network leads (seed 1: 87.00 % against 86.30 % validation accuracy); "
        + "with the lab's per-batch scaling (--lambda-scale batch), which regularizes 20 times as hard with batches of 200 of 4000, the two tie (85.80 % against 85.90 %).";

    public static Command Create()
    {
        var data = new DataOptions();
        var training = new TrainingOptionSet(
            [nameof(TrainingOptions.Hidden), nameof(TrainingOptions.Solver), nameof(TrainingOptions.MaxEpochs), nameof(TrainingOptions.MaxIterations), nameof(TrainingOptions.LearningRate), nameof(TrainingOptions.Lambda), nameof(TrainingOptions.LambdaScale), nameof(TrainingOptions.Seed), nameof(TrainingOptions.Threads)],
            new Dictionary<string, string> { [nameof(TrainingOptions.LambdaScale)] = ResultNames.Of(LambdaScale.TrainingSet) });
        var output = OptionValues.RunFolderOption("compare.json and compare-curves.png");
        var command = new Command("compare", Description);
        foreach (Option option in training.Options.Append(output))
        {
            command.Options.Add(option);
        }

        data.AddTo(command);
        command.SetAction(parse =>
        {
            TrainingOptions options = training.Bind(parse, new TrainingOptions { Samples = data.ParseSamples(parse), TrainFraction = data.ParseTrainFraction(parse) });
            options.Validate();
            DataChoice choice = data.Choose(parse, options.Samples, options.TrainFraction, options.Seed);
            int[] hidden = choice.LayerSizes(options.Hidden);
            NetworkSize.Check(hidden, options, choice.TrainingImages, choice.DataBytes);
            string folder = OptionValues.ClaimRunFolder("Output", parse.GetValue(output));
            (_, DataSplit split) = choice.Load();
            (ImageSet train, ImageSet validation) = (split.Train, split.Validation);
            if (training.DifferenceLine(parse) is { } differ)
            {
                Program.Say(differ);
            }

            Program.Say($"data: {choice.Source.Location}: {split.Description}; {options.Solver.ToString().ToLowerInvariant()}, {(options.Solver == Solver.Sgd ? $"{options.MaxEpochs} epochs" : $"{options.MaxIterations} iterations")}, learning rate {options.LearningRate.ToString(CultureInfo.InvariantCulture)}, {LambdaText(options)}");

            var rows = new List<ComparedModel>();
            var curves = new List<KeyValuePair<string, LearningCurve>>();
            var table = new Table().AddColumn("model");
            foreach (string heading in NumberColumns)
            {
                table.AddColumn(new TableColumn(heading).RightAligned());
            }

            foreach ((string name, int[] sizes) in new[] { ("logistic regression", choice.LayerSizes([])), ($"network {string.Join("-", hidden)}", hidden) })
            {
                var network = new NeuralNetwork(sizes, new Sigmoid());
                var parameters = new float[network.ParameterCount];
                network.Initialize<float>(parameters, options.InitEpsilon, options.Seed);
                TrainingResult result;
                Evaluation onTrain, onValidation;
                using (var monitor = new LearningCurveMonitor(network, train, validation, options.Lambda, options.Threads))
                {
                    result = Trainer.Train(network, parameters, train, options, monitor: monitor);
                }

                if (result.StopReason == StopReason.Diverged)
                {
                    // Its numbers would be non-finite or meaningless: nothing is written (the claimed folder is released on the way out).
                    Program.Error($"{name}: {OptionNames.Spell(result.Message)}");
                    return Program.Failed;
                }

                using (var t = new DatasetObjective<float>(network, train, options.Lambda, options.Threads))
                using (var v = new DatasetObjective<float>(network, validation, options.Lambda, options.Threads))
                {
                    onTrain = t.Measure(parameters);
                    onValidation = v.Measure(parameters);
                }

                table.AddRow(Markup.Escape(name), network.ParameterCount.ToString("N0", CultureInfo.InvariantCulture), $"{onTrain.Accuracy * 100:F2} %", $"{onValidation.Accuracy * 100:F2} %", onValidation.Cost.ToString("F5", CultureInfo.InvariantCulture), result.TrainSeconds.ToString("F2", CultureInfo.InvariantCulture));
                rows.Add(new ComparedModel { Model = name, LayerSizes = sizes, ParameterCount = network.ParameterCount, TrainAccuracy = onTrain.Accuracy, ValidationAccuracy = onValidation.Accuracy, TrainCost = onTrain.Cost, ValidationCost = onValidation.Cost, TrainSeconds = result.TrainSeconds, StopReason = result.StopReason });
                TrainingProgress[] points = result.History.Where(h => h.ValidationAccuracy is not null).ToArray();
                curves.Add(new(name, new LearningCurve(options.Solver == Solver.Sgd ? "epoch" : "iteration", points.Select(p => p.Step).ToArray(), points.Select(p => p.TrainCost!.Value).ToArray(), points.Select(p => p.ValidationCost!.Value).ToArray(), points.Select(p => p.TrainAccuracy!.Value).ToArray(), points.Select(p => p.ValidationAccuracy!.Value).ToArray())));
            }

            AnsiConsole.Write(table);
            string figure = Path.Combine(folder, "compare-curves.png");
            Figures.CompareLearningCurves(figure, curves);
            new ComparisonResults
            {
                Split = split.Name, Solver = options.Solver, Samples = options.Samples, TrainFraction = options.TrainFraction, MaxEpochs = options.MaxEpochs, LearningRate = options.LearningRate,
                Lambda = options.Lambda, LambdaScale = ResultNames.Of(options.LambdaScale), Seed = options.Seed, Models = rows,
            }.Save(Path.Combine(folder, "compare.json"));
            OptionValues.CompleteRunFolder(folder);
            Program.Say($"wrote {figure} and compare.json");
            return Program.Ok;
        });
        return command;
    }

    // "lambda 1", and for sgd which m its ridge term is divided by.
    private static string LambdaText(TrainingOptions options)
    {
        string lambda = $"lambda {options.Lambda.ToString(CultureInfo.InvariantCulture)}";
        return options.Solver != Solver.Sgd ? lambda
            : options.LambdaScale == LambdaScale.TrainingSet ? $"{lambda} scaled to the training set (--lambda-scale training-set, the lab's J)"
            : $"{lambda} per batch (--lambda-scale batch, the lab's mini-batch code)";
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AnnLab.Data;
using AnnLab.IO;
using AnnLab.Network;
using AnnLab.Plots;
using AnnLab.Training;
using Spectre.Console;

namespace AnnLab.Cli;

/// <summary><c>annlab compare</c>: logistic regression (no hidden layer, the lab's optional task) against the network, same data and settings.</summary>
internal static class CompareCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create()
    {
        var data = new DataOptions();
        var hidden = new Option<string>("--hidden") { HelpName = "LIST", Description = "The network's hidden layer sizes", DefaultValueFactory = _ => "25" };
        var epochs = new Option<string>("--max-epochs") { HelpName = "N", Description = "sgd epochs for both", DefaultValueFactory = _ => "500" };
        var rate = new Option<string>("--learning-rate") { HelpName = "ALPHA", Description = "sgd step size for both", DefaultValueFactory = _ => "0.1" };
        var lambda = new Option<string>("--lambda") { HelpName = "LAMBDA", Description = "Ridge strength for both", DefaultValueFactory = _ => "1" };
        var solver = new Option<string>("--solver") { HelpName = "sgd|cg|lbfgs", Description = "Solver for both: the lab's gradient descent, or full-batch CG (the lab's fmincg) or L-BFGS with --max-iterations", DefaultValueFactory = _ => "sgd" };
        var iterations = new Option<string>("--max-iterations") { HelpName = "N", Description = "cg and lbfgs iterations for both", DefaultValueFactory = _ => "200" };
        var seed = new Option<string>("--seed") { HelpName = "S", Description = "Seed for both", DefaultValueFactory = _ => "1" };
        var threads = new Option<string?>("--threads") { HelpName = "N", Description = $"Threads [default: all cores, {Environment.ProcessorCount} here]" };
        var output = new Option<string?>("--output") { HelpName = "DIR", Description = "A new or empty folder for compare.json and compare-curves.png [default: runs/<timestamp>]" };
        var command = new Command("compare", "Train logistic regression (784-10, no hidden layer) and the network (784-25-10 by default) on the same split with the lab's gradient descent, and show them side by side: a table, compare.json and one learning-curve figure.")
        {
            hidden, solver, epochs, iterations, rate, lambda, seed, threads, output,
        };
        data.AddTo(command);
        command.SetAction(parse =>
        {
            var options = new TrainingOptions
            {
                Hidden = TrainCommand.ParseHidden(parse.GetValue(hidden)!),
                Samples = data.ParseSamples(parse),
                TrainFraction = data.ParseTrainFraction(parse),
                MaxEpochs = OptionValues.Int(nameof(TrainingOptions.MaxEpochs), parse.GetValue(epochs)!, "an integer >= 1"),
                MaxIterations = OptionValues.Int(nameof(TrainingOptions.MaxIterations), parse.GetValue(iterations)!, "an integer >= 1"),
                Solver = parse.GetValue(solver)!.ToLowerInvariant() switch
                {
                    "sgd" => Solver.Sgd,
                    "cg" => Solver.Cg,
                    "lbfgs" => Solver.Lbfgs,
                    string other => throw new OptionOutOfRangeException(nameof(Solver), other, "sgd, cg or lbfgs"),
                },
                LearningRate = OptionValues.Double(nameof(TrainingOptions.LearningRate), parse.GetValue(rate)!, "a finite number > 0"),
                Lambda = OptionValues.Double(nameof(TrainingOptions.Lambda), parse.GetValue(lambda)!, "a finite number >= 0"),
                Seed = OptionValues.Int(nameof(TrainingOptions.Seed), parse.GetValue(seed)!, "an integer"),
                Threads = TrainCommand.ParseThreads(parse.GetValue(threads)),
            };
            options.Validate();
            data.Validate(parse);
            (string dir, ImageSet all, ImageSet train, ImageSet validation) = data.Load(parse, options.Samples, options.TrainFraction);
            string folder = OptionValues.ClaimRunFolder("Output", parse.GetValue(output));
            Program.Say($"data: {dir}: {train.Count} training, {validation.Count} validation; {options.Solver.ToString().ToLowerInvariant()}, {(options.Solver == Solver.Sgd ? $"{options.MaxEpochs} epochs" : $"{options.MaxIterations} iterations")}, learning rate {options.LearningRate.ToString(CultureInfo.InvariantCulture)}, lambda {options.Lambda.ToString(CultureInfo.InvariantCulture)}");

            var rows = new List<object>();
            var curves = new List<KeyValuePair<string, LearningCurve>>();
            var table = new Table().AddColumns("model", "parameters", "training accuracy", "validation accuracy", "validation cost J", "seconds");
            foreach ((string name, int[] sizes) in new[] { ("logistic regression", new[] { all.Features, 10 }), ($"network {string.Join("-", [all.Features, .. options.Hidden, 10])}", (int[])[all.Features, .. options.Hidden, 10]) })
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

                using (var t = new DatasetObjective<float>(network, train, options.Lambda, options.Threads))
                using (var v = new DatasetObjective<float>(network, validation, options.Lambda, options.Threads))
                {
                    onTrain = t.Measure(parameters);
                    onValidation = v.Measure(parameters);
                }

                table.AddRow(Markup.Escape(name), network.ParameterCount.ToString("N0", CultureInfo.InvariantCulture), $"{onTrain.Accuracy * 100:F2} %", $"{onValidation.Accuracy * 100:F2} %", onValidation.Cost.ToString("F5", CultureInfo.InvariantCulture), result.TrainSeconds.ToString("F2", CultureInfo.InvariantCulture));
                rows.Add(new { Model = name, LayerSizes = sizes, network.ParameterCount, TrainAccuracy = onTrain.Accuracy, ValidationAccuracy = onValidation.Accuracy, TrainCost = onTrain.Cost, ValidationCost = onValidation.Cost, result.TrainSeconds, StopReason = TrainCommand.StopReasonName(result.StopReason) });
                TrainingProgress[] points = result.History.Where(h => h.ValidationAccuracy is not null).ToArray();
                curves.Add(new(name, new LearningCurve(options.Solver == Solver.Sgd ? "epoch" : "iteration", points.Select(p => p.Step).ToArray(), points.Select(p => p.TrainCost!.Value).ToArray(), points.Select(p => p.ValidationCost!.Value).ToArray(), points.Select(p => p.TrainAccuracy!.Value).ToArray(), points.Select(p => p.ValidationAccuracy!.Value).ToArray())));
            }

            AnsiConsole.Write(table);
            string figure = Path.Combine(folder, "compare-curves.png");
            Figures.CompareLearningCurves(figure, curves);
            AtomicFile.WriteAllText(Path.Combine(folder, "compare.json"), JsonSerializer.Serialize(new { Split = "lab", Solver = options.Solver.ToString().ToLowerInvariant(), options.Samples, options.TrainFraction, options.MaxEpochs, options.LearningRate, options.Lambda, options.Seed, Models = rows }, JsonOptions));
            File.Delete(Path.Combine(folder, ".annlab-run"));
            Program.Say($"wrote {figure} and compare.json");
            return Program.Ok;
        });
        return command;
    }
}

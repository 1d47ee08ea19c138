using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using System.Text;
using AnnLab.Data;
using AnnLab.IO;
using AnnLab.Network;
using AnnLab.Plots;
using AnnLab.Training;
using Spectre.Console;

namespace AnnLab.Cli;

/// <summary><c>annlab sweep</c>: a grid over hidden sizes, lambda and learning rate, trained in parallel.</summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var training = new TrainingOptionSet([nameof(TrainingOptions.MaxEpochs), nameof(TrainingOptions.Seed)], new Dictionary<string, string> { [nameof(TrainingOptions.MaxEpochs)] = "100" });
        var hidden = new Option<string>("--hidden-sizes") { HelpName = "LIST", Description = "Sizes of the single hidden layer to try, comma-separated", DefaultValueFactory = _ => "25,50,100" };
        var lambdas = new Option<string>("--lambdas") { HelpName = "LIST", Description = "lambda values to try", DefaultValueFactory = _ => "0,0.3,1,3" };
        var rates = new Option<string>("--learning-rates") { HelpName = "LIST", Description = "Learning rates to try", DefaultValueFactory = _ => "0.1,0.3,1" };
        var parallel = new Option<string?>("--parallel") { HelpName = "N", Description = $"Grid points trained at once, one thread each [default: all cores, {Environment.ProcessorCount} here]" };
        var output = OptionValues.RunFolderOption("sweep.csv and sweep-heatmap.png");
        var command = new Command("sweep", "Train the lab's network (sgd, sigmoid) for every combination of hidden size, lambda and learning rate on the same split, several at once; writes a table, sweep.csv and a heat map of validation accuracy.")
        {
            hidden, lambdas, rates, training[nameof(TrainingOptions.MaxEpochs)], training[nameof(TrainingOptions.Seed)], parallel, output,
        };
        data.AddTo(command);
        command.SetAction(parse =>
        {
            int[] sizes = AsTyped(() => TrainingOptionSet.ParseHidden(parse.GetValue(hidden)!).ToArray());
            double[] lambdaValues = List(parse.GetValue(lambdas)!, "Lambdas");
            double[] rateValues = List(parse.GetValue(rates)!, "LearningRates");
            int workers = parse.GetValue(parallel) is { } p ? OptionValues.Int("Parallel", p, "an integer in 1..64") : Environment.ProcessorCount;
            if (workers < 1 || workers > 64)
            {
                throw new OptionOutOfRangeException("Parallel", workers, "an integer in 1..64");
            }

            var baseOptions = new TrainingOptions
            {
                Samples = data.ParseSamples(parse),
                TrainFraction = data.ParseTrainFraction(parse),
                Threads = 1,
            };
            baseOptions = training.Bind(parse, baseOptions) with { Threads = 1 };
            foreach (int h in sizes)
            {
                foreach (double l in lambdaValues)
                {
                    foreach (double r in rateValues)
                    {
                        AsTyped(() => (baseOptions with { Hidden = [h], Lambda = l, LearningRate = r }).Validate());
                    }
                }
            }

            DataChoice choice = data.Choose(parse, baseOptions.Samples, baseOptions.TrainFraction, baseOptions.Seed);

            // --parallel points train at once: as many of the largest network as may run together must fit.
            int atOnce = Math.Min(workers, sizes.Length * lambdaValues.Length * rateValues.Length);
            NetworkSize.Check(choice.LayerSizes([sizes.Max()]), baseOptions with { Hidden = [sizes.Max()] }, choice.TrainingImages, choice.DataBytes, runsAtOnce: atOnce, option: "HiddenSizes");
            string folder = OptionValues.ClaimRunFolder("Output", parse.GetValue(output));
            (_, DataSplit split) = choice.Load();
            (ImageSet train, ImageSet validation) = (split.Train, split.Validation);
            var points = (from h in sizes from l in lambdaValues from r in rateValues select (Hidden: h, Lambda: l, Rate: r)).ToArray();
            if (training.DifferenceLine(parse) is { } differ)
            {
                Program.Say(differ);
            }

            Program.Say($"data: {choice.Source.Location}: {split.Description}; {points.Length} grid points, {baseOptions.MaxEpochs} epochs each, {workers} at a time");
            var results = new ConcurrentDictionary<int, (double TrainAccuracy, double ValidationAccuracy, double ValidationCost, double Seconds, string Stop)>();
            Parallel.For(0, points.Length, new ParallelOptions { MaxDegreeOfParallelism = workers }, i =>
            {
                (int h, double l, double r) = points[i];
                TrainingOptions options = baseOptions with { Hidden = [h], Lambda = l, LearningRate = r };
                var network = new NeuralNetwork(choice.LayerSizes([h]), new Sigmoid());
                var parameters = new float[network.ParameterCount];
                network.Initialize<float>(parameters, options.InitEpsilon, options.Seed);
                TrainingResult result = Trainer.Train(network, parameters, train, options);
                using var t = new DatasetObjective<float>(network, train, l, 1);
                using var v = new DatasetObjective<float>(network, validation, l, 1);
                Evaluation onTrain = t.Measure(parameters), onValidation = v.Measure(parameters);
                bool failed = result.StopReason == StopReason.Diverged;
                results[i] = (failed ? double.NaN : onTrain.Accuracy, failed ? double.NaN : onValidation.Accuracy, failed ? double.NaN : onValidation.Cost, result.TrainSeconds, TrainCommand.StopReasonName(result.StopReason));
                Program.Say(FormattableString.Invariant($"hidden {h}, lambda {l}, learning rate {r}: validation {onValidation.Accuracy * 100:F2} % ({TrainCommand.StopReasonName(result.StopReason)})"));
            });

            var table = new Table().AddColumns("hidden", "lambda", "learning rate", "training accuracy", "validation accuracy", "validation cost J", "stop");
            var csv = new StringBuilder("hidden,lambda,learning_rate,train_accuracy,validation_accuracy,validation_cost,train_seconds,stop_reason\n");
            for (int i = 0; i < points.Length; i++)
            {
                (int h, double l, double r) = points[i];
                var x = results[i];
                table.AddRow(h.ToString(CultureInfo.InvariantCulture), l.ToString(CultureInfo.InvariantCulture), r.ToString(CultureInfo.InvariantCulture), Percent(x.TrainAccuracy), Percent(x.ValidationAccuracy), x.ValidationCost.ToString("F5", CultureInfo.InvariantCulture), x.Stop);
                csv.Append(FormattableString.Invariant($"{h},{l},{r},{x.TrainAccuracy},{x.ValidationAccuracy},{x.ValidationCost},{x.Seconds:F3},{x.Stop}\n"));
            }

            AnsiConsole.Write(table);
            int best = Enumerable.Range(0, points.Length).Where(i => double.IsFinite(results[i].ValidationAccuracy)).DefaultIfEmpty(-1).MaxBy(i => i < 0 ? 0 : results[i].ValidationAccuracy);
            if (best >= 0)
            {
                Program.Say(FormattableString.Invariant($"best: hidden {points[best].Hidden}, lambda {points[best].Lambda}, learning rate {points[best].Rate}: validation accuracy {results[best].ValidationAccuracy * 100:F2} %"));
            }

            AtomicFile.WriteAllText(Path.Combine(folder, "sweep.csv"), csv.ToString());
            var scores = sizes.Select(h =>
            {
                var m = new double[lambdaValues.Length, rateValues.Length];
                for (int li = 0; li < lambdaValues.Length; li++)
                {
                    for (int ri = 0; ri < rateValues.Length; ri++)
                    {
                        int i = Array.FindIndex(points, q => q.Hidden == h && q.Lambda == lambdaValues[li] && q.Rate == rateValues[ri]);
                        m[li, ri] = results[i].ValidationAccuracy * 100;
                    }
                }

                return m;
            }).ToArray();
            string heatmap = Path.Combine(folder, "sweep-heatmap.png");
            Figures.SweepHeatmap(heatmap, $"Validation accuracy (%) after {baseOptions.MaxEpochs} epochs", sizes.Select(h => $"{h} hidden units").ToArray(), scores,
                "lambda", lambdaValues.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray(), "learning rate", rateValues.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray());
            OptionValues.CompleteRunFolder(folder);
            Program.Say($"wrote {heatmap} and sweep.csv in {folder}");
            return Program.Ok;
        });
        return command;
    }

    // The grid's options are lists of the single options: a bad value names the option the user typed (--hidden-sizes, not --hidden).
    private static readonly Dictionary<string, string> ListOf = new()
    {
        [nameof(TrainingOptions.Hidden)] = "HiddenSizes", [nameof(TrainingOptions.Lambda)] = "Lambdas", [nameof(TrainingOptions.LearningRate)] = "LearningRates",
    };

    private static void AsTyped(Action check) => AsTyped(() => { check(); return 0; });

    private static T AsTyped<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (OptionOutOfRangeException e) when (ListOf.ContainsKey(e.Option))
        {
            throw new OptionOutOfRangeException(ListOf[e.Option], e.Found, e.Allowed);
        }
    }

    private static string Percent(double fraction) => double.IsFinite(fraction) ? $"{fraction * 100:F2} %" : "diverged";

    private static double[] List(string text, string property)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            values[i] = OptionValues.Double(property, parts[i], "a comma-separated list of numbers");
        }

        return values.Distinct().ToArray();
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using AnnLab.Cli;

namespace AnnLab.Tests.Cli;

/// <summary>
/// Issue 13's new-user list at the command line: evaluate's J is train's (lambda from the
/// results.json beside the model), compare and sweep say where their defaults differ from
/// train's, the progress line and the table name the same J the same way, and explain and
/// predict --index place an image in the split the run recorded.
/// </summary>
public partial class NewUserSettingsTests
{
    // One run for the class: 2000 images (1600 training, 400 validation), 3 epochs, lambda 3 (not the default 1, so reading it back shows).
    private static readonly Lazy<(string Run, string Output)> Trained = new(() =>
    {
        string run = Path.Combine(TestPaths.NewTempDirectory(), "run");
        (int code, string stdout, string stderr) = AnnlabProcess.Run(null, "train", "--samples", "2000", "--max-epochs", "3", "--lambda", "3", "--no-figures", "--output", run);
        Assert.True(code == 0, stderr);
        return (run, stdout);
    });

    private static string ModelPath => Path.Combine(Trained.Value.Run, "model.annlab");

    private static string ResultsPath => Path.Combine(Trained.Value.Run, "results.json");

    // A metric's value in train's summary table: "│ validation cost J   │    3.55775 │".
    private static string TableValue(string output, string metric)
        => Regex.Match(output, $@"│ {Regex.Escape(metric)} +│ +(\S+) │").Groups[1] is { Success: true } g ? g.Value : throw new InvalidDataException($"no row '{metric}' in:\n{output}");

    // Evaluate's J: "accuracy 30.00 % of 400 images, cost J 3.55775, macro F1 0.189".
    private static string EvaluatedCost(string output)
        => EvaluateLine().Match(output) is { Success: true } m ? m.Groups[1].Value : throw new InvalidDataException($"no cost J line in:\n{output}");

    [GeneratedRegex(@"of \d+ images, cost J (\S+),")]
    private static partial Regex EvaluateLine();

    private static string Evaluate(params string[] extra)
    {
        string[] model = extra.Contains("--model") ? [] : ["--model", ModelPath];
        (int code, string stdout, string stderr) = AnnlabProcess.Run(null, ["evaluate", .. model, "--no-figures", .. extra]);
        Assert.True(code == 0, stderr);
        return stdout;
    }

    [Fact]
    public void Evaluate_with_no_options_reports_the_validation_J_train_reported_and_says_the_lambda_came_from_results_json()
    {
        string stdout = Evaluate();
        Assert.Contains($"cost J with lambda 3 (from {ResultsPath})", stdout);
        Assert.Contains("measuring the 400 validation images (the split it was trained on", stdout);
        Assert.Equal(TableValue(Trained.Value.Output, "validation cost J"), EvaluatedCost(stdout));
    }

    [Fact]
    public void Evaluate_with_lambda_0_measures_a_smaller_J_and_says_it_was_given()
    {
        string recorded = EvaluatedCost(Evaluate());
        string stdout = Evaluate("--lambda", "0");
        Assert.Contains("cost J with lambda 0 (given)", stdout);
        double unregularized = double.Parse(EvaluatedCost(stdout), CultureInfo.InvariantCulture);
        Assert.True(unregularized < double.Parse(recorded, CultureInfo.InvariantCulture) - 0.1, $"{unregularized} against {recorded}");

        // The training part's J too is train's, with the split and lambda recorded.
        Assert.Equal(TableValue(Trained.Value.Output, "training cost J"), EvaluatedCost(Evaluate("--part", "training")));
    }

    [Fact]
    public void Evaluate_of_a_model_file_alone_uses_lambda_1_and_says_so()
    {
        string alone = Path.Combine(TestPaths.NewTempDirectory(), "model.annlab");
        File.Copy(ModelPath, alone);
        string stdout = Evaluate("--model", alone, "--samples", "2000");
        Assert.Contains("cost J with lambda 1 (the default: no results.json beside the model records the lambda it was trained with; give --lambda to set it)", stdout);

        // The same J as the trained run's model with lambda 1 given on the same split.
        Assert.Equal(EvaluatedCost(Evaluate("--lambda", "1")), EvaluatedCost(stdout));
        Assert.NotEqual(EvaluatedCost(Evaluate()), EvaluatedCost(stdout));
    }

    [Fact]
    public void The_last_progress_line_names_and_shows_the_tables_training_and_validation_J()
    {
        string output = Trained.Value.Output;
        Match last = Regex.Match(output, @"^epoch 3/3: mean batch cost (\S+), training cost J (\S+), validation cost J (\S+), gradient norm \S+, \S+ s$", RegexOptions.Multiline);
        Assert.True(last.Success, output);
        Assert.Equal(TableValue(output, "training cost J"), last.Groups[2].Value);
        Assert.Equal(TableValue(output, "validation cost J"), last.Groups[3].Value);

        // The mean of the epoch's batch costs, with lambda/(2 x 200) per batch, is another number: it is not called J.
        Assert.NotEqual(last.Groups[1].Value, last.Groups[2].Value);
    }

    [Fact]
    public void Cgs_progress_line_is_J_itself_and_its_last_one_is_the_tables()
    {
        string run = Path.Combine(TestPaths.NewTempDirectory(), "cg");
        (int code, string stdout, string stderr) = AnnlabProcess.Run(null, "train", "--solver", "cg", "--samples", "300", "--max-iterations", "3", "--no-figures", "--output", run);
        Assert.True(code == 0, stderr);
        Match last = Regex.Match(stdout, @"^iteration 3/3: training cost J (\S+), validation cost J (\S+), max \|g_i\| \S+, \S+ s$", RegexOptions.Multiline);
        Assert.True(last.Success, stdout);
        Assert.Equal(TableValue(stdout, "training cost J"), last.Groups[1].Value);
        Assert.Equal(TableValue(stdout, "validation cost J"), last.Groups[2].Value);
    }

    [Fact]
    public void Explain_places_the_image_in_the_recorded_split_of_2000_images()
    {
        string pictures = TestPaths.NewTempDirectory();
        (int code, string stdout, string stderr) = AnnlabProcess.Run(null, "explain", "--model", ModelPath, "--index", "1700", "--output", pictures);
        Assert.True(code == 0, stderr);
        Assert.Contains($"image 1700 of Fashion-MNIST: a validation image of the lab split (the first 2000 images: 1600 training, 400 validation; the split it was trained on, from {ResultsPath})", stdout);

        // A split option given wins: the default 5000 images put image 1700 in the training part.
        (code, stdout, stderr) = AnnlabProcess.Run(null, "explain", "--model", ModelPath, "--index", "1700", "--samples", "5000", "--output", pictures);
        Assert.True(code == 0, stderr);
        Assert.Contains("image 1700 of Fashion-MNIST: a training image of the lab split (the first 5000 images: 4000 training, 1000 validation)", stdout);
    }

    [Fact]
    public void Explain_next_to_a_broken_results_json_names_its_key_and_what_to_give_instead()
    {
        string copy = Path.Combine(TestPaths.NewTempDirectory(), "run");
        Directory.CreateDirectory(copy);
        File.Copy(ModelPath, Path.Combine(copy, "model.annlab"));
        string results = Path.Combine(copy, "results.json");
        string json = File.ReadAllText(ResultsPath);
        Assert.Contains("\"samples\": 2000,", json);
        File.WriteAllText(results, json.Replace("\"samples\": 2000,", "\"samples\": -5,", StringComparison.Ordinal));
        (int code, _, string stderr) = AnnlabProcess.Run(null, "explain", "--model", Path.Combine(copy, "model.annlab"), "--index", "1700", "--output", TestPaths.NewTempDirectory());
        Assert.Equal(1, code);
        Assert.Equal($"annlab: error: {results}: not a valid results file: configuration.samples: got -5, expected an integer >= 2; give --split, --samples and --train-fraction to place the image without it", stderr.Trim());
    }

    [Fact]
    public void Predict_index_places_the_images_in_the_recorded_split()
    {
        (int code, string stdout, string stderr) = AnnlabProcess.Run(null, "predict", "--model", ModelPath, "--index", "1500,1700,2500");
        Assert.True(code == 0, stderr);
        Assert.Contains($"data set images placed in the lab split: the first 2000 images: 1600 training, 400 validation, the split it was trained on, from {ResultsPath}", stdout);
        Assert.Contains("image 1500 of Fashion-MNIST: a training image of the lab split", stdout);
        Assert.Contains("image 1700 of Fashion-MNIST: a validation image of the lab split", stdout);
        Assert.Contains("image 2500 of Fashion-MNIST: in no part of the lab split", stdout);
    }

    // The options train shares with another command: name -> default (null: none).
    private static Dictionary<string, object?> Defaults(Command command)
        => command.Options.ToDictionary(o => o.Name, o => o.HasDefaultValue ? o.GetDefaultValue() : null);

    [Theory]
    [InlineData("compare", "--lambda-scale")]
    [InlineData("sweep", "--max-epochs")]
    public void Compare_and_sweep_share_trains_defaults_but_the_one_they_name_in_their_help(string name, string differing)
    {
        Dictionary<string, object?> train = Defaults(TrainCommand.Create());
        Command command = name == "compare" ? CompareCommand.Create() : SweepCommand.Create();
        var shared = command.Options.Where(o => train.ContainsKey(o.Name)).ToArray();
        Assert.True(shared.Length >= (name == "compare" ? 15 : 8), string.Join(", ", shared.Select(o => o.Name)));
        foreach (Option option in shared)
        {
            object? here = option.HasDefaultValue ? option.GetDefaultValue() : null;
            if (option.Name == differing)
            {
                Assert.NotEqual(train[option.Name], here);
                Assert.EndsWith($"(train's default: {train[option.Name]})", option.Description);
            }
            else
            {
                Assert.True(Equals(train[option.Name], here), $"{name} {option.Name}: {here}, train: {train[option.Name]}");
                Assert.DoesNotContain("train's default", option.Description ?? "");
            }
        }
    }

    [Fact]
    public void Sweeps_help_and_compares_run_say_where_their_defaults_differ_from_trains()
    {
        (int code, string stdout, _) = AnnlabProcess.Run(null, "sweep", "--help");
        Assert.Equal(0, code);
        Assert.Matches(@"--max-epochs <N> +sgd epochs at most \[sgd only\] \(train's default: 500\) \[default: 100\]", stdout);

        string folder = TestPaths.NewTempDirectory();
        (code, stdout, string stderr) = AnnlabProcess.Run(null, "compare", "--samples", "300", "--max-epochs", "2", "--output", folder);
        Assert.True(code == 0, stderr);
        Assert.Contains("defaults that differ from train's: --lambda-scale training-set (train: batch)", stdout);
        (code, stdout, stderr) = AnnlabProcess.Run(null, "compare", "--samples", "300", "--max-epochs", "2", "--lambda-scale", "batch", "--output", Path.Combine(folder, "batch"));
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("differ from train's", stdout);
    }
}

using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Training;

namespace AnnLab.Tests.Readme;

/// <summary>
/// The README's "Using the library" snippet, verbatim between the two README markers (the usings
/// above are its first lines): <see cref="LibrarySnippetTests"/> checks that the README holds
/// exactly this text, and runs it.
/// </summary>
internal static class LibrarySnippet
{
    public static (TrainingResult Result, List<double> Costs, double Accuracy, Model Model, int One, int[] Batch, ImageSet FirstTen) Run()
    {
        // README begin
        (_, DatasetSource source) = DatasetSources.Open(new DataRequest());   // the CLI's search, from any folder; headers only
        Dataset data = source.LoadFor(SplitKind.Lab, 5000);                    // decompresses only the first 5,000
        DataSplit split = data.Split(SplitKind.Lab, 5000, 0.8, seed: 1);
        (ImageSet train, ImageSet validation) = (split.Train, split.Validation);
        var network = new NeuralNetwork([data.Shape.Pixels, 25, data.ClassNames.Count], new Sigmoid(), inputShape: data.Shape.Dimensions);
        var parameters = new float[network.ParameterCount];
        network.Initialize<float>(parameters, epsilon: 0.12, seed: 1);
        var options = new TrainingOptions();                                   // the lab's settings: sgd, 500 epochs, lambda 1
        var costs = new List<double>();                                        // the per-epoch callback gets a TrainingProgress
        TrainingResult result = Trainer.Train(network, parameters, train, options, onProgress: p => costs.Add(p.Cost));
        using var onValidation = new DatasetObjective<float>(network, validation, options.Lambda, options.Threads);
        double accuracy = onValidation.Measure(parameters).Accuracy;           // 0.858
        Console.WriteLine($"{result.Epochs} epochs, mean batch cost {costs[0]:F3} -> {costs[^1]:F3}, validation accuracy {accuracy:P2}");
        ModelFile.Save(new Model(network, parameters, data.ClassNames), "model.annlab");

        Model model = ModelFile.Load("model.annlab");
        int one = model.Predict(validation.Image(0));                          // one image (784 bytes 0..255): its class
        ImageSet firstTen = validation.Slice(0, 10);
        int[] batch = model.Predict(firstTen.Pixels.Span, firstTen.Count);      // a batch, one image after the other
        Console.WriteLine($"{model.ClassNames[one]}; {string.Join(", ", batch.Select(k => model.ClassNames[k]))}");
        // README end
        return (result, costs, accuracy, model, one, batch, firstTen);
    }
}

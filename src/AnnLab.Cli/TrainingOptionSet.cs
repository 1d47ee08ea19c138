using System.CommandLine;
using AnnLab.Training;

namespace AnnLab.Cli;

/// <summary>
/// A command's training options, declared from <see cref="TrainingOptionTable"/>: the names (the
/// CLI alone spells them, <see cref="OptionNames"/>), help, value names and defaults all come
/// from the table, so train, compare, sweep and bench declare and read each option the same way.
/// </summary>
internal sealed class TrainingOptionSet
{
    private readonly List<(OptionSpec Spec, Option Option)> declared = [];
    private readonly Dictionary<string, string> defaults = [];

    /// <summary>Declares the options of <paramref name="properties"/>, in that order.</summary>
    /// <param name="properties">TrainingOptions property names.</param>
    /// <param name="commandDefaults">Defaults of this command that differ from the table's (property name -> text).</param>
    public TrainingOptionSet(IEnumerable<string> properties, IReadOnlyDictionary<string, string>? commandDefaults = null)
    {
        foreach (string property in properties)
        {
            OptionSpec spec = TrainingOptionTable.Get(property);
            string name = OptionNames.Of(property);
            string defaultText = commandDefaults is not null && commandDefaults.TryGetValue(property, out string? d) ? d : Readable(spec.DefaultText);
            defaults[property] = defaultText;
            string trainDefault = Readable(spec.DefaultText);
            if (defaultText != trainDefault)
            {
                differences.Add((property, defaultText, trainDefault));
            }

            string applies = (spec.AppliesTo == Solvers.All ? "" : $" [{TrainingOptionTable.SolverNames(spec.AppliesTo)} only]")
                + (defaultText != trainDefault ? $" (train's default: {trainDefault})" : "");
            Option option = property switch
            {
                nameof(TrainingOptions.Augment) => new Option<bool>(name) { Description = OptionNames.Spell(spec.Help) + applies },
                nameof(TrainingOptions.Threads) => new Option<string?>(name) { HelpName = spec.ValueName, Description = $"{OptionNames.Spell(spec.Help)} [default: all cores, {Environment.ProcessorCount} here]" },
                _ => new Option<string>(name) { HelpName = spec.ValueName, Description = OptionNames.Spell(spec.Help) + applies, DefaultValueFactory = _ => defaultText },
            };
            declared.Add((spec, option));
        }
    }

    private readonly List<(string Property, string Here, string Train)> differences = [];

    /// <summary>The options whose default here is not train's (the table's): property, this command's default, train's.</summary>
    public IReadOnlyList<(string Property, string Here, string Train)> Differences => differences;

    /// <summary>
    /// The console line for the defaults of this command that differ from train's and are in use
    /// (the option not given): "defaults that differ from train's: --max-epochs 100 (train: 500)"; null when none.
    /// </summary>
    public string? DifferenceLine(ParseResult parse)
    {
        string[] used = [.. differences.Where(d => !Given(parse, d.Property) && !Preset.ContainsKey(OptionNames.Of(d.Property))).Select(d => $"{OptionNames.Of(d.Property)} {d.Here} (train: {d.Train})")];
        return used.Length == 0 ? null : $"defaults that differ from train's: {string.Join(", ", used)}";
    }

    /// <summary>The options, in declaration order, for a command's option list.</summary>
    public IEnumerable<Option> Options => declared.Select(d => d.Option);

    /// <summary>Option name -> value used when the option is not given (set by a --preset).</summary>
    public IReadOnlyDictionary<string, string> Preset { get; set; } = new Dictionary<string, string>();

    /// <summary>The declared option of <paramref name="property"/>.</summary>
    public Option this[string property] => declared.First(d => d.Spec.Property == property).Option;

    /// <summary>Whether the option of <paramref name="property"/> was given on the command line.</summary>
    public bool Given(ParseResult parse, string property) => parse.GetResult(this[property]) is { Implicit: false };

    /// <summary>The text of an option: as given, else the preset's, else the command's default.</summary>
    public string Text(ParseResult parse, string property)
    {
        Option option = this[property];
        if (Given(parse, property))
        {
            return option is Option<bool> flag ? (parse.GetValue(flag) ? "true" : "false") : parse.GetValue((Option<string>)option)!;
        }

        return Preset.TryGetValue(option.Name, out string? preset) ? preset : defaults[property];
    }

    /// <summary>
    /// <paramref name="options"/> with every declared option read from the command line. An option
    /// given explicitly that the chosen solver ignores is an error naming both (a preset's or a
    /// default value is not). Ranges are left to <see cref="TrainingOptions.Validate"/>.
    /// </summary>
    /// <exception cref="OptionOutOfRangeException">A value that is not a number, list or name of the option's kind.</exception>
    /// <exception cref="UsageException">An option given for a solver that ignores it.</exception>
    public TrainingOptions Bind(ParseResult parse, TrainingOptions options)
    {
        foreach ((OptionSpec spec, Option option) in declared)
        {
            if (spec.Property == nameof(TrainingOptions.Threads))
            {
                string? threads = parse.GetValue((Option<string?>)option);
                options = threads is null ? options with { Threads = Environment.ProcessorCount } : spec.Parse(options, threads);
                continue;
            }

            if (option is Option<bool> && !Given(parse, spec.Property) && !Preset.ContainsKey(option.Name))
            {
                continue;
            }

            options = spec.Parse(options, Text(parse, spec.Property));
        }

        foreach (OptionSpec ignored in TrainingOptionTable.IgnoredBy(options.Solver, declared.Where(d => Given(parse, d.Spec.Property)).Select(d => d.Spec.Property)))
        {
            throw new UsageException($"{OptionNames.Of(ignored.Property)}: applies to {OptionNames.Of(nameof(TrainingOptions.Solver))} {TrainingOptionTable.SolverNames(ignored.AppliesTo)} only, got {OptionNames.Of(nameof(TrainingOptions.Solver))} {ResultName(options.Solver)}");
        }

        return options;
    }

    /// <summary>A number as people write it in help: "1E-05" (round-trip format) becomes "1e-5"; other text is kept.</summary>
    public static string Readable(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"^(-?[0-9.]+)E(-?)\+?0*([0-9]+)$", "$1e$2$3");

    /// <summary>The --threads value, or all cores when it is not given.</summary>
    public static int ParseThreads(string? text)
        => text is null ? Environment.ProcessorCount : TrainingOptionTable.Get(nameof(TrainingOptions.Threads)).Parse(new TrainingOptions(), text).Threads;

    /// <summary>"128,64" becomes [128, 64]; anything else that is not a list of integers is an <see cref="OptionOutOfRangeException"/>.</summary>
    public static IReadOnlyList<int> ParseHidden(string hiddenText)
        => TrainingOptionTable.Get(nameof(TrainingOptions.Hidden)).Parse(new TrainingOptions(), hiddenText).Hidden;

    /// <summary>A choice's name as the command line and the JSON files spell it, e.g. "training-set".</summary>
    public static string ResultName<TEnum>(TEnum value) where TEnum : struct, Enum => Results.ResultNames.Of(value);
}

/// <summary>A command line that is wrong as a whole (not one value out of range): one line, exit code 2.</summary>
internal sealed class UsageException(string line) : Exception(line);

/// <summary>The one place that spells option names: a TrainingOptions property (or any option's property name) in kebab case.</summary>
internal static class OptionNames
{
    /// <summary>LearningRate becomes --learning-rate.</summary>
    public static string Of(string property)
    {
        if (property == nameof(AnnLab.Data.DataRequest.Path))
        {
            return "--data";   // the one option not named after its property: DataRequest.Path
        }

        var sb = new System.Text.StringBuilder("--");
        for (int i = 0; i < property.Length; i++)
        {
            char c = property[i];
            if (char.IsUpper(c) && i > 0)
            {
                sb.Append('-');
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    /// <summary>The user's line for a bad value: "--learning-rate: got -1, expected a finite number &gt; 0".</summary>
    public static string Line(OptionOutOfRangeException e) => $"{Of(e.Option)}: got {OptionValues.Printable(e.Found)}, expected {Spell(e.Allowed)}";

    /// <summary>A library text with the options it refers to spelled: "fewer than `MaxEpochs`" becomes "fewer than --max-epochs".</summary>
    public static string Spell(string text) => System.Text.RegularExpressions.Regex.Replace(text, "`([A-Z][A-Za-z]*)`", m => Of(m.Groups[1].Value));
}

using AnnLab.Training;

namespace AnnLab.Tests;

/// <summary>The line the command prints for an <see cref="OptionOutOfRangeException"/>, for library-level tests: option name in kebab case, then the detail.</summary>
internal static class OptionLines
{
    public static string Name(OptionOutOfRangeException e) => "--" + string.Concat(e.Option.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public static string Line(OptionOutOfRangeException e) => $"{Name(e)}: {e.Detail}";
}

using AnnLab.Training;

namespace AnnLab.Tests;

/// <summary>The line the command prints for an <see cref="OptionOutOfRangeException"/>, for library-level tests: option name in kebab case, then the detail.</summary>
internal static class OptionLines
{
    public static string Name(OptionOutOfRangeException e) => AnnLab.Cli.OptionNames.Of(e.Option);

    public static string Line(OptionOutOfRangeException e) => $"{Name(e)}: {e.Detail}";
}

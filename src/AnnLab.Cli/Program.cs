using System.CommandLine;
using AnnLab.Training;
using Spectre.Console;

namespace AnnLab.Cli;

/// <summary>The <c>annlab</c> command: parses, validates, runs a command, maps failures to exit codes.</summary>
internal static class Program
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code for a failed run (bad data file, training diverged, gradient check failed).</summary>
    public const int Failed = 1;

    /// <summary>Exit code for a bad command line (unknown option, value out of range).</summary>
    public const int Usage = 2;

    private static int Main(string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            // A file or pipe has no width: don't squeeze tables into 80 columns.
            AnsiConsole.Profile.Width = 160;
        }

        var root = new RootCommand("AnnLab: the neural-network lab on Fashion-MNIST, fast, in .NET.")
        {
            TrainCommand.Create(),
            GradientCheckCommand.Create(),
            BenchCommand.Create(),
            FigureCommands.Data(),
            FigureCommands.Evaluate(),
            FigureCommands.Explain(),
            FigureCommands.Plot(),
            CompareCommand.Create(),
            SweepCommand.Create(),
        };

        root.SetAction(parse =>
        {
            Console.Error.WriteLine("annlab: name a command: train, evaluate, explain, data, plot, compare, sweep, gradcheck or bench.");
            parse.RootCommandResult.Command.Parse("--help").Invoke();
            return Usage;
        });
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"annlab: {OptionValues.Printable(error.Message, 4 * OptionValues.EchoLimit)}");
            }

            Console.Error.WriteLine("Run 'annlab --help' or 'annlab COMMAND --help' for the options.");
            return Usage;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (OptionOutOfRangeException e)
        {
            Console.Error.WriteLine($"annlab: {OptionValues.Printable(OptionNames.Line(e), 4 * OptionValues.EchoLimit)}");
            return Usage;
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"annlab: {OptionValues.Printable(e.Message, 4 * OptionValues.EchoLimit)}");
            return Usage;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"annlab: error: {OptionValues.Printable(e.Message, 4 * OptionValues.EchoLimit)}");
            return Failed;
        }
    }

    /// <summary>Writes a plain line to standard output (unwrapped, so logs stay greppable).</summary>
    public static void Say(string text) => Console.Out.WriteLine(text);
}

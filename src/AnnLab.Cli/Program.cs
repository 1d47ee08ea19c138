using System.CommandLine;
using System.Runtime.InteropServices;
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
        // First of all, so that a signal while the commands are built or the options parsed also ends in one line, exit code 1.
        // SIGINT (Ctrl-C), SIGTERM (timeout, systemd, docker stop), SIGHUP (the terminal closed) and SIGQUIT (Ctrl-\)
        // end the run as a failure: one line, exit code 1, and no empty or unmarked run folder left behind.
        PosixSignalRegistration[] signals = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }.Select(s => PosixSignalRegistration.Create(s, Interrupted))];
        try
        {
            return Run(args);
        }
        finally
        {
            foreach (PosixSignalRegistration signal in signals)
            {
                signal.Dispose();
            }
        }
    }

    /// <summary>The command line as the user typed it, quoted for a POSIX shell: what report.html shows to reproduce the run.</summary>
    internal static string CommandLine { get; private set; } = "annlab";

    private static int Run(string[] args)
    {
        CommandLine = string.Join(" ", ["annlab", .. args.Select(ShellQuoted)]);
        // The core library decodes no image: a folder of images (--dataset image-folder) reads its files with SkiaSharp's reader.
        AnnLab.Plots.ImageFiles.UseForImageFolders();
        if (Console.IsOutputRedirected)
        {
            // A file or pipe has no width: don't squeeze tables into 80 columns.
            AnsiConsole.Profile.Width = 160;
        }

        var root = new RootCommand("AnnLab: the neural-network lab on Fashion-MNIST and other image data sets, fast, in .NET.")
        {
            TrainCommand.Create(),
            GradientCheckCommand.Create(),
            BenchCommand.Create(),
            FigureCommands.Data(),
            FigureCommands.Evaluate(),
            FigureCommands.Explain(),
            InfoCommand.Create(),
            PredictCommand.Create(),
            FigureCommands.Plot(),
            CompareCommand.Create(),
            SweepCommand.Create(),
            ExportCommand.Create(),
        };

        root.SetAction(parse =>
        {
            Console.Error.WriteLine("annlab: name a command: train, evaluate, explain, predict, info, export, data, plot, compare, sweep, gradcheck or bench.");
            parse.RootCommandResult.Command.Parse("--help").Invoke();
            return Usage;
        });
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line: the first error (the others often follow from it), and where the options are listed.
            string command = parse.CommandResult.Command == root ? "annlab" : $"annlab {parse.CommandResult.Command.Name}";
            Error($"{parse.Errors[0].Message} (run '{command} --help' for the options)");
            return Usage;
        }

        AppDomain.CurrentDomain.UnhandledException += (_, _) => OptionValues.ReleaseRunFolders();
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (OptionOutOfRangeException e)
        {
            Error(OptionNames.Line(e));
            return Usage;
        }
        catch (UsageException e)
        {
            Error(e.Message);
            return Usage;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Error($"error: {OptionNames.Spell(e.Message)}{OptionValues.ReleaseRunFolders()}");
            return Failed;
        }
        catch (OutOfMemoryException)
        {
            // The machine's limit, not a bug: the data or the network is too large for the memory this process may use.
            Error($"error: out of memory: the data or the network does not fit the memory this process may use; give fewer images (--samples), smaller images (--image-size) or a smaller network (--hidden){OptionValues.ReleaseRunFolders()}");
            return Failed;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("ANNLAB_DEBUG") is null or "" or "0")
        {
            // A bug of ours, not the user's: still one line and exit code 1; ANNLAB_DEBUG=1 shows the stack trace.
            Error($"internal error: {e.GetType().Name}: {e.Message} (a bug in annlab; run with ANNLAB_DEBUG=1 for the stack trace){OptionValues.ReleaseRunFolders()}");
            return Failed;
        }
        finally
        {
            // A run that failed any other way still removes the folder it claimed and left empty.
            OptionValues.ReleaseRunFolders();
        }
    }

    /// <summary>Cancelled by the first SIGINT, SIGTERM, SIGHUP or SIGQUIT while <see cref="Checkpointable"/>: training then writes a checkpoint and stops.</summary>
    public static CancellationTokenSource Interruption { get; } = new();

    /// <summary>Whether a training run that saves a checkpoint on cancellation is under way.</summary>
    public static volatile bool Checkpointable;

    /// <summary>The signal that cancelled <see cref="Interruption"/>, or null.</summary>
    public static string? Signal { get; private set; }

    private static void Interrupted(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Checkpointable && Signal is null)
        {
            // The training thread saves a checkpoint after the current epoch or iteration, says how to resume, and exits; a second signal exits at once.
            Signal = context.Signal.ToString();
            Interruption.Cancel();
            return;
        }

        // From here on no run folder can be claimed (a claim under way finishes first and is released here), so none is left holding only its marker.
        string kept = OptionValues.ReleaseRunFolders(exiting: true);
        try
        {
            Console.Error.WriteLine($"annlab: interrupted ({context.Signal}){OptionValues.Printable(kept, 4 * OptionValues.EchoLimit)}");
        }
        catch (IOException)
        {
            // SIGHUP: the terminal may be gone; the exit code still says it.
        }

        Environment.Exit(Failed);
    }

    /// <summary>Writes <c>annlab: </c> and <paramref name="message"/>, made printable (one line, no control characters), to standard error.</summary>
    public static void Error(string message) => Console.Error.WriteLine($"annlab: {OptionValues.Printable(message, 4 * OptionValues.EchoLimit)}");

    /// <summary>
    /// Writes a plain line to standard output (unwrapped, so logs stay greppable), made printable:
    /// the paths and names in it (run folders, "wrote FILE", model and image file names) are the
    /// user's or a file's text, so no control character in them reaches the terminal.
    /// </summary>
    public static void Say(string text) => Console.Out.WriteLine(OptionValues.Printable(text, SayLimit));

    // Lines of our own may be long (a network of many layers); only control characters are escaped in them.
    private const int SayLimit = 1 << 20;

    // An argument as a POSIX shell reads it back: bare when it holds only safe characters, else in single quotes.
    internal static string ShellQuoted(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=,:+@%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

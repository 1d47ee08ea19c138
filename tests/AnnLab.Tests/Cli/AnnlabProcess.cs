using System.Diagnostics;

namespace AnnLab.Tests.Cli;

/// <summary>Runs the real <c>annlab</c> program (copied next to the tests) as a process, as a user meets it.</summary>
internal static class AnnlabProcess
{
    /// <summary>Runs annlab with <paramref name="args"/> to its end: its exit code, standard output and standard error.</summary>
    public static (int ExitCode, string Output, string Error) Run(params string[] args) => Run(null, args);

    /// <summary>As <see cref="Run(string[])"/>, in <paramref name="workingDirectory"/> (null: the tests' own).</summary>
    public static (int ExitCode, string Output, string Error) Run(string? workingDirectory, params string[] args) => RunWithCache(null, workingDirectory, args);

    /// <summary>As <see cref="Run(string?, string[])"/>, with <c>XDG_CACHE_HOME</c> set to <paramref name="cache"/> (null: inherited), so the verified-files cache is the test's own.</summary>
    public static (int ExitCode, string Output, string Error) RunWithCache(string? cache, string? workingDirectory, params string[] args)
    {
        using Process process = Start(workingDirectory, args, cache);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Starts annlab with redirected output and returns the running process (to signal it, or to run two at once).</summary>
    public static Process Start(string? workingDirectory, params string[] args) => Start(workingDirectory, args, null);

    private const string ResetSignals = "/usr/bin/env";

    private static Process Start(string? workingDirectory, string[] args, string? cache)
    {
        // On Linux through env --default-signal, which execs dotnet in its own process (the same
        // pid): annlab starts with every signal at its default disposition, as from a terminal,
        // even when the test runner inherited an ignored one (nohup ignores SIGHUP, and a child of
        // such a runner would never see the SIGHUP that a test sends it, and train on).
        bool reset = OperatingSystem.IsLinux() && File.Exists(ResetSignals);
        var start = new ProcessStartInfo(reset ? ResetSignals : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (reset)
        {
            start.ArgumentList.Add("--default-signal");
            start.ArgumentList.Add("dotnet");
        }

        if (cache is not null)
        {
            start.Environment["XDG_CACHE_HOME"] = cache;
        }

        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "annlab.dll"));
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        return Process.Start(start)!;
    }
}

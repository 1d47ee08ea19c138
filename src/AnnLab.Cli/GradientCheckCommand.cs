using System.CommandLine;
using AnnLab.Network;
using Spectre.Console;

namespace AnnLab.Cli;

/// <summary><c>annlab gradcheck</c>: backpropagation against central differences for every activation.</summary>
internal static class GradientCheckCommand
{
    public const double Threshold = 1e-7;

    private static readonly double[] Lambdas = [0.0, 1.0];

    public static Command Create()
    {
        var command = new Command("gradcheck", $"Check backpropagation against central differences (double precision, a 4-5-3 network, 3 samples) for every activation and output layer, lambda 0 and 1; fails if a relative error is {Threshold:G1} or more.");
        command.SetAction(_ =>
        {
            var table = new Table().AddColumns("activation", "output", "lambda", "network", "relative error", "result");
            bool allPass = true;
            foreach (IActivation activation in Activations.Available)
            {
                foreach (OutputLayer output in OutputLayers.Available)
                {
                    foreach (double lambda in Lambdas)
                    {
                        GradientCheckResult r = GradientCheck.Run(activation, lambda, output: output);
                        bool pass = r.RelativeError < Threshold;
                        allPass &= pass;
                        table.AddRow(r.Activation, OutputLayers.Name(output), lambda.ToString("0"), string.Join("-", r.LayerSizes), r.RelativeError.ToString("E2"), pass ? "[green]pass[/]" : "[red]FAIL[/]");
                    }
                }
            }

            AnsiConsole.Write(table);
            Program.Say($"relative error = ||g_num - g_bp|| / ||g_num + g_bp||, must be below {Threshold:G1}");
            return allPass ? Program.Ok : Program.Failed;
        });
        return command;
    }
}

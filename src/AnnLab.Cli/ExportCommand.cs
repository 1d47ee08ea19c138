using System.CommandLine;
using System.Globalization;
using AnnLab.Network;
using AnnLab.Onnx;
using AnnLab.Training;

namespace AnnLab.Cli;

/// <summary><c>annlab export</c>: a trained model as an ONNX file, for ONNX Runtime and other tools.</summary>
internal static class ExportCommand
{
    /// <summary>The formats --format accepts.</summary>
    private static readonly string[] Formats = ["onnx"];

    public static Command Create()
    {
        var model = new Option<string>("--model") { HelpName = "FILE", Description = "Model file written by annlab train (model.annlab in its run folder)", Required = true };
        var format = new Option<string>("--format") { HelpName = "onnx", Description = $"File format: onnx (opset {OnnxExport.Opset})", DefaultValueFactory = _ => "onnx" };
        var output = new Option<string?>("--output") { HelpName = "FILE", Description = "The file to write (replaced if it exists) [default: the model's path with the extension .onnx]" };
        var command = new Command("export", $"Write a trained model as an ONNX file: input '{OnnxExport.InputName}' [batch, pixels] float in 0..1, output 'probabilities' (softmax) or 'scores' (sigmoid) [batch, classes], the class names in its metadata.")
        {
            model, format, output,
        };
        command.SetAction(parse =>
        {
            string formatValue = parse.GetValue(format)!;
            if (!Formats.Contains(formatValue.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                throw new OptionOutOfRangeException("Format", OptionValues.Quote(formatValue), string.Join(" or ", Formats));
            }

            string modelPath = parse.GetValue(model)!;
            if (string.IsNullOrWhiteSpace(modelPath))
            {
                throw new OptionOutOfRangeException("Model", OptionValues.Quote(modelPath), "a model file written by annlab train (model.annlab in a run folder)");
            }

            string shownPath = parse.GetValue(output) ?? Path.ChangeExtension(modelPath, ".onnx");
            if (OptionValues.RealPath(shownPath) == OptionValues.RealPath(modelPath))
            {
                throw new OptionOutOfRangeException("Output", shownPath, "a file other than the model (AnnLab does not replace it)");
            }

            string outputPath = OptionValues.OutputFileOf(".onnx", "Output", shownPath, new DataOptions().FolderOrNull(null));

            Model m = DataOptions.ReadModel(modelPath, printable: false);
            OnnxExportResult result;
            try
            {
                result = OnnxExport.Save(m, outputPath);
            }
            catch (NotSupportedException e)
            {
                throw new InvalidDataException($"{modelPath}: cannot export to ONNX: {e.Message}", e);
            }

            string shape = string.Join("x", m.Network.InputShape);
            Program.Say($"model: {modelPath}: {m.Network}");
            Program.Say($"wrote {shownPath} ({result.Bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes): ONNX opset {result.Opset}, {result.Operators.Count} nodes ({string.Join(", ", result.Operators)})");
            Program.Say($"input {result.InputName} [batch, {m.Network.InputSize}] float32 in 0..1 ({shape} values / 255, row-major); output {result.OutputName} [batch, {m.Network.OutputSize}]; the {m.ClassNames.Count} class names in its metadata (class_names)");
            return Program.Ok;
        });
        return command;
    }
}

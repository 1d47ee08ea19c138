using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using AnnLab.IO;
using AnnLab.Metrics;

namespace AnnLab.Results;

/// <summary>
/// The JSON form shared by the results files (results.json, evaluation.json, compare.json):
/// snake_case keys, indented, and on reading every key required, no null where the type has none.
/// </summary>
internal static partial class ResultsFile
{
    internal static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,

        // A diverged run can measure an infinite cost; it is written as "Infinity" rather than failing the write.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    internal static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Options);

    internal static void Save<T>(T value, string path) => AtomicFile.WriteAllText(path, ToJson(value));

    // Reads path as a T, then checks the values with check (null when they are right, else what is wrong).
    internal static T Load<T>(string path, string what, Func<T, string?> check)
        where T : class
    {
        RegularFile.Check(path, $"a {what} (JSON)");
        // annlab writes a few kilobytes; a file this large is not one of its results, and reading it whole could exhaust memory.
        const long MaxBytes = 64L << 20;
        if (new FileInfo(path).Length is long length and > MaxBytes)
        {
            throw new InvalidDataException($"{path}: not a valid {what}: {length} bytes, expected at most {MaxBytes}");
        }

        byte[] bytes = File.ReadAllBytes(path);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(bytes, Options);
        }
        catch (JsonException e) when (RootNotAnObject(bytes) is { } found)
        {
            // An empty file, an array, a number: .NET's message would name its own type.
            throw new InvalidDataException($"{path}: not a valid {what}: expected a JSON object, found {found}", e);
        }
        catch (JsonException e) when (MissingKeys().Match(e.Message) is { Success: true } missing)
        {
            // .NET names the type that lacks the keys; the file's keys are "configuration.lambda".
            string prefix = e.Path is { Length: > 2 } p ? p[2..] + "." : "";
            IEnumerable<string> keys = missing.Groups[1].Value.Split(", ").Select(k => prefix + k.Trim('\''));
            throw new InvalidDataException($"{path}: not a valid {what}: missing {(keys.Count() == 1 ? "key" : "keys")} {string.Join(", ", keys)}", e);
        }
        catch (JsonException e) when (e.Path is { Length: > 2 } key && e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            // A value of the wrong type: named by its key ("$.configuration.data_request" -> configuration.data_request), not by .NET's type names.
            throw new InvalidDataException($"{path}: not a valid {what}: {key}: a value of the wrong type (line {e.LineNumber + 1})", e);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid {what}: {e.Message}", e);
        }

        if (value is null)
        {
            throw new InvalidDataException($"{path}: not a valid {what}: the file holds null");
        }

        if (check(value) is { } problem)
        {
            throw new InvalidDataException($"{path}: not a valid {what}: {problem}");
        }

        return value;
    }

    // What the file holds at its top instead of a JSON object ("nothing", "an array", ...), or null when it is an object (or not JSON at all).
    private static string? RootNotAnObject(byte[] bytes)
    {
        if (bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            return "nothing (the file is empty)";
        }

        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read())
            {
                return "nothing (the file is empty)";
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return reader.TokenType switch
        {
            JsonTokenType.StartObject => null,
            JsonTokenType.StartArray => "an array",
            JsonTokenType.String => "a string",
            JsonTokenType.Number => "a number",
            JsonTokenType.True or JsonTokenType.False => "true or false",
            _ => null,
        };
    }

    // System.Text.Json's message for required keys absent: "... missing required properties including: 'lambda', 'seed'."
    [GeneratedRegex(@"missing required properties including: (.+?)\.?$")]
    private static partial Regex MissingKeys();

    // Counts[t, p] as rows.
    internal static int[][] Rows(ClassificationReport report)
    {
        int k = report.Classes.Count;
        var rows = new int[k][];
        for (int t = 0; t < k; t++)
        {
            rows[t] = new int[k];
            for (int p = 0; p < k; p++)
            {
                rows[t][p] = report.Counts[t, p];
            }
        }

        return rows;
    }

    // The first problem found, or null: each check is a key and whether its value is right.
    internal static string? FirstProblem(params (string Key, object? Value, bool Right, string Expected)[] checks)
        => checks.Where(c => !c.Right).Select(c => $"{c.Key}: got {Format(c.Value)}, expected {c.Expected}").FirstOrDefault();

    private static string Format(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        IEnumerable<int> list => "[" + string.Join(", ", list) + "]",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    // A confusion matrix of `classes` rows of `classes` counts >= 0 summing to `total`.
    internal static string? MatrixProblem(string key, IReadOnlyList<IReadOnlyList<int>> matrix, int classes, int total)
    {
        if (matrix.Count != classes || matrix.Any(r => r.Count != classes))
        {
            return $"{key}: got {matrix.Count} rows of [{string.Join(", ", matrix.Select(r => r.Count))}] counts, expected {classes} x {classes} (one row and column per class)";
        }

        if (matrix.Any(r => r.Any(c => c < 0)))
        {
            return $"{key}: got a negative count, expected counts >= 0";
        }

        long sum = matrix.Sum(r => r.Sum(c => (long)c));
        return sum == total ? null : $"{key}: got counts summing to {sum}, expected the {total} images";
    }

    internal static bool IsFraction(double value) => value is >= 0 and <= 1;

    internal static bool IsFraction(double? value) => value is null || IsFraction(value.Value);
}

/// <summary>Writes and reads an enum as its member name in kebab case: <c>MaxEpochs</c> as <c>"max-epochs"</c>, <c>Sgd</c> as <c>"sgd"</c>.</summary>
/// <typeparam name="TEnum">The enum.</typeparam>
public sealed class KebabCaseEnumConverter<TEnum> : JsonStringEnumConverter<TEnum>
    where TEnum : struct, Enum
{
    /// <summary>Names in kebab case; numbers are not accepted.</summary>
    public KebabCaseEnumConverter()
        : base(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)
    {
    }
}

/// <summary>The names the results files write enum values under.</summary>
public static class ResultNames
{
    /// <summary>The member name in kebab case, as <see cref="KebabCaseEnumConverter{TEnum}"/> writes it: <c>StopReason.MaxEpochs</c> is <c>max-epochs</c>.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum
        => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}

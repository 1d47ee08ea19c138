using System.Globalization;
using AnnLab.Training;

namespace AnnLab.Data;

/// <summary>
/// The <c>idx</c> format: any IDX pair (<see cref="DataRequest.Images"/> and <see cref="DataRequest.Labels"/>,
/// optionally <see cref="DataRequest.TestImages"/> and <see cref="DataRequest.TestLabels"/> as its test part),
/// raw or gzip-compressed (format: <see cref="IdxReader"/>), images of any rows x columns of at least 1x1 and
/// 1..256 classes. It opens as an <see cref="IdxFolderSource"/> with no known checksums.
/// </summary>
/// <remarks>
/// The files, and the <see cref="DataRequest.ClassNames"/> file, are absolute or relative to
/// <see cref="DataRequest.Path"/> (a folder; the current folder when null). Classes are named by the
/// class-names file (<see cref="ClassNameFile"/>), which must name every label found, or else "0".."K-1"
/// with K = the largest label + 1; either way the labels are read when opened (one byte per image).
/// </remarks>
public static class IdxPair
{
    /// <summary>The folder the request's files are relative to: <see cref="DataRequest.Path"/> (full path), else the current folder.</summary>
    /// <exception cref="OptionOutOfRangeException"><see cref="DataRequest.Images"/> or <see cref="DataRequest.Labels"/> missing, or only one of the test pair given (option named in backticks as its property).</exception>
    /// <exception cref="DirectoryNotFoundException"><see cref="DataRequest.Path"/> is not a folder.</exception>
    public static string Locate(DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckPairs(request);
        string folder = Path.GetFullPath(string.IsNullOrWhiteSpace(request.Path) ? Environment.CurrentDirectory : request.Path);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException(File.Exists(folder)
                ? $"{folder} (`Path`) is a file; expected the folder the IDX files `Images` and `Labels` are relative to"
                : $"{folder} (`Path`): no such folder; expected the folder the IDX files `Images` and `Labels` are relative to");
        }

        return folder;
    }

    /// <summary>Opens the request's IDX pair(s) in <paramref name="folder"/> (<see cref="Locate"/>): headers, and the labels to count the classes.</summary>
    /// <param name="folder">The folder relative paths start from.</param>
    /// <param name="request">Its <see cref="DataRequest.Images"/>, <see cref="DataRequest.Labels"/>, test pair and <see cref="DataRequest.ClassNames"/>.</param>
    /// <returns>The source, named "IDX" and the images file's name.</returns>
    /// <exception cref="OptionOutOfRangeException">A file of a pair is missing from the request.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, the files disagree, images of 0 pixels, or the class names do not cover the labels; the message names the file.</exception>
    /// <exception cref="IOException">A file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public static IdxFolderSource Open(string folder, DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckPairs(request);
        string Full(string file) => Path.GetFullPath(Path.Combine(folder, file));
        string trainLabels = Full(request.Labels!);
        string? testLabels = request.TestLabels is null ? null : Full(request.TestLabels);
        var files = new IdxFiles(Full(request.Images!), trainLabels, request.TestImages is null ? null : Full(request.TestImages), testLabels);

        // Headers first (shape, counts, agreement), so a bad header is named before any body is read.
        IdxFolderSource.Open("IDX", folder, files, ["0"]);
        (int maxLabel, string where) = MaxLabel(trainLabels);
        if (testLabels is not null && MaxLabel(testLabels) is { } test && test.Max > maxLabel)
        {
            (maxLabel, where) = test;
        }

        IReadOnlyList<string> names;
        if (request.ClassNames is { } namesFile)
        {
            string path = Full(namesFile);
            names = ClassNameFile.Read(path);
            ClassNameFile.CheckCovers(path, names, maxLabel, where);
        }
        else
        {
            names = [.. Enumerable.Range(0, maxLabel + 1).Select(k => k.ToString(CultureInfo.InvariantCulture))];
        }

        return IdxFolderSource.Open("IDX " + Path.GetFileName(files.TrainImages), folder, files, names);
    }

    // The largest label of a labels file (0 for an empty one) and the file.
    private static (int Max, string Path) MaxLabel(string path)
    {
        byte[] labels = IdxReader.ReadLabels(path, 256).Labels;
        return (labels.Length == 0 ? 0 : labels.Max(), path);
    }

    private static void CheckPairs(DataRequest request)
    {
        if (request.Images is null || request.Labels is null)
        {
            string missing = request.Images is null ? nameof(DataRequest.Images) : nameof(DataRequest.Labels);
            throw new OptionOutOfRangeException(missing, "none", $"an IDX {(missing == nameof(DataRequest.Images) ? "images" : "labels")} file: the idx format takes `Images` and `Labels` together");
        }

        if ((request.TestImages is null) != (request.TestLabels is null))
        {
            string missing = request.TestImages is null ? nameof(DataRequest.TestImages) : nameof(DataRequest.TestLabels);
            throw new OptionOutOfRangeException(missing, "none", "an IDX file: a test part takes `TestImages` and `TestLabels` together");
        }
    }
}

namespace AnnLab.Data;

/// <summary>
/// A published data set stored as four IDX files (MNIST and its kin), described as data: where it
/// is published, its file names, class names, shape, counts and checksums, and how its files are
/// laid out. <see cref="KnownIdxDatasets"/> lists them; each gives one line of <see cref="DatasetSources.All"/>.
/// </summary>
/// <param name="Name">Its name as <see cref="DataRequest.Dataset"/> gives it, e.g. <c>mnist</c>; also the folder name <c>data/NAME</c>.</param>
/// <param name="DisplayName">Its name in messages, e.g. <c>MNIST</c>.</param>
/// <param name="Summary">One line for the help and the README: what it is, its counts, who published it.</param>
/// <param name="Url">Where it is published (what a missing-folder message points to).</param>
/// <param name="Files">The four file names as published (.gz); each may also be stored raw, without .gz.</param>
/// <param name="ClassNames">One name per class, label 0 first (after <paramref name="LabelOffset"/> is taken off).</param>
/// <param name="Known">The images' shape and, per file, the original's item count and checksums.</param>
/// <param name="Transposed">True when every image is stored column by column (EMNIST): it is transposed on read, so it stands upright like MNIST's.</param>
/// <param name="LabelOffset">What the files' labels start at (EMNIST letters: 1, for a..z); taken off on read, so labels start at 0.</param>
public sealed record KnownIdxDataset(
    string Name,
    string DisplayName,
    string Summary,
    string Url,
    IdxFiles Files,
    IReadOnlyList<string> ClassNames,
    KnownIdxData Known,
    bool Transposed = false,
    int LabelOffset = 0)
{
    /// <summary>Where Debian-style packages install data sets: <c>/usr/share/datasets/NAME</c>.</summary>
    public const string SystemRoot = "/usr/share/datasets";

    /// <summary>The registry line: located by <see cref="Locate"/>, opened by <see cref="Open(string, VerifiedFiles)"/>, recognised by <see cref="Holds"/>.</summary>
    public DatasetKind Kind => new(Name, Summary, Locate, (dir, _) => Open(dir, VerifiedFiles.Default), Holds);

    /// <summary>
    /// Finds the data set's folder: <see cref="DataRequest.Path"/> when given, the only place looked in;
    /// else <c>data/NAME</c> in the first folder at or above <see cref="DataRequest.SearchFrom"/> that
    /// has it (the repository), then <c>$XDG_DATA_HOME/annlab/NAME</c> (<c>~/.local/share/annlab/NAME</c>
    /// by default), then <c>/usr/share/datasets/NAME</c>. The first that exists is used, and must hold the four files.
    /// </summary>
    /// <returns>The folder, full path.</returns>
    /// <exception cref="DirectoryNotFoundException">No folder found: the message lists every place looked in, the files to put there and where they are published.</exception>
    /// <exception cref="FileNotFoundException">The folder lacks a file; the message names it.</exception>
    public string Locate(DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var places = new List<(string Path, string Why)>();
        if (!string.IsNullOrWhiteSpace(request.Path))
        {
            places.Add((Path.GetFullPath(request.Path), "`Path`"));
        }
        else
        {
            string relative = Path.Combine("data", Name);
            string? repo = request.SearchFrom.Select(s => FindUpwards(s, relative)).FirstOrDefault(p => p is not null);
            places.Add((repo ?? $"data/{Name} in the repository", repo is null ? "not found above " + string.Join(" or ", request.SearchFrom) : "the repository's"));
            places.Add((Path.Combine(UserDataRoot(), Name), "the user's data folder"));
            places.Add((Path.Combine(SystemRoot, Name), "the system's data sets"));
        }

        string looked = string.Join("; ", places.Select(p => $"{p.Path} ({p.Why})"));
        string wanted = $"{string.Join(", ", Files.All)} (or each without .gz), published at {Url}";
        foreach ((string path, string why) in places)
        {
            if (File.Exists(path))
            {
                throw new DirectoryNotFoundException($"{path} ({why}) is a file; expected the {DisplayName} folder that holds {wanted}");
            }

            if (!Directory.Exists(path))
            {
                continue;
            }

            string[] missing = Files.All.Where(f => Stored(path, f) is null).ToArray();
            if (missing.Length > 0)
            {
                throw new FileNotFoundException($"the {DisplayName} folder {path} lacks {string.Join(", ", missing)} (or each without .gz), published at {Url}", Path.Combine(path, missing[0]));
            }

            return path;
        }

        throw new DirectoryNotFoundException($"no {DisplayName} folder found; looked in: {looked}; put {wanted}, in one of them, or give its folder as `Path` (only Fashion-MNIST ships with AnnLab)");
    }

    /// <summary>
    /// Opens the folder <paramref name="directory"/> (see <see cref="Locate"/>): the four headers are read,
    /// no image yet; each file is taken as published (.gz) or else raw (the name without .gz).
    /// </summary>
    /// <param name="directory">The folder.</param>
    /// <param name="verified">Files already found intact (tests give their own).</param>
    /// <returns>The source; its images are transposed and its labels shifted as this data set needs.</returns>
    /// <exception cref="InvalidDataException">A header is malformed, the files disagree, or a header claims another image shape or more items than the original; the message names the file.</exception>
    /// <exception cref="IOException">A file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    public IdxFolderSource Open(string directory, VerifiedFiles verified)
    {
        string Name(string file) => Stored(directory, file) ?? file;
        var files = new IdxFiles(Name(Files.TrainImages), Name(Files.TrainLabels), Name(Files.TestImages!), Name(Files.TestLabels!));
        return IdxFolderSource.Open(DisplayName, directory, files, ClassNames, Known, verified, Transposed, LabelOffset);
    }

    /// <summary>Whether <paramref name="path"/> is a folder holding this data set's training images file (.gz or raw), judged by name only.</summary>
    public bool Holds(string path) => Directory.Exists(path) && Stored(path, Files.TrainImages) is not null;

    /// <summary>"t10k-images" for "t10k-images-idx3-ubyte.gz": how messages call a file.</summary>
    internal static string ShortName(string fileName)
    {
        string name = fileName.EndsWith(".gz", StringComparison.Ordinal) ? fileName[..^3] : fileName;
        foreach (string suffix in new[] { "-idx3-ubyte", "-idx1-ubyte" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    /// <summary>The file's name as stored in <paramref name="directory"/>: as published, else without .gz; null when neither is there.</summary>
    internal static string? Stored(string directory, string fileName)
    {
        if (File.Exists(Path.Combine(directory, fileName)) || Directory.Exists(Path.Combine(directory, fileName)))
        {
            return fileName;
        }

        string raw = fileName.EndsWith(".gz", StringComparison.Ordinal) ? fileName[..^3] : fileName;
        return File.Exists(Path.Combine(directory, raw)) ? raw : null;
    }

    /// <summary>The first folder at or above <paramref name="start"/> that holds <paramref name="relative"/>, or null.</summary>
    internal static string? FindUpwards(string start, string relative)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    // $XDG_DATA_HOME/annlab (XDG Base Directory Specification), else ~/.local/share/annlab.
    private static string UserDataRoot()
    {
        string? data = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrWhiteSpace(data) || !Path.IsPathRooted(data))
        {
            data = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(data, "annlab");
    }
}

using System.Runtime.InteropServices;

namespace AnnLab.IO;

/// <summary>
/// Opens files that must be regular files (data, results): a FIFO would block the open until a
/// writer comes, a device may never end, and a folder is no data; all are refused before opening.
/// </summary>
public static class RegularFile
{
    /// <summary>Opens <paramref name="path"/> for reading if it is a regular file (or a link to one).</summary>
    /// <param name="path">The file.</param>
    /// <param name="expected">What it should be, for messages: "an IDX file".</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The path is a folder, a FIFO, a device or a socket; the message names it.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static FileStream OpenRead(string path, string expected)
    {
        Check(path, expected);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    /// <summary>Checks that <paramref name="path"/> is a regular file (or a link to one); see <see cref="OpenRead"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The path is a folder, a FIFO, a device or a socket; the message names it.</exception>
    public static void Check(string path, string expected)
    {
        if (Directory.Exists(path))
        {
            throw new InvalidDataException($"{path}: is a folder; expected {expected}");
        }

        var info = new FileInfo(path);
        FileSystemInfo target = info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true) ?? info : info;
        if (!target.Exists)
        {
            throw new FileNotFoundException($"{path}: no such file", path);
        }

        if (!IsRegular(target))
        {
            throw new InvalidDataException($"{path}: is not a regular file (a FIFO, device or socket); expected {expected}");
        }
    }

    private static bool IsRegular(FileSystemInfo info)
    {
        if (OperatingSystem.IsWindows())
        {
            return (info.Attributes & (FileAttributes.Directory | FileAttributes.Device)) == 0;
        }

        // FileSystemInfo calls a FIFO, a device or a socket a normal file; the runtime's own stat
        // shim (the one FileStatus uses) gives the file type, in its platform-independent bits.
        Span<byte> status = stackalloc byte[512];
        try
        {
            if (NativeStat(info.FullName, ref status[0]) != 0)
            {
                return true;   // the open that follows reports why
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return true;
        }

        const int TypeMask = 0xF000, RegularType = 0x8000;
        return (MemoryMarshal.Read<int>(status[4..]) & TypeMask) == RegularType;
    }

    // struct FileStatus { int32 Flags; int32 Mode; ... } of dotnet/runtime src/native/libs/System.Native/pal_io.h.
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi)]
    private static extern int NativeStat(string path, ref byte status);
}

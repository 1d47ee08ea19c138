using System.Text;
using AnnLab.Data;

namespace AnnLab.Tests.Data;

/// <summary>The class-names file: what it accepts (BOM, CRLF, blank lines at the end, any UTF-8 name) and each refusal, named by file and line.</summary>
public class ClassNameFileTests
{
    [Fact]
    public void A_bom_crlf_and_blank_trailing_lines_are_allowed_and_names_are_kept_as_written()
    {
        string path = Write([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("T-shirt/top\r\n  Ankle boot\r\nお\r\n\r\n \n")]);
        Assert.Equal(["T-shirt/top", "  Ankle boot", "お"], ClassNameFile.Read(path));
        ClassNameFile.CheckCovers(path, ["a", "b", "c"], 2, "labels");
    }

    [Fact]
    public void Not_utf8_too_many_names_or_a_name_missing_for_a_label_is_refused_naming_the_file()
    {
        string path = Write([0x63, 0x61, 0x74, 0x0A, 0xFF, 0xFE, 0x0A]);
        var e = Assert.Throws<InvalidDataException>(() => ClassNameFile.Read(path));
        Assert.Equal($"{path}: not UTF-8 text; expected class names, one per line", e.Message);

        path = Write(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 257).Select(i => $"c{i}\n"))));
        e = Assert.Throws<InvalidDataException>(() => ClassNameFile.Read(path));
        Assert.Equal($"{path}: 257 class names, expected 1..256, one per line", e.Message);
        Assert.Equal(256, ClassNameFile.Read(Write(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 256).Select(i => $"c{i}\n"))))).Count);

        e = Assert.Throws<InvalidDataException>(() => ClassNameFile.CheckCovers("names.txt", ["a", "b"], 5, "labels.idx"));
        Assert.Equal("names.txt: 2 class names, but labels.idx holds label 5; expected at least 6 names", e.Message);
    }

    [Fact]
    public void A_name_of_more_utf8_bytes_than_a_model_file_stores_is_refused_naming_the_file_and_line()
    {
        Assert.Equal(4096, AnnLab.Network.ModelFile.MaxStringBytes);
        string path = Write(Encoding.UTF8.GetBytes(new string('a', 4096) + "\nb\n"));
        Assert.Equal(4096, ClassNameFile.Read(path)[0].Length);

        path = Write(Encoding.UTF8.GetBytes(new string('a', 4097) + "\nb\n"));
        var e = Assert.Throws<InvalidDataException>(() => ClassNameFile.Read(path));
        Assert.Equal($"{path}: line 1: expected a class name of at most 4096 UTF-8 bytes (the most a model file stores), got 4097", e.Message);

        // 2049 characters of two bytes each: counted in bytes, not characters.
        path = Write(Encoding.UTF8.GetBytes("a\n" + new string('é', 2049) + "\n"));
        e = Assert.Throws<InvalidDataException>(() => ClassNameFile.Read(path));
        Assert.Equal($"{path}: line 2: expected a class name of at most 4096 UTF-8 bytes (the most a model file stores), got 4098", e.Message);
    }

    private static string Write(byte[] bytes)
    {
        string path = Path.Combine(TestPaths.NewTempDirectory(), "names.txt");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}

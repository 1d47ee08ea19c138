using SkiaSharp;

namespace AnnLab.Tests.Data;

/// <summary>
/// Writes a folder of images, one subfolder per class, as a user's own data set would be: white
/// discs, squares and triangles of random sizes at random positions on black, drawn with SkiaSharp
/// (antialiased) and saved as PNG. The same seed writes the same files.
/// </summary>
internal static class ShapeImages
{
    /// <summary>The classes, in the order their folder names sort (their labels).</summary>
    public static IReadOnlyList<string> Classes { get; } = ["disc", "square", "triangle"];

    /// <summary>Writes <paramref name="perClass"/> images of <paramref name="size"/> x <paramref name="size"/> per class into <c>root/CLASS/CLASS-NNNN.png</c>.</summary>
    /// <returns><paramref name="root"/>.</returns>
    public static string Write(string root, int perClass, int seed, int size = 32, float smallest = 0.6f, float largest = 0.9f)
    {
        var random = new Random(seed);
        foreach (string name in Classes)
        {
            Directory.CreateDirectory(Path.Combine(root, name));
        }

        for (int i = 0; i < perClass; i++)
        {
            for (int c = 0; c < Classes.Count; c++)
            {
                WritePng(Path.Combine(root, Classes[c], $"{Classes[c]}-{i:D4}.png"), c, size, random, smallest, largest);
            }
        }

        return root;
    }

    /// <summary>One image of class <paramref name="shape"/> (an index into <see cref="Classes"/>): side <paramref name="smallest"/>..<paramref name="largest"/> of the image (60..90 %), anywhere it fits.</summary>
    public static void WritePng(string path, int shape, int size, Random random, float smallest = 0.6f, float largest = 0.9f)
    {
        float side = size * (smallest + ((largest - smallest) * random.NextSingle()));
        float left = random.NextSingle() * (size - side), top = random.NextSingle() * (size - side);
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = SKColors.White, IsAntialias = true, Style = SKPaintStyle.Fill })
        {
            canvas.Clear(SKColors.Black);
            switch (Classes[shape])
            {
                case "disc":
                    canvas.DrawCircle(left + (side / 2), top + (side / 2), side / 2, paint);
                    break;
                case "square":
                    canvas.DrawRect(left, top, side, side, paint);
                    break;
                default:
                    using (var triangle = new SKPath())
                    {
                        triangle.MoveTo(left + (side / 2), top);
                        triangle.LineTo(left + side, top + side);
                        triangle.LineTo(left, top + side);
                        triangle.Close();
                        canvas.DrawPath(triangle, paint);
                    }

                    break;
            }
        }

        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, png.ToArray());
    }
}

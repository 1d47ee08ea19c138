namespace AnnLab.Data;

/// <summary>
/// Images read from an IDX file of unsigned bytes with 3 dimensions (count x rows x columns).
/// </summary>
public sealed class IdxImages
{
    /// <summary>Creates a set of images; <see cref="IdxReader.ReadImages(string)"/> is the usual source.</summary>
    /// <param name="path">The file the images came from (used in messages).</param>
    /// <param name="count">Number of images, at least 0.</param>
    /// <param name="rows">Rows per image, at least 0.</param>
    /// <param name="columns">Columns per image, at least 0.</param>
    /// <param name="pixels">Pixel bytes, length <paramref name="count"/> x <paramref name="rows"/> x <paramref name="columns"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> has the wrong length.</exception>
    public IdxImages(string path, int count, int rows, int columns, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (pixels.Length != (Int128)count * rows * columns)
        {
            throw new ArgumentException(
                $"{count} images of {rows}x{columns} need {(Int128)count * rows * columns} pixel bytes, got {pixels.Length}",
                nameof(pixels));
        }

        Path = path;
        Count = count;
        Rows = rows;
        Columns = columns;
        Pixels = pixels;
    }

    /// <summary>The file the images came from.</summary>
    public string Path { get; }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Rows per image (28 for Fashion-MNIST).</summary>
    public int Rows { get; }

    /// <summary>Columns per image (28 for Fashion-MNIST).</summary>
    public int Columns { get; }

    /// <summary>
    /// Pixel intensities 0..255, shape Count x Rows x Columns: row-major within an image, one image
    /// after another, so pixel (r, c) of image i is at <c>(i * Rows + r) * Columns + c</c>.
    /// </summary>
    public byte[] Pixels { get; }
}

/// <summary>Labels read from an IDX file of unsigned bytes with 1 dimension (count).</summary>
public sealed class IdxLabels
{
    /// <summary>Creates a set of labels; <see cref="IdxReader.ReadLabels(string, int)"/> is the usual source.</summary>
    /// <param name="path">The file the labels came from (used in messages).</param>
    /// <param name="labels">One class index per item.</param>
    public IdxLabels(string path, byte[] labels)
    {
        Path = path;
        Labels = labels;
    }

    /// <summary>The file the labels came from.</summary>
    public string Path { get; }

    /// <summary>Number of labels.</summary>
    public int Count => Labels.Length;

    /// <summary>Class indices, shape Count; every one is below the class count it was read with.</summary>
    public byte[] Labels { get; }
}

namespace AnnLab.Data;

/// <summary>
/// Labeled images kept as bytes (0..255), one image after another, row-major; a slice of a larger
/// set shares its memory. Pixels become x / 255 only when a batch is gathered for the network.
/// </summary>
public sealed class ImageSet
{
    /// <summary>Creates a set over <paramref name="pixels"/> (count x features) and <paramref name="labels"/> (count).</summary>
    /// <param name="pixels">count x rows x columns bytes, row-major within an image, one image after another.</param>
    /// <param name="labels">count class indices.</param>
    /// <param name="features">Pixels per image, rows x columns.</param>
    /// <param name="rows">Image height in pixels (1 for flat vectors).</param>
    /// <param name="columns">Image width in pixels.</param>
    /// <exception cref="ArgumentException">The lengths do not agree with <paramref name="features"/>, or rows x columns is not <paramref name="features"/>.</exception>
    public ImageSet(ReadOnlyMemory<byte> pixels, ReadOnlyMemory<byte> labels, int features, int rows, int columns)
    {
        if (features < 1 || pixels.Length != (long)labels.Length * features)
        {
            throw new ArgumentException($"{labels.Length} labels need {(long)labels.Length * features} pixel bytes of {features} features each, got {pixels.Length}");
        }

        if (rows < 1 || columns < 1 || (long)rows * columns != features)
        {
            throw new ArgumentException($"images of {rows}x{columns} pixels have {(long)rows * columns} features, expected {features}");
        }

        Pixels = pixels;
        Labels = labels;
        Features = features;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>count x features bytes.</summary>
    public ReadOnlyMemory<byte> Pixels { get; }

    /// <summary>count labels, each a class index.</summary>
    public ReadOnlyMemory<byte> Labels { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Pixels per image, <see cref="Rows"/> x <see cref="Columns"/>.</summary>
    public int Features { get; }

    /// <summary>Image height in pixels.</summary>
    public int Rows { get; }

    /// <summary>Image width in pixels.</summary>
    public int Columns { get; }

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => Pixels.Span.Slice(index * Features, Features);

    /// <summary>Images <paramref name="start"/> .. start + count - 1, sharing memory.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the set.</exception>
    public ImageSet Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count, nameof(count));
        return new ImageSet(Pixels.Slice(start * Features, count * Features), Labels.Slice(start, count), Features, Rows, Columns);
    }

    /// <summary>The images at <paramref name="indices"/>, in that order (copies them).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the set.</exception>
    public ImageSet Subset(IReadOnlyList<int> indices)
    {
        var pixels = new byte[indices.Count * Features];
        var labels = new byte[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            int index = indices[i];
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            Image(index).CopyTo(pixels.AsSpan(i * Features));
            labels[i] = Labels.Span[index];
        }

        return new ImageSet(pixels, labels, Features, Rows, Columns);
    }

    /// <summary>This set followed by <paramref name="other"/> (copies both).</summary>
    /// <exception cref="ArgumentException">The image sizes differ.</exception>
    public ImageSet Concat(ImageSet other)
    {
        if (other.Features != Features)
        {
            throw new ArgumentException($"cannot join images of {Features} and {other.Features} pixels", nameof(other));
        }

        var pixels = new byte[Pixels.Length + other.Pixels.Length];
        Pixels.Span.CopyTo(pixels);
        other.Pixels.Span.CopyTo(pixels.AsSpan(Pixels.Length));
        var labels = new byte[Count + other.Count];
        Labels.Span.CopyTo(labels);
        other.Labels.Span.CopyTo(labels.AsSpan(Count));
        return new ImageSet(pixels, labels, Features, Rows, Columns);
    }
}

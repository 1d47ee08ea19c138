namespace AnnLab.Data;

/// <summary>
/// The shape of one image of a data set: rows x columns pixels of <see cref="Channels"/> values each
/// (1 for the grayscale sets read today; a color set would have 3, stored channel after channel).
/// </summary>
/// <param name="Rows">Image height in pixels, at least 1.</param>
/// <param name="Columns">Image width in pixels, at least 1.</param>
/// <param name="Channels">Values per pixel, at least 1.</param>
public readonly record struct ImageShape(int Rows, int Columns, int Channels = 1)
{
    /// <summary>Values per image, rows x columns x channels: the network's input size.</summary>
    public int Pixels => Rows * Columns * Channels;

    /// <summary>The shape as a network's input shape: [rows, columns], or [channels, rows, columns] with more than one channel.</summary>
    public IReadOnlyList<int> Dimensions => Channels == 1 ? [Rows, Columns] : [Channels, Rows, Columns];

    /// <summary>"28x28", or "32x32x3" with channels.</summary>
    public override string ToString() => Channels == 1 ? $"{Rows}x{Columns}" : $"{Rows}x{Columns}x{Channels}";
}

using AnnLab.Network;

namespace AnnLab.Data;

/// <summary>
/// Training-time data augmentation of one image: a random shift of -2..2 pixels in each direction
/// (zeros come in at the edges) and a horizontal flip with probability 1/2, the usual light
/// augmentation for Fashion-MNIST-sized images (Xiao, Rasul and Vollgraf 2017 list shifts and flips
/// among their benchmark's settings).
/// </summary>
/// <remarks>The draw depends on (seed, step, row) only (<see cref="CounterRandom"/>), so threads do not change it.</remarks>
public static class ImageAugmentation
{
    /// <summary>Writes the shifted, maybe flipped <paramref name="image"/> into <paramref name="result"/>.</summary>
    /// <param name="image">rows x columns pixels, row-major.</param>
    /// <param name="result">rows x columns pixels, written; must not overlap <paramref name="image"/>.</param>
    /// <param name="rows">Image height.</param>
    /// <param name="columns">Image width.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="step">The training step.</param>
    /// <param name="row">The image's row in the batch.</param>
    public static void ShiftAndFlip(ReadOnlySpan<byte> image, Span<byte> result, int rows, int columns, ulong seed, ulong step, int row)
    {
        ulong draw = CounterRandom.Next(seed, step, (1UL << 63) | (uint)row);
        int dx = (int)(draw % 5) - 2, dy = (int)((draw >> 8) % 5) - 2;
        bool flip = ((draw >> 16) & 1) == 1;
        result.Clear();
        for (int r = 0; r < rows; r++)
        {
            int from = r - dy;
            if (from < 0 || from >= rows)
            {
                continue;
            }

            for (int c = 0; c < columns; c++)
            {
                int source = (flip ? columns - 1 - c : c) - dx;
                if (source >= 0 && source < columns)
                {
                    result[(r * columns) + c] = image[(from * columns) + source];
                }
            }
        }
    }
}

using System.Numerics;
using System.Numerics.Tensors;
using AnnLab.Data;
using AnnLab.Kernels;

namespace AnnLab.Network;

/// <summary>
/// The batch's inputs: which images of which set, gathered row block by row block into m x n
/// values x / 255 of type T with their labels, prefetching the images a few rows ahead and
/// augmenting them while training when asked.
/// </summary>
internal sealed unsafe class BatchInputs<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Ahead = 6; // rows prefetched ahead of the one being converted
    private static readonly T Scale255 = T.CreateChecked(255);

    private readonly int width;
    private readonly string owner; // the network, for messages
    private readonly T[] inputs;       // maxRows x width
    private readonly byte[] labels;    // maxRows
    private readonly int[] indices;    // maxRows: image of each row
    private byte[] augmentScratch = []; // maxRows x width, allocated when augmentation is on
    private ImageSet? set;
    private int gathered; // rows already converted

    public BatchInputs(int maxRows, int width, string owner)
    {
        this.width = width;
        this.owner = owner;
        MaxRows = maxRows;
        inputs = new T[(long)maxRows * width];
        labels = new byte[maxRows];
        indices = new int[maxRows];
    }

    public int MaxRows { get; }

    /// <summary>The m x width inputs (valid once gathered).</summary>
    public T[] Values => inputs;

    /// <summary>The labels (valid once gathered).</summary>
    public byte[] Labels => labels;

    /// <summary>Whether rows 0..m-1 still need gathering from an image set.</summary>
    public bool Pending(int m) => gathered < m && set is not null;

    public bool Augment
    {
        get => augmentScratch.Length > 0;
        set => augmentScratch = value ? (augmentScratch.Length > 0 ? augmentScratch : new byte[MaxRows * width]) : [];
    }

    public void Select(ImageSet images, ReadOnlySpan<int> rows)
    {
        Check(images, rows.Length);
        rows.CopyTo(indices);
        set = images;
        gathered = 0;
    }

    public void SelectRange(ImageSet images, int start, int count)
    {
        Check(images, count);
        for (int i = 0; i < count; i++)
        {
            indices[i] = start + i;
        }

        set = images;
        gathered = 0;
    }

    public void Use(ReadOnlySpan<T> values, ReadOnlySpan<byte> batchLabels)
    {
        int m = batchLabels.Length;
        if (m > MaxRows || values.Length != m * width)
        {
            throw new ArgumentException($"expected {m} x {width} inputs for {m} labels (at most {MaxRows}), got {values.Length} values");
        }

        values.CopyTo(inputs);
        batchLabels.CopyTo(labels);
        set = null;
        gathered = m;
    }

    public void MarkGathered(int m) => gathered = Math.Max(gathered, m);

    /// <summary>Converts rows r0..r1 (augmented when <paramref name="augment"/>), on the thread that will use them.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Gather(int r0, int r1, bool augment, ulong seed, ulong step)
    {
        ImageSet images = set!;
        ReadOnlySpan<byte> pixels = images.Pixels.Span;
        ReadOnlySpan<byte> setLabels = images.Labels.Span;
        int n = width;
        for (int i = r0; i < Math.Min(r1, r0 + Ahead); i++)
        {
            Prefetch(pixels.Slice(indices[i] * n, n));
        }

        for (int i = r0; i < r1; i++)
        {
            // Shuffled images come from all over the training set, beyond the caches: ask for the
            // ones a few rows ahead while converting this one, so the memory latency overlaps.
            if (i + Ahead < r1)
            {
                Prefetch(pixels.Slice(indices[i + Ahead] * n, n));
            }

            int index = indices[i];
            if (augment)
            {
                Span<byte> moved = augmentScratch.AsSpan(i * n, n);
                ImageAugmentation.ShiftAndFlip(pixels.Slice(index * n, n), moved, images.Rows, images.Columns, seed, step, i);
                Convert(moved, inputs.AsSpan(i * n, n));
            }
            else
            {
                Convert(pixels.Slice(index * n, n), inputs.AsSpan(i * n, n));
            }

            labels[i] = setLabels[index];
        }
    }

    // x / 255 in T, exactly as NumPy's float32(x) / 255.
    private static void Convert(ReadOnlySpan<byte> source, Span<T> destination)
    {
        if (typeof(T) == typeof(float))
        {
            PixelConversion.ToSingle(source, System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(destination));
            return;
        }

        TensorPrimitives.ConvertTruncating(source, destination);
        TensorPrimitives.Divide(destination, Scale255, destination);
    }

    private static void Prefetch(ReadOnlySpan<byte> bytes)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            return;
        }

        fixed (byte* p = bytes)
        {
            for (int offset = 0; offset < bytes.Length; offset += 64)
            {
                System.Runtime.Intrinsics.X86.Sse.Prefetch0(p + offset);
            }

            System.Runtime.Intrinsics.X86.Sse.Prefetch0(p + bytes.Length - 1);
        }
    }

    private void Check(ImageSet images, int count)
    {
        if (images.Features != width)
        {
            throw new ArgumentException($"the images have {images.Features} pixels, the network {owner} expects {width} inputs", nameof(images));
        }

        if (count < 0 || count > MaxRows)
        {
            throw new ArgumentException($"a batch of {count} samples does not fit the buffers of {MaxRows}", nameof(count));
        }
    }
}

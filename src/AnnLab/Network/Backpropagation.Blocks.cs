using System.Runtime.CompilerServices;

namespace AnnLab.Network;

/// <summary>The layer list built from the network's description, and the row blocks that run through it.</summary>
public sealed unsafe partial class Backpropagation<T>
{
    // The layer list of the network, with dropout after each hidden activation when it is on, and
    // the value and delta buffers between the layers.
    private void BuildLayers()
    {
        var list = new List<ILayer<T>>();
        denseOutput = new int[network.LayerCount];
        activationOutput = new int[network.LayerCount];
        ParameterLayout layout = network.Layout;
        int dense = -1, width = network.InputSize;
        foreach (LayerSpec spec in network.Layers)
        {
            switch (spec)
            {
                case DenseSpec:
                    dense++;
                    list.Add(new DenseLayer<T>(layout.Weights(dense), layout.Biases(dense)));
                    denseOutput[dense] = activationOutput[dense] = list.Count;
                    break;
                case ActivationSpec activation:
                    list.Add(new ActivationLayer<T>(activation.Function, width));
                    activationOutput[dense] = list.Count;
                    if (dropoutRate > 0)
                    {
                        // SetRegularizers' dropout follows every hidden activation.
                        list.Add(new DropoutLayer<T>(dropoutRate, width, dense, MaxBatchSize));
                    }

                    break;
                case DropoutSpec dropout:
                    list.Add(new DropoutLayer<T>(dropout.Rate, width, dense, MaxBatchSize));
                    break;
                default:
                    throw new NotSupportedException($"no engine layer for a {spec.Kind} layer");
            }

            width = list[^1].OutputWidth;
        }

        layers = [.. list];
        values = new T[layers.Length + 1][];
        deltas = new T[layers.Length + 1][];
        values[0] = batch.Values;
        deltas[0] = [];
        for (int i = 0; i < layers.Length; i++)
        {
            values[i + 1] = new T[MaxBatchSize * layers[i].OutputWidth];
        }

        deltas[layers.Length] = new T[MaxBatchSize * network.OutputSize];
        for (int i = layers.Length - 1; i > 0; i--)
        {
            deltas[i] = layers[i].InPlaceDelta ? deltas[i + 1] : new T[MaxBatchSize * layers[i].InputWidth];
        }
    }

    // Runs the work for every block of the batch, the blocks handed out one at a time to the team.
    // A block gathers its own rows first, so they are converted in the cache of the core that uses
    // them. No allocation: the work is named by fields and one delegate made in the constructor.
    private void RunBlocks(int m, Work what)
    {
        gathering = batch.Pending(m);
        augmenting = gathering && what == Work.Gradient && batch.Augment;
        batchRows = m;
        work = what;
        team.Run(BlockCount(m), runBlock);
        if (gathering)
        {
            batch.MarkGathered(m);
        }
    }

    private void EnsureGathered(int m)
    {
        if (batch.Pending(m))
        {
            RunBlocks(m, Work.Gather);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunBlock(int b)
    {
        int m = batchRows, blocks = BlockCount(m);
        int r0 = BlockStart(b, blocks, m), r1 = BlockStart(b + 1, blocks, m);
        if (gathering)
        {
            batch.Gather(r0, r1, augmenting, seed, trainingStep);
        }

        if (work == Work.Gather)
        {
            return;
        }

        bool training = work == Work.Gradient;
        T[] partial = training ? partialGradients[b] : [];
        var pass = new LayerPass<T>(new ReadOnlySpan<T>(parameterPointer, network.ParameterCount), partial, m, r0, r1, training ? Phase.Training : Phase.Inference, seed, trainingStep);
        for (int i = 0; i < layers.Length; i++)
        {
            layers[i].Forward(pass, values[i], values[i + 1]);
        }

        int k = network.OutputSize, rows = r1 - r0;
        OutputLayer output = network.Output;
        ReadOnlySpan<T> z = pass.BlockRows(values[layers.Length].AsSpan(), k);
        Span<T> h = pass.BlockRows(outputs.AsSpan(), k);
        ReadOnlySpan<byte> labels = batch.Labels.AsSpan(r0, rows);
        output.Forward(z, h, k);
        output.SampleCosts(z, labels, sampleCost.AsSpan(r0, rows), costScratch.AsSpan(2 * r0 * k, 2 * rows * k), k);
        if (!training)
        {
            return;
        }

        Array.Clear(partial);
        output.Delta<T>(h, labels, pass.BlockRows(deltas[layers.Length].AsSpan(), k), k);
        for (int i = layers.Length - 1; i >= 0; i--)
        {
            layers[i].Backward(pass, values[i], values[i + 1], deltas[i + 1], deltas[i]);
        }
    }

    // Even block boundaries keep the two-row kernels on their fast path.
    private static int BlockStart(int block, int blocks, int m) => block == blocks ? m : (int)((long)block * m / blocks) & ~1;
}

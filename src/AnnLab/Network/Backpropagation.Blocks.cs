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
        if (profile is not null)
        {
            RunProfiledBlock(b, profile);
            return;
        }

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

        ForwardOutput(pass, r0, r1);
        if (!training)
        {
            return;
        }

        network.Output.Delta<T>(outputs.AsSpan(r0 * network.OutputSize, (r1 - r0) * network.OutputSize), batch.Labels.AsSpan(r0, r1 - r0), pass.BlockRows(deltas[layers.Length].AsSpan(), network.OutputSize), network.OutputSize);
        for (int i = layers.Length - 1; i >= 0; i--)
        {
            layers[i].Backward(pass, values[i], values[i + 1], deltas[i + 1], deltas[i]);
        }
    }

    // The output layer's h and sample costs for the block.
    private void ForwardOutput(in LayerPass<T> pass, int r0, int r1)
    {
        int k = network.OutputSize, rows = r1 - r0;
        OutputLayer output = network.Output;
        ReadOnlySpan<T> z = pass.BlockRows(values[layers.Length].AsSpan(), k);
        Span<T> h = pass.BlockRows(outputs.AsSpan(), k);
        output.Forward(z, h, k);
        output.SampleCosts(z, batch.Labels.AsSpan(r0, rows), sampleCost.AsSpan(r0, rows), costScratch.AsSpan(2 * r0 * k, 2 * rows * k), k);
    }

    // RunBlock's work, the same calls in the same order, with a timestamp at each phase boundary
    // (StepProfile's phase numbers: see StartProfile).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunProfiledBlock(int b, StepProfile timer)
    {
        long t = System.Diagnostics.Stopwatch.GetTimestamp();
        int m = batchRows, blocks = BlockCount(m), count = layers.Length;
        int r0 = BlockStart(b, blocks, m), r1 = BlockStart(b + 1, blocks, m);
        if (gathering)
        {
            batch.Gather(r0, r1, augmenting, seed, trainingStep);
            t = timer.Lap(0, t);
        }

        if (work == Work.Gather)
        {
            return;
        }

        bool training = work == Work.Gradient;
        T[] partial = training ? partialGradients[b] : [];
        var pass = new LayerPass<T>(new ReadOnlySpan<T>(parameterPointer, network.ParameterCount), partial, m, r0, r1, training ? Phase.Training : Phase.Inference, seed, trainingStep);
        for (int i = 0; i < count; i++)
        {
            layers[i].Forward(pass, values[i], values[i + 1]);
            t = timer.Lap(1 + i, t);
        }

        ForwardOutput(pass, r0, r1);
        if (!training)
        {
            timer.Lap(1 + count, t);
            return;
        }

        network.Output.Delta<T>(outputs.AsSpan(r0 * network.OutputSize, (r1 - r0) * network.OutputSize), batch.Labels.AsSpan(r0, r1 - r0), pass.BlockRows(deltas[count].AsSpan(), network.OutputSize), network.OutputSize);
        t = timer.Lap(1 + count, t);
        for (int i = count - 1; i >= 0; i--)
        {
            if (layers[i] is DenseLayer<T> dense)
            {
                dense.BackwardWeights(pass, values[i], deltas[i + 1]);
                t = timer.Lap(2 + (2 * count) + i, t);
                if (deltas[i].Length == 0)
                {
                    continue; // the first layer: no delta W (BackwardInputs would do nothing)
                }

                dense.BackwardInputs(pass, deltas[i + 1], deltas[i]);
            }
            else
            {
                layers[i].Backward(pass, values[i], values[i + 1], deltas[i + 1], deltas[i]);
            }

            t = timer.Lap(2 + count + i, t);
        }
    }

    /// <summary>
    /// Starts timing the phases of the training steps that follow (<see cref="StepProfile"/>);
    /// the results are unchanged. <see cref="StopProfile"/> ends it.
    /// </summary>
    /// <returns>The profile, filled by the steps until <see cref="StopProfile"/>.</returns>
    public StepProfile StartProfile()
    {
        // Phases: 0 gather; 1 + i forward of layer i; 1 + L the output layer; 2 + L + i backward of
        // layer i (a dense layer's delta W); 2 + 2L + i a dense layer's weight gradient; 2 + 3L the sweep.
        int count = layers.Length;
        var names = new string[3 + (3 * count)];
        var flops = new long[names.Length];
        names[0] = "gather and convert";
        names[1 + count] = $"output {network.Output.Name}: h, costs, delta";
        names[^1] = "sweep: sum, regularize, update";
        for (int i = 0; i < count; i++)
        {
            string what = layers[i] switch
            {
                DenseLayer<T> d => $"dense {d.InputWidth} -> {d.OutputWidth}",
                ActivationLayer<T> a => $"{a.Activation.Name} {a.OutputWidth}",
                ILayer<T> other => $"{other.GetType().Name.Split('`')[0]} {other.OutputWidth}",
            };
            names[1 + i] = $"forward {i + 1}: {what}";
            names[2 + count + i] = layers[i] is DenseLayer<T> && i == 0 ? string.Empty : $"backward {i + 1}: {what}{(layers[i] is DenseLayer<T> ? ", delta W" : "")}";
            names[2 + (2 * count) + i] = layers[i] is DenseLayer<T> ? $"weight gradient {i + 1}: {what}, delta^T a" : string.Empty;
            if (layers[i] is DenseLayer<T>)
            {
                long product = 2L * layers[i].InputWidth * layers[i].OutputWidth;
                flops[1 + i] = product;
                flops[2 + (2 * count) + i] = product;
                flops[2 + count + i] = i == 0 ? 0 : product;
            }
        }

        profile = new StepProfile(names, flops, team.Size);
        return profile;
    }

    /// <summary>Stops the timing that <see cref="StartProfile"/> began.</summary>
    public void StopProfile() => profile = null;

    // Even block boundaries keep the two-row kernels on their fast path.
    private static int BlockStart(int block, int blocks, int m) => block == blocks ? m : (int)((long)block * m / blocks) & ~1;
}

namespace AnnLab.Optimization;

/// <summary>
/// A mini-batch optimizer's state, for checkpoints: what <see cref="IMiniBatchOptimizer.ExportState"/>
/// gives and <see cref="IMiniBatchOptimizer.ImportState"/> takes back, as PyTorch's
/// <c>optimizer.state_dict()</c>: the step count and the per-parameter buffers by PyTorch's names
/// (<c>momentum_buffer</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>, <c>square_avg</c>).
/// </summary>
/// <param name="Optimizer">The optimizer's name in <see cref="MiniBatchOptimizers"/> (<c>adamw</c>, ...).</param>
/// <param name="StepCount">Steps taken (Adam's t; 0 for the optimizers that do not count).</param>
/// <param name="Buffers">Each buffer's name and values, length n each (copies: the optimizer keeps its own).</param>
public sealed record OptimizerState(string Optimizer, int StepCount, IReadOnlyList<KeyValuePair<string, float[]>> Buffers)
{
    /// <summary>Copies the buffer called <paramref name="name"/> into <paramref name="destination"/>, after checking the state is <paramref name="optimizer"/>'s and the length.</summary>
    /// <exception cref="ArgumentException">Another optimizer's state, no such buffer, or another length.</exception>
    internal void CopyTo(string optimizer, string name, Span<float> destination)
    {
        CheckOptimizer(optimizer);
        foreach ((string key, float[] values) in Buffers)
        {
            if (key == name)
            {
                if (values.Length != destination.Length)
                {
                    throw new ArgumentException($"{optimizer} state: {name} has {values.Length} values, expected {destination.Length} (another network?)");
                }

                values.CopyTo(destination);
                return;
            }
        }

        throw new ArgumentException($"{optimizer} state: no {name} buffer (found: {string.Join(", ", Buffers.Select(b => b.Key))})");
    }

    /// <summary>Checks the state is <paramref name="optimizer"/>'s.</summary>
    /// <exception cref="ArgumentException">It is another optimizer's.</exception>
    internal void CheckOptimizer(string optimizer)
    {
        if (Optimizer != optimizer)
        {
            throw new ArgumentException($"expected the state of {optimizer}, got that of {Optimizer}");
        }
    }
}

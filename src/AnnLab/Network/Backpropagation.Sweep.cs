using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using AnnLab.Optimization;

namespace AnnLab.Network;

/// <summary>The sweep: the blocks' partial gradients summed, averaged, regularized and (for a step) applied, chunk by chunk.</summary>
public sealed unsafe partial class Backpropagation<T>
{
    // Forward and backward, then the sweep over the chunks; returns J.
    private double Sweep(T* parameters, int length, T* gradient, int m, double lambda, double learningRate, SweepUpdate update, IElementwiseOptimizer? optimizer, out double gradientNorm)
    {
        Check(length, m);
        sweepBlocks = BlockCount(m);
        sweepInvM = T.CreateChecked(1.0 / m);
        sweepDecay = T.CreateChecked(lambda / m);
        sweepRate = T.CreateChecked(learningRate);
        sweepUpdate = update;
        sweepOptimizer = optimizer;
        parameterPointer = parameters;
        gradientPointer = gradient;
        StepProfile? timer = profile;
        long t0 = timer is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
        RunBlocks(m, Work.Gradient);
        long t1 = timer is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
        team.Run(sweepChunks.Length, runSweep);
        long t2 = timer is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
        trainingStep++;
        sweepOptimizer = null;

        double squares = 0, weightSquares = 0;
        for (int c = 0; c < sweepChunks.Length; c++)
        {
            squares += sweepGradientSquares[c];
            weightSquares += sweepWeightSquares[c];
        }

        gradientNorm = Math.Sqrt(squares) / length;
        if (timer is not null)
        {
            timer.BlockTicks += t1 - t0;
            timer.SweepTicks += t2 - t1;
            timer.StepTicks += System.Diagnostics.Stopwatch.GetTimestamp() - t0;
            timer.Steps++;
            timer.Samples += m;
        }

        return (SumCosts(m) / m) + LabCost.RidgeTerm(lambda, m, weightSquares);
    }

    // One chunk of the sweep; the chunks are fixed by the layout, so the sums of squares are added
    // in the same order whatever thread runs which chunk.
    private void RunSweep(int chunk)
    {
        long t = profile is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
        (int start, int end, bool regularized) = sweepChunks[chunk];
        var parameters = new Span<T>(parameterPointer, network.ParameterCount);
        Span<T> gradient = gradientPointer is null ? default : new Span<T>(gradientPointer, network.ParameterCount);
        (sweepGradientSquares[chunk], sweepWeightSquares[chunk]) = SweepChunkOf(parameters, gradient, start, end, regularized ? sweepDecay : T.Zero);
        if (!regularized)
        {
            sweepWeightSquares[chunk] = 0;
        }

        if (sweepUpdate == SweepUpdate.Optimizer)
        {
            var w = new Span<float>((float*)parameterPointer + start, end - start);
            var g = new ReadOnlySpan<float>((float*)gradientPointer + start, end - start);
            sweepOptimizer!.StepSlice(w, g, start, double.CreateTruncating(sweepRate));
        }

        profile?.Lap(profile.SweepPhase, t);
    }

    // g = (sum of the blocks' partial gradients, in block order) / m + decay w over [start, end),
    // stored when there is a gradient buffer, and w -= rate g for a descent step; returns the sums
    // of g^2 and of w^2 (w before any update).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double GradientSquares, double WeightSquares) SweepChunkOf(Span<T> parameters, Span<T> gradient, int start, int end, T decay)
    {
        int c = Vector256<T>.Count, blocks = sweepBlocks;
        bool store = !gradient.IsEmpty, descend = sweepUpdate == SweepUpdate.Descent;
        T invM = sweepInvM, rate = sweepRate;
        var g2 = Vector256<T>.Zero;
        var w2 = Vector256<T>.Zero;
        var vInvM = Vector256.Create(invM);
        var vDecay = Vector256.Create(decay);
        var vRate = Vector256.Create(rate);
        int i = start;
        for (; i + c <= end; i += c)
        {
            var g = Vector256.Create<T>(partialGradients[0].AsSpan(i, c));
            for (int b = 1; b < blocks; b++)
            {
                g += Vector256.Create<T>(partialGradients[b].AsSpan(i, c));
            }

            var w = Vector256.Create<T>(parameters.Slice(i, c));
            g = (g * vInvM) + (vDecay * w);
            g2 += g * g;
            w2 += w * w;
            if (store)
            {
                g.CopyTo(gradient.Slice(i, c));
            }

            if (descend)
            {
                (w - (vRate * g)).CopyTo(parameters.Slice(i, c));
            }
        }

        T gs = Vector256.Sum(g2), ws = Vector256.Sum(w2);
        for (; i < end; i++)
        {
            T g = partialGradients[0][i];
            for (int b = 1; b < blocks; b++)
            {
                g += partialGradients[b][i];
            }

            T w = parameters[i];
            g = (g * invM) + (decay * w);
            gs += g * g;
            ws += w * w;
            if (store)
            {
                gradient[i] = g;
            }

            if (descend)
            {
                parameters[i] = w - (rate * g);
            }
        }

        return (double.CreateTruncating(gs), double.CreateTruncating(ws));
    }
}

using AnnLab.Data;
using AnnLab.Network;

namespace AnnLab.Training;

/// <summary>
/// Checkpoints of a training run: how often to save one, where it goes, and the checkpoint to resume
/// from. On cancellation <see cref="Trainer.Train"/> saves one before it throws, so an interrupted run
/// can always go on.
/// </summary>
public sealed class Checkpointing
{
    /// <summary>Save every this many epochs (sgd) or iterations (cg, lbfgs), &gt;= 0; 0 saves only on cancellation.</summary>
    public int Every { get; init; }

    /// <summary>Writes a checkpoint (the caller chooses the file; <see cref="TrainingCheckpoint.Save"/> writes it atomically).</summary>
    public required Action<TrainingCheckpoint> Save { get; init; }

    /// <summary>The checkpoint to go on from; null starts a new run.</summary>
    public TrainingCheckpoint? ResumeFrom { get; init; }

    /// <summary>Where <see cref="ResumeFrom"/> came from, for messages.</summary>
    public string ResumePath { get; init; } = "the checkpoint";

    /// <summary>Stored in every checkpoint as <see cref="TrainingCheckpoint.Context"/>.</summary>
    public IReadOnlyDictionary<string, string> Context { get; init; } = new Dictionary<string, string>();

    /// <summary>The step of the last checkpoint saved (0: none yet).</summary>
    public int LastSaved { get; private set; }

    internal void Write(TrainingCheckpoint checkpoint)
    {
        Save(checkpoint with { Context = Context });
        LastSaved = checkpoint.Step;
    }

    // Refuses a checkpoint of another network, options or training set: InvalidDataException naming the file.
    internal void Check(NeuralNetwork network, ImageSet train, TrainingOptions options, string fingerprint)
    {
        if (ResumeFrom is not { } c)
        {
            return;
        }

        if (c.Network != network.ToString() || c.Parameters.Length != network.ParameterCount)
        {
            throw new InvalidDataException($"{ResumePath}: the checkpoint is of a {c.Network} network ({c.Parameters.Length} parameters), not of this {network} network ({network.ParameterCount} parameters)");
        }

        if (c.TrainingCount != train.Count || c.TrainingData != fingerprint)
        {
            throw new InvalidDataException($"{ResumePath}: the checkpoint was trained on another training set ({c.TrainingCount} images, SHA-256 {c.TrainingData[..Math.Min(12, c.TrainingData.Length)]}...), not on this one ({train.Count} images, SHA-256 {fingerprint[..12]}...)");
        }

        foreach (OptionSpec spec in TrainingOptionTable.All.Where(o => o.Property != nameof(TrainingOptions.Threads)))
        {
            if (spec.Text(c.Options) != spec.Text(options))
            {
                throw new InvalidDataException($"{ResumePath}: the checkpoint's `{spec.Property}` is {spec.Text(c.Options)}, this run's {spec.Text(options)}");
            }
        }

        bool fullBatch = options.Solver != Solver.Sgd;
        if (fullBatch != c.FullBatch is not null || (!fullBatch && c.Optimizer is null))
        {
            throw new InvalidDataException($"{ResumePath}: the checkpoint holds no {(fullBatch ? "full-batch solver" : "optimizer")} state");
        }
    }
}

namespace AnnLab.Plots;

/// <summary>Which hidden units <see cref="LabFigures.HiddenWeights"/> draws when there are more than fit one figure.</summary>
public enum HiddenUnitSelection
{
    /// <summary>One figure of the <see cref="HiddenWeightsLayout.UnitsPerFigure"/> most important units (<see cref="LabFigures.UnitImportance"/>), most important first.</summary>
    MostImportant,

    /// <summary>Every unit, in index order, <see cref="HiddenWeightsLayout.UnitsPerFigure"/> per figure: hidden-weights-1.png, hidden-weights-2.png, ...</summary>
    AllInPages,
}

/// <summary>How the weight images of <see cref="Figures.HiddenWeights"/> are coloured.</summary>
public enum WeightColorScale
{
    /// <summary>One blue-white-red scale for all units, symmetric around 0 (limit: the largest |weight| of the units drawn): units compare with each other.</summary>
    Shared,

    /// <summary>Each unit on its own scale (limit: its own largest |weight|): a unit with small weights still shows its pattern.</summary>
    PerUnit,
}

/// <summary>How the hidden-weights figures are laid out: which units, how many per figure, which colour scale.</summary>
/// <param name="Units">Which units when there are more than <paramref name="UnitsPerFigure"/>; with fewer, one figure holds all, in index order.</param>
/// <param name="Scale">The colour scale.</param>
/// <param name="UnitsPerFigure">The most units one figure draws (100: a 10 x 10 grid of 56 px images for 28 x 28 inputs); at least 1.</param>
public sealed record HiddenWeightsLayout(HiddenUnitSelection Units = HiddenUnitSelection.MostImportant, WeightColorScale Scale = WeightColorScale.Shared, int UnitsPerFigure = 100);

namespace OpenHip.Modules.Synthetic;

/// <summary>What to generate. The defaults give the demo region; the same options always give the same bytes.</summary>
public sealed record SyntheticRegionOptions
{
    /// <summary>Number of residents (people); each has one or more institution records.</summary>
    public int Patients { get; init; } = 500;

    public int Seed { get; init; } = 1;

    /// <summary>"Today" for ages and histories; fixed so that output does not depend on the clock.</summary>
    public DateOnly ReferenceDate { get; init; } = new(2026, 6, 30);

    /// <summary>Years of clinical history before <see cref="ReferenceDate"/>.</summary>
    public int HistoryYears { get; init; } = 3;

    /// <summary>Share of institution records (0-1) that carry at least one labelled identity variation.</summary>
    public double VariationShare { get; init; } = 0.15;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> with the offending option named.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Patients);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Patients, 9_999_999);
        ArgumentOutOfRangeException.ThrowIfLessThan(HistoryYears, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(HistoryYears, 20);
        if (VariationShare is < 0 or > 1 || double.IsNaN(VariationShare))
        {
            throw new ArgumentOutOfRangeException(nameof(VariationShare), VariationShare, "Must be between 0 and 1.");
        }

        if (ReferenceDate.Year is < 1950 or > 2200)
        {
            throw new ArgumentOutOfRangeException(nameof(ReferenceDate), ReferenceDate, "Must be between 1950 and 2200.");
        }
    }
}

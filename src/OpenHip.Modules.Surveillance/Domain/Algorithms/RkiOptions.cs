namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>Controls of the RKI detector, named as R's <c>rki</c>.</summary>
internal sealed record RkiOptions
{
    public int B { get; init; } = 2;

    public int W { get; init; } = 4;

    public bool ActualYear { get; init; }

    public MonitoredRange? Range { get; init; }

    /// <summary>The controls of the reference file <c>agona__rki.csv</c>.</summary>
    public static RkiOptions Reference { get; } = new() { B = 2, W = 4, ActualYear = false, Range = new MonitoredRange(264, 312) };

    public void Validate()
    {
        if (B < 0 || W < 0 || (B == 0 && (!ActualYear || W == 0)) || (B == 0 && W < 2))
        {
            throw new ArgumentException($"rki: the baseline needs at least two values (b={B}, w={W}, actY={ActualYear})");
        }
    }
}

namespace OpenHip.Modules.Surveillance.Domain.Evaluation;

/// <summary>One labelled outbreak as scored: its steps (0-based, inclusive) and the delay to its first alarm (null = missed).</summary>
internal sealed record OutbreakRun(int First, int Last, int? Delay)
{
    public bool Detected => Delay is not null;
}

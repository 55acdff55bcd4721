namespace OpenHip.Modules.Synthetic;

/// <summary>What <see cref="RegionWriter"/> wrote.</summary>
/// <param name="Directory">The output directory.</param>
/// <param name="Residents">Resident bundles written.</param>
/// <param name="Resources">Resources written (shared ones included), each once per bundle and once in NDJSON.</param>
/// <param name="ResourcesByType">Resource counts by type, sorted by type name.</param>
/// <param name="Outbreaks">The injected outbreaks with their generated case counts.</param>
public sealed record RegionWriteSummary(
    string Directory,
    int Residents,
    long Resources,
    IReadOnlyList<KeyValuePair<string, long>> ResourcesByType,
    IReadOnlyList<OutbreakLabel> Outbreaks);

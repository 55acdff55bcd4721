namespace OpenHip.Fhir.Search.Parsing;

/// <summary><c>_summary</c>; <see cref="False"/> (the whole resource) when absent.</summary>
public enum SummaryMode
{
    False,
    True,
    Text,
    Data,

    /// <summary>Only the total: the query asks the store for no rows and an accurate count.</summary>
    Count,
}

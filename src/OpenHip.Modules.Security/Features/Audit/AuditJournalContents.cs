using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// What a journal segment holds: rows chained when they were written (segments of earlier versions) and rows to chain
/// when moved (<see cref="JournaledRow"/>), each in the order written.
/// </summary>
internal sealed record AuditJournalContents(List<AuditRow> Chained, List<JournaledRow> Unchained)
{
    public int Count => Chained.Count + Unchained.Count;
}

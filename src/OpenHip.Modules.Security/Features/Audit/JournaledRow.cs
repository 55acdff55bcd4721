namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// A read audit as the journal holds it before the mover chains it: the <see cref="AuditChainGroup"/> it goes to and
/// its place there (which, with the group's width, fixes its chain and sequence), its time, the indexed keys and the
/// payload.
/// </summary>
internal sealed record JournaledRow(string Group, int GroupWidth, long Index, long RecordedMillis, string? Agent, IReadOnlyList<string> Patients, byte[] Payload);

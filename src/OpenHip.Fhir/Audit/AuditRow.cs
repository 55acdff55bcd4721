namespace OpenHip.Fhir.Audit;

/// <summary>
/// One audit event as the audit log stores it: a link of a hash chain. Stores keep these bytes as given and never
/// interpret the payload, so the chain can be recomputed from what is stored.
/// </summary>
/// <param name="ChainId">The chain (one per writer lane) this row extends.</param>
/// <param name="Sequence">Position in the chain, from 1 without gaps.</param>
/// <param name="Recorded">When the event happened (stored to the millisecond; the chain hash binds it).</param>
/// <param name="Agent">Who acted (the indexed "by agent" key); null for the server's own work.</param>
/// <param name="Patients">Patient ids the event concerns (the indexed "for patient" keys).</param>
/// <param name="Payload">The event itself, in the audit module's compact form.</param>
/// <param name="Hash">The chain hash over PreviousHash and this row (the audit module's link).</param>
/// <param name="PreviousHash">The hash of the row before in the chain; for the first, the chain's genesis value.</param>
public sealed record AuditRow(
    string ChainId,
    long Sequence,
    DateTimeOffset Recorded,
    string? Agent,
    IReadOnlyList<string> Patients,
    ReadOnlyMemory<byte> Payload,
    ReadOnlyMemory<byte> Hash,
    ReadOnlyMemory<byte> PreviousHash);

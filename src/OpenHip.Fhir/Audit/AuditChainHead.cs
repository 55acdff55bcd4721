namespace OpenHip.Fhir.Audit;

/// <summary>The newest row of one chain as stored.</summary>
public sealed record AuditChainHead(string ChainId, long Sequence, long Count, DateTimeOffset Recorded, ReadOnlyMemory<byte> Hash);

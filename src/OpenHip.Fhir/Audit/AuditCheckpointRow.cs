namespace OpenHip.Fhir.Audit;

/// <summary>
/// A signed checkpoint as the log keeps its own copy (the witness outside the database has the authoritative one).
/// </summary>
/// <param name="Node">The writer node whose series this is.</param>
/// <param name="Number">Position in the node's series, from 1 without gaps.</param>
/// <param name="Body">The signed bytes (canonical JSON).</param>
/// <param name="Signature">The signature over <paramref name="Body"/>.</param>
public sealed record AuditCheckpointRow(string Node, long Number, DateTimeOffset Recorded, ReadOnlyMemory<byte> Body, ReadOnlyMemory<byte> Signature);

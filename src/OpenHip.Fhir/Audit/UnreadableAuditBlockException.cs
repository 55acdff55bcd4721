namespace OpenHip.Fhir.Audit;

/// <summary>
/// A stored block of audit events whose bytes cannot be read back: changed outside the server, since the server only
/// writes blocks it encoded itself. Names where the block starts, so that <c>audit verify</c> can report it.
/// </summary>
public sealed class UnreadableAuditBlockException : Exception
{
    public UnreadableAuditBlockException()
    {
    }

    public UnreadableAuditBlockException(string message)
        : base(message)
    {
    }

    public UnreadableAuditBlockException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UnreadableAuditBlockException(string chainId, long firstSequence, DateTimeOffset firstRecorded, Exception innerException)
        : base($"The audit block of chain {chainId} from seq {firstSequence} cannot be read", innerException)
    {
        ChainId = chainId;
        FirstSequence = firstSequence;
        FirstRecorded = firstRecorded;
    }

    public string? ChainId { get; }

    public long FirstSequence { get; }

    public DateTimeOffset? FirstRecorded { get; }
}

namespace OpenHip.Fhir.Storage;

/// <summary>One committed change, written to the outbox in the same database transaction as the version itself.</summary>
public sealed record OutboxEvent(long Sequence, string Type, string Id, long VersionId, WriteMethod Method, DateTimeOffset LastUpdated)
{
    /// <summary>Where a reader stands after this event; what <see cref="IFhirStore.ReadOutboxAsync"/> continues from.</summary>
    public OutboxPosition Position { get; init; } = new(Sequence, Sequence);

    /// <summary>The version this event announces.</summary>
    public VersionKey Version => new(Type, Id, VersionId);
}

namespace OpenHip.Fhir.Storage;

/// <summary>
/// A place in the outbox, ordered by <see cref="Commit"/> then <see cref="Sequence"/>. On a single writer (SQLite) both
/// are the sequence. With several writers a sequence number can be taken by a transaction that commits after a later
/// one, so the store orders by a key that no commit still in flight can fall behind (PostgreSQL: the writing
/// transaction's id, read only once every older transaction has ended).
/// </summary>
public readonly record struct OutboxPosition(long Commit, long Sequence) : IComparable<OutboxPosition>
{
    /// <summary>Before the first event.</summary>
    public static OutboxPosition Start => default;

    public int CompareTo(OutboxPosition other)
    {
        int byCommit = Commit.CompareTo(other.Commit);
        return byCommit != 0 ? byCommit : Sequence.CompareTo(other.Sequence);
    }

    public static bool operator <(OutboxPosition left, OutboxPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(OutboxPosition left, OutboxPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(OutboxPosition left, OutboxPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(OutboxPosition left, OutboxPosition right) => left.CompareTo(right) >= 0;
}

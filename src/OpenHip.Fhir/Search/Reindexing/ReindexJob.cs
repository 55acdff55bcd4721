namespace OpenHip.Fhir.Search.Reindexing;

/// <summary>The observable state of one reindex run.</summary>
public sealed class ReindexJob(string id, string? type, DateTimeOffset started)
{
    private long _processed;
    private long _updated;

    public string Id { get; } = id;

    /// <summary>The resource type reindexed; null for every type.</summary>
    public string? Type { get; } = type;

    public DateTimeOffset Started { get; } = started;

    public DateTimeOffset? Finished { get; private set; }

    /// <summary>running, completed or failed.</summary>
    public string Status { get; private set; } = "running";

    public string? Error { get; private set; }

    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>Resources whose index was rewritten (others changed meanwhile and indexed themselves).</summary>
    public long Updated => Interlocked.Read(ref _updated);

    internal void Progress(int processed, int updated)
    {
        Interlocked.Add(ref _processed, processed);
        Interlocked.Add(ref _updated, updated);
    }

    internal void Complete(DateTimeOffset at)
    {
        Finished = at;
        Status = "completed";
    }

    internal void Fail(DateTimeOffset at, string error)
    {
        Finished = at;
        Error = error;
        Status = "failed";
    }
}

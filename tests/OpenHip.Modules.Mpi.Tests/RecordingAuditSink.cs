using System.Collections.Concurrent;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Mpi.Tests;

/// <summary>Keeps every audit record, so a test can see what was reported.</summary>
internal sealed class RecordingAuditSink : IAuditSink
{
    public ConcurrentQueue<AuditRecord> Records { get; } = new();

    public ValueTask RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        Records.Enqueue(record);
        return ValueTask.CompletedTask;
    }
}

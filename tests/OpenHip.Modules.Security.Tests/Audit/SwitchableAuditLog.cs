using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>The store's audit log, made to fail appends on demand (a full disk, a lost database) for fail-closed tests.</summary>
internal sealed class SwitchableAuditLog(IAuditLog inner) : IAuditLog
{
    public bool Failing { get; set; }

    public Task AppendAsync(IReadOnlyList<AuditRow> rows, CancellationToken cancellationToken) =>
        Failing ? Task.FromException(new IOException("audit disk unavailable (test)")) : inner.AppendAsync(rows, cancellationToken);

    public Task<StoredAuditRow?> ReadAuditAsync(long id, CancellationToken cancellationToken) => inner.ReadAuditAsync(id, cancellationToken);

    public Task<AuditPage> SearchAuditAsync(AuditQuery query, CancellationToken cancellationToken) => inner.SearchAuditAsync(query, cancellationToken);

    public IAsyncEnumerable<StoredAuditRow> StreamChainAsync(string chainId, CancellationToken cancellationToken) => inner.StreamChainAsync(chainId, cancellationToken);

    public Task<IReadOnlyList<AuditPatientEntry>> ReadPatientEntriesAsync(IReadOnlyList<(string Patient, long Id)> keys, CancellationToken cancellationToken) =>
        inner.ReadPatientEntriesAsync(keys, cancellationToken);

    public Task<long> CountPatientEntriesAsync(CancellationToken cancellationToken) => inner.CountPatientEntriesAsync(cancellationToken);

    public Task<IReadOnlyList<AuditChainHead>> ListChainsAsync(CancellationToken cancellationToken) => inner.ListChainsAsync(cancellationToken);

    public Task AppendCheckpointAsync(AuditCheckpointRow checkpoint, CancellationToken cancellationToken) => inner.AppendCheckpointAsync(checkpoint, cancellationToken);

    public Task<IReadOnlyList<AuditCheckpointRow>> ReadCheckpointsAsync(string? node, CancellationToken cancellationToken) => inner.ReadCheckpointsAsync(node, cancellationToken);
}

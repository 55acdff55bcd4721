using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Faults;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Resources;

/// <summary>
/// The one place changesets are committed, so that every write path tells the write hooks what became durable, and,
/// when an audit log is configured, commits each write's audit record in the same transaction as the write.
/// </summary>
/// <param name="localCommits">Where this node's change feed learns which versions still wait for their hooks.</param>
public sealed class ChangesetCommitter(
    IFhirStore store,
    IEnumerable<IResourceWriteHook> hooks,
    OutboxSignal signal,
    TimeProvider? time = null,
    IWriteAuditor? auditor = null,
    LocalCommits? localCommits = null)
{
    private readonly IResourceWriteHook[] _hooks = [.. hooks];
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc cref="IFhirStore.CommitAsync"/>
    public Task<IReadOnlyList<long>> CommitAsync(Changeset changeset, CancellationToken cancellationToken) =>
        CommitAsync(changeset, null, cancellationToken);

    /// <inheritdoc cref="IFhirStore.CommitAsync"/>
    /// <param name="context">The caller, for the audit records; null for the server's own work.</param>
    public async Task<IReadOnlyList<long>> CommitAsync(Changeset changeset, FhirRequestContext? context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changeset);
        IReadOnlyList<long> sequence;
        using (localCommits?.Begin(changeset.Writes))
        {
            sequence = auditor is null || changeset.Writes.Count == 0
                ? await store.CommitAsync(changeset, cancellationToken).ConfigureAwait(false)
                : await CommitAuditedAsync(changeset, context, auditor, cancellationToken).ConfigureAwait(false);
            foreach (IResourceWriteHook hook in _hooks)
            {
                hook.OnCommitted(changeset.Writes);
            }
        }

        signal.Notify();

        // A client's write is durable from here on, whatever becomes of its answer.
        if (context is not null)
        {
            FaultInjection.Hit(FaultPoints.AfterCommitBeforeResponse);
        }

        return sequence;
    }

    private async Task<IReadOnlyList<long>> CommitAuditedAsync(
        Changeset changeset, FhirRequestContext? context, IWriteAuditor writeAuditor, CancellationToken cancellationToken)
    {
        AuditReservation reservation = await writeAuditor.ReserveAsync(
            WriteAuditRecords.For(changeset, context, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        IReadOnlyList<long> sequence;
        try
        {
            sequence = await store.CommitAsync(
                new Changeset(changeset.Writes) { Guards = changeset.Guards, AuditRows = reservation.Rows }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A conflict or a violated guard is decided before anything is written; any other failure may have left
            // the commit's outcome unknown, and the auditor then starts a fresh chain rather than guess.
            reservation.Abandoned(rolledBack: ex is VersionConflictException or CreateGuardViolatedException);
            throw;
        }

        reservation.Committed();
        context?.AuditedWrites.Add(changeset.Writes.Count);
        return sequence;
    }
}

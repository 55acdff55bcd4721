using OpenHip.Fhir.Events;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Resources;

/// <summary>The one place changesets are committed, so that every write path tells the write hooks what became durable.</summary>
public sealed class ChangesetCommitter(IFhirStore store, IEnumerable<IResourceWriteHook> hooks, OutboxSignal signal)
{
    private readonly IResourceWriteHook[] _hooks = [.. hooks];

    /// <inheritdoc cref="IFhirStore.CommitAsync"/>
    public async Task<IReadOnlyList<long>> CommitAsync(Changeset changeset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changeset);
        IReadOnlyList<long> sequence = await store.CommitAsync(changeset, cancellationToken).ConfigureAwait(false);
        foreach (IResourceWriteHook hook in _hooks)
        {
            hook.OnCommitted(changeset.Writes);
        }

        signal.Notify();

        return sequence;
    }
}

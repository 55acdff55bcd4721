using Hl7.Fhir.Model;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using FhirConsent = Hl7.Fhir.Model.Consent;

namespace OpenHip.Modules.Security.Features.Consent;

/// <summary>
/// Every stored Consent that restricts something, in memory: loaded at start, then kept current by this node's commits
/// and every node's outbox. Versions only move forward, so the loader and the feed may deliver the same Consent in any
/// order and at least once.
/// </summary>
internal sealed class ConsentIndex(IFhirStore store)
{
    private readonly Dictionary<string, (long Version, ConsentDirective? Directive)> _byId = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private volatile ConsentSnapshot _snapshot = ConsentSnapshot.Empty;

    public ConsentSnapshot Current => _snapshot;

    public async System.Threading.Tasks.Task LoadAsync(CancellationToken ct)
    {
        await foreach (StoredResource stored in store.StreamCurrentAsync("Consent", null, null, ct).ConfigureAwait(false))
        {
            Apply(stored);
        }
    }

    /// <summary>Applies the Consent versions that outbox events announce, read together; a version held already is not read again.</summary>
    public System.Threading.Tasks.Task RefreshAsync(IEnumerable<OutboxEvent> changes, CancellationToken ct) =>
        OutboxVersions.ApplyAsync(store, changes, Holds, Apply, ct);

    private bool Holds(OutboxEvent change)
    {
        lock (_lock)
        {
            return _byId.TryGetValue(change.Id, out var known) && known.Version >= change.VersionId;
        }
    }

    public void Apply(StoredResource stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ConsentDirective? directive = stored.IsDeleted || FhirCodec.ParseStored(stored.Json.Span) is not FhirConsent consent
            ? null
            : ConsentReader.Read(consent);
        lock (_lock)
        {
            if (_byId.TryGetValue(stored.Id, out var known) && known.Version >= stored.VersionId)
            {
                return;
            }

            bool changes = directive is not null || known.Directive is not null;
            _byId[stored.Id] = (stored.VersionId, directive);
            if (changes)
            {
                _snapshot = new ConsentSnapshot(_snapshot.Generation + 1, [.. _byId.Values.Select(v => v.Directive).OfType<ConsentDirective>()]);
            }
        }
    }
}

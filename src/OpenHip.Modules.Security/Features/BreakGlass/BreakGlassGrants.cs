using Microsoft.Extensions.Options;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using FhirTask = Hl7.Fhir.Model.Task;

namespace OpenHip.Modules.Security.Features.BreakGlass;

/// <summary>
/// The break-the-glass grants of every node, in memory, from the grant Tasks: loaded at start (only Tasks recent enough
/// to hold a live grant), kept current by this node's commits and every node's outbox. Versions only move forward.
/// </summary>
internal sealed class BreakGlassGrants(IFhirStore store, TimeProvider time, IOptions<BreakGlassOptions> options)
{
    private readonly Dictionary<string, (long Version, BreakGlassGrant? Grant)> _byTask = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private volatile GrantSnapshot _snapshot = new(0, new Dictionary<string, BreakGlassGrant[]>(StringComparer.Ordinal));

    public long Generation => _snapshot.Generation;

    /// <summary>The grants of <paramref name="subject"/> that are live at <paramref name="now"/>.</summary>
    public IReadOnlyList<BreakGlassGrant> ActiveFor(string? subject, DateTimeOffset now) =>
        subject is not null && _snapshot.BySubject.TryGetValue(subject, out BreakGlassGrant[]? grants)
            ? [.. grants.Where(g => g.IsActiveAt(now))]
            : [];

    public async System.Threading.Tasks.Task LoadAsync(CancellationToken ct)
    {
        // A grant lasts at most Duration from its write, so older Tasks cannot hold a live one.
        DateTimeOffset since = time.GetUtcNow() - options.Value.Duration - TimeSpan.FromMinutes(1);
        await foreach (StoredResource stored in store.StreamCurrentAsync("Task", since, null, ct).ConfigureAwait(false))
        {
            Apply(stored);
        }
    }

    /// <summary>Applies the Task versions that outbox events announce, read together; a version held already is not read again.</summary>
    public System.Threading.Tasks.Task RefreshAsync(IEnumerable<OutboxEvent> changes, CancellationToken ct) =>
        OutboxVersions.ApplyAsync(store, changes, Holds, Apply, ct);

    private bool Holds(OutboxEvent change)
    {
        lock (_lock)
        {
            return _byTask.TryGetValue(change.Id, out var known) && known.Version >= change.VersionId;
        }
    }

    public void Apply(StoredResource stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        BreakGlassGrant? grant = stored.IsDeleted || FhirCodec.ParseStored(stored.Json.Span) is not FhirTask task
            ? null
            : BreakGlassTask.GrantOf(task, options.Value.WriterSource);
        lock (_lock)
        {
            if (_byTask.TryGetValue(stored.Id, out var known) && known.Version >= stored.VersionId)
            {
                return;
            }

            bool changes = grant is not null || known.Grant is not null;
            _byTask[stored.Id] = (stored.VersionId, grant);
            if (changes)
            {
                Dictionary<string, BreakGlassGrant[]> bySubject = _byTask.Values.Select(v => v.Grant).OfType<BreakGlassGrant>()
                    .GroupBy(g => g.Subject, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
                _snapshot = new GrantSnapshot(_snapshot.Generation + 1, bySubject);
            }
        }
    }

    private sealed record GrantSnapshot(long Generation, Dictionary<string, BreakGlassGrant[]> BySubject);
}

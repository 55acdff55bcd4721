using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Features.Linking;

/// <summary>
/// Reads and writes golden Persons through the engine's ordinary write path (versioned, indexed, in the outbox). Which
/// Person holds a Patient is read from the store (<c>Person?link=Patient/id</c>), never from memory, so whichever node
/// links next sees what the last one wrote. Writes are pinned to the version read (If-Match); a concurrent change
/// fails with 412 and the caller plans again.
/// </summary>
internal sealed class GoldenPersons(IFhirStore store, SearchService search, ResourceService resources, IOptions<MpiOptions> options)
{
    public const string PatientPrefix = "Patient/";

    public FhirRequestContext Writer => new(string.Empty, Who: "openhip-mpi", Source: options.Value.WriterSource);

    public async Task<IReadOnlyList<Golden>> OfPatientAsync(string patientId, CancellationToken ct)
    {
        SearchResult result = await search.SearchAsync(
            SearchScope.ForType("Person"),
            [new("link", PatientPrefix + patientId)],
            SearchHandling.Strict,
            AccessPolicy.Unrestricted,
            ct).ConfigureAwait(false);
        return [.. result.Page.Resources.OrderBy(r => r.Id, StringComparer.Ordinal).Select(ToGolden)];
    }

    /// <summary>The Persons holding any of the Patients: one search per <paramref name="chunk"/> Patients (all pages), on every core.</summary>
    public async Task<IReadOnlyList<Golden>> OfPatientsAsync(IEnumerable<string> patientIds, int chunk, CancellationToken ct)
    {
        var found = new ConcurrentDictionary<string, Golden>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(patientIds.Chunk(chunk), ct, async (ids, token) =>
        {
            string? cursor = null;
            do
            {
                List<KeyValuePair<string, string>> parameters = [new("link", string.Join(',', ids.Select(id => PatientPrefix + id))), new("_count", "200")];
                if (cursor is not null)
                {
                    parameters.Add(new("_cursor", cursor));
                }

                SearchResult result = await search.SearchAsync(SearchScope.ForType("Person"), parameters, SearchHandling.Strict, AccessPolicy.Unrestricted, token).ConfigureAwait(false);
                foreach (StoredResource stored in result.Page.Resources)
                {
                    found.TryAdd(stored.Id, ToGolden(stored));
                }

                cursor = result.Page.NextCursor;
            }
            while (cursor is not null);
        }).ConfigureAwait(false);

        return [.. found.Values.OrderBy(g => g.Person.Id, StringComparer.Ordinal)];
    }

    public async Task<Golden?> ReadAsync(string personId, CancellationToken ct)
    {
        StoredResource? stored = await store.ReadCurrentAsync("Person", personId, ct).ConfigureAwait(false);
        return stored is null || stored.IsDeleted ? null : ToGolden(stored);
    }

    /// <summary>The current Patients a Person links to (a link whose Patient was deleted is left out).</summary>
    /// <param name="read">Patients already read (null = deleted), filled with those read here.</param>
    public async Task<IReadOnlyList<MemberPatient>> MembersAsync(Person person, IDictionary<string, MemberPatient?>? read, CancellationToken ct)
    {
        var members = new List<MemberPatient>();
        foreach (string id in MemberIds(person))
        {
            if (read is null || !read.TryGetValue(id, out MemberPatient? member))
            {
                member = await ReadMemberAsync(id, ct).ConfigureAwait(false);
                read?.TryAdd(id, member);
            }

            if (member is not null)
            {
                members.Add(member);
            }
        }

        return members;
    }

    public async Task<MemberPatient?> ReadMemberAsync(string patientId, CancellationToken ct) =>
        await store.ReadCurrentAsync("Patient", patientId, ct).ConfigureAwait(false) is { IsDeleted: false } stored && FhirCodec.ParseStored(stored.Json.Span) is Patient patient
            ? new MemberPatient(patient, stored.LastUpdated)
            : null;

    public static IEnumerable<string> MemberIds(Person person) => person.Link
        .Select(l => l.Target?.Reference)
        .OfType<string>()
        .Where(r => r.StartsWith(PatientPrefix, StringComparison.Ordinal))
        .Select(r => r[PatientPrefix.Length..]);

    public static Person.LinkComponent Link(string patientId, Person.IdentityAssuranceLevel level) =>
        new() { Target = new ResourceReference(PatientPrefix + patientId), Assurance = level };

    /// <summary>
    /// Writes the Person with survivorship applied to its current members: creates it when new, deletes it when it has
    /// no members left, and writes nothing when the result equals what is stored (so handling an event twice is a no-op).
    /// </summary>
    public async Task SaveAsync(Person person, long expectedVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(person);
        if (!await ComposeForWriteAsync(person, null, ct).ConfigureAwait(false))
        {
            if (person.Id is not null)
            {
                await resources.DeleteAsync("Person", person.Id, expectedVersion, Writer, ct).ConfigureAwait(false);
            }

            return;
        }

        if (person.Id is null)
        {
            await resources.CreateAsync(person, null, Writer, ct).ConfigureAwait(false);
            return;
        }

        Golden? current = await ReadAsync(person.Id, ct).ConfigureAwait(false);
        if (current is not null && SameContent(current.Person, person))
        {
            return;
        }

        await resources.UpdateAsync("Person", person.Id, person, expectedVersion == 0 ? null : expectedVersion, Writer, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Orders the Person's links and applies survivorship over its current members, as every write of a Person does.
    /// </summary>
    /// <returns>False when no current Patient is left in it (the Person goes).</returns>
    public async Task<bool> ComposeForWriteAsync(Person person, IDictionary<string, MemberPatient?>? read, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(person);
        person.Link = [.. person.Link.DistinctBy(l => l.Target?.Reference).OrderBy(l => l.Target?.Reference, StringComparer.Ordinal)];
        IReadOnlyList<MemberPatient> members = await MembersAsync(person, read, ct).ConfigureAwait(false);
        if (members.Count == 0)
        {
            return false;
        }

        Survivorship.Apply(person, members, options.Value.Survivorship);
        person.Meta = new Meta { Source = options.Value.WriterSource };
        return true;
    }

    /// <summary>
    /// How to put two Patients into one Person (a reviewer's accept, a merge): every member of <paramref name="a"/>'s
    /// Person moves into <paramref name="b"/>'s (or the other way when b has none; a new Person when neither has one),
    /// the two Patients' links at level4 (a person decided). Null when they already share a Person.
    /// </summary>
    public async Task<JoinPlan?> PlanJoinAsync(string a, string b, CancellationToken ct)
    {
        IReadOnlyList<Golden> ofA = await OfPatientAsync(a, ct).ConfigureAwait(false);
        IReadOnlyList<Golden> ofB = await OfPatientAsync(b, ct).ConfigureAwait(false);
        Golden? x = ofA.Count > 0 ? ofA[0] : null;
        Golden? y = ofB.Count > 0 ? ofB[0] : null;
        if (x is not null && x.Person.Id == y?.Person.Id)
        {
            return null;
        }

        Golden? kept = y ?? x;
        Golden? emptied = y is null ? null : x;
        Person result = kept is null ? new Person() : (Person)kept.Person.DeepCopy();
        IEnumerable<string> moving = emptied is null ? [a, b] : [.. MemberIds(emptied.Person), a, b];
        foreach (string id in moving)
        {
            result.Link.RemoveAll(l => l.Target?.Reference == PatientPrefix + id);
            result.Link.Add(Link(id, id == a || id == b ? Person.IdentityAssuranceLevel.Level4 : emptied!.Person.Link.First(l => l.Target?.Reference == PatientPrefix + id).Assurance ?? Person.IdentityAssuranceLevel.Level3));
        }

        result.Link = [.. result.Link.OrderBy(l => l.Target?.Reference, StringComparer.Ordinal)];
        return new JoinPlan(kept, result, emptied);
    }

    /// <summary>Carries out a join: the kept Person first, then the emptied one goes (a crash between leaves two Persons, which the linker repairs).</summary>
    public async Task JoinAsync(JoinPlan plan, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await SaveAsync(plan.Result, plan.Kept?.Version ?? 0, ct).ConfigureAwait(false);
        if (plan.Emptied is not null)
        {
            await DeleteAsync(plan.Emptied.Person.Id!, plan.Emptied.Version, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Survivorship over the Person's members, with some members as they are about to be written (a merge).</summary>
    public async Task ComposeAsync(Person person, IReadOnlyDictionary<string, MemberPatient> pending, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(pending);
        IReadOnlyList<MemberPatient> stored = await MembersAsync(person, null, ct).ConfigureAwait(false);
        List<MemberPatient> members = [.. stored.Where(m => !pending.ContainsKey(m.Patient.Id ?? string.Empty)), .. pending.Values.Where(m => MemberIds(person).Contains(m.Patient.Id))];
        Survivorship.Apply(person, members, options.Value.Survivorship);
        person.Meta = new Meta { Source = options.Value.WriterSource };
    }

    public Task DeleteAsync(string personId, long expectedVersion, CancellationToken ct) =>
        resources.DeleteAsync("Person", personId, expectedVersion, Writer, ct);

    /// <summary>True for a write lost to a concurrent one (the caller re-reads and plans again).</summary>
    public static bool IsConcurrentChange(FhirException ex) =>
        ex.Kind is FhirErrorKind.PreconditionFailed or FhirErrorKind.Conflict;

    public static bool SameContent(Person a, Person b)
    {
        var x = (Person)a.DeepCopy();
        var y = (Person)b.DeepCopy();
        x.Meta = null;
        y.Meta = null;
        return x.IsExactly(y);
    }

    private static Golden ToGolden(StoredResource stored) => new((Person)FhirCodec.ParseStored(stored.Json.Span), stored.VersionId);

    /// <summary>A join: <see cref="Result"/> is <see cref="Kept"/>'s Person with the new links (no id when it is new).</summary>
    public sealed record JoinPlan(Golden? Kept, Person Result, Golden? Emptied);

    /// <summary>A golden Person as read, with the version a write must be based on.</summary>
    public sealed record Golden(Person Person, long Version);
}

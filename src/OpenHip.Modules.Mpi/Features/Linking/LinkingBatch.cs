using System.Runtime.ExceptionServices;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Mpi.Features.Review;
using FhirTask = Hl7.Fhir.Model.Task;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Features.Linking;

/// <summary>
/// The golden Persons and review Tasks of one outbox batch, planned in memory and written as ONE changeset: every
/// Person the batch reads is held here, so later Patients of the batch see the earlier ones' links before anything is
/// stored, and each touched Person is composed (survivorship) and written once, at the version first read. A batch
/// that loses a race (a reviewer or a merge wrote a Person meanwhile) fails as a whole and is planned again; a move
/// between Persons can no longer be half done.
/// </summary>
internal sealed class LinkingBatch(GoldenPersons persons, ReviewQueue reviews, IResourceIdGenerator ids)
{
    private readonly Dictionary<string, Entry> _persons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FhirTask> _reviews = new(StringComparer.Ordinal);

    /// <summary>Patients the batch has read (null = deleted), for survivorship at commit without reading them again.</summary>
    public Dictionary<string, MemberPatient?> Patients { get; } = new(StringComparer.Ordinal);

    // Patients whose stored Persons the batch has read: from then on every change to them goes through the batch.
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    // Which held Persons link each Patient, kept as links change (every change is followed by Save): looking a
    // Patient up by walking every held Person's links cost a batch time quadratic in its size.
    private readonly Dictionary<string, SortedSet<string>> _holders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _members = new(StringComparer.Ordinal);

    /// <summary>Reads the Persons of many Patients at once (the batch's own), with one search per <paramref name="chunk"/> of them.</summary>
    public async Task PrefetchAsync(IReadOnlyList<string> patientIds, int chunk, CancellationToken ct)
    {
        foreach (GoldenPersons.Golden stored in await persons.OfPatientsAsync(patientIds, chunk, ct).ConfigureAwait(false))
        {
            Track(stored);
        }

        _known.UnionWith(patientIds);
    }

    /// <summary>The Persons holding the Patient as this batch has left them, by id.</summary>
    public async Task<IReadOnlyList<GoldenPersons.Golden>> OfPatientAsync(string patientId, CancellationToken ct)
    {
        if (_known.Add(patientId))
        {
            foreach (GoldenPersons.Golden stored in await persons.OfPatientAsync(patientId, ct).ConfigureAwait(false))
            {
                Track(stored);
            }
        }

        return _holders.TryGetValue(patientId, out SortedSet<string>? holders)
            ? [.. holders.Select(id => _persons[id]).Where(e => !e.Deleted).Select(e => e.Golden)]
            : [];
    }

    public async Task<GoldenPersons.Golden?> ReadAsync(string personId, CancellationToken ct)
    {
        if (!_persons.TryGetValue(personId, out Entry? entry))
        {
            GoldenPersons.Golden? stored = await persons.ReadAsync(personId, ct).ConfigureAwait(false);
            if (stored is null)
            {
                return null;
            }

            entry = Track(stored);
        }

        return entry.Deleted ? null : entry.Golden;
    }

    /// <summary>Marks the Person (changed in place, or new) to be composed and written when the batch commits.</summary>
    public void Save(Person person)
    {
        if (person.Id is null)
        {
            person.Id = ids.NewId();
            _persons[person.Id] = new Entry(new GoldenPersons.Golden(person, 0), Original: null);
        }

        _persons[person.Id].Dirty = true;
        IndexLinks(person);
    }

    public void Delete(string personId)
    {
        Entry entry = _persons[personId];
        entry.Deleted = true;
        entry.Dirty = true;
    }

    public async Task EnqueueReviewAsync(string patientId, string candidateId, double probability, CancellationToken ct)
    {
        string id = ReviewQueue.TaskId(patientId, candidateId);
        if (!_reviews.ContainsKey(id) && !await reviews.ExistsAsync(patientId, candidateId, ct).ConfigureAwait(false))
        {
            _reviews[id] = reviews.NewTask(patientId, candidateId, probability);
        }
    }

    /// <summary>The writes of the batch: touched Persons (composed, unchanged ones left out, emptied ones deleted) and new review Tasks.</summary>
    public async Task<IReadOnlyList<ResourceWrite>> PlanWritesAsync(ResourceWriteFactory writes, CancellationToken ct)
    {
        // Composing reads members from the store, one after another; serialising and indexing what was composed
        // (most of the CPU here) is independent per resource, so it runs on every core.
        var planned = new List<Func<ResourceWrite>>();
        foreach (Entry entry in _persons.Values.Where(e => e.Dirty).OrderBy(e => e.Golden.Person.Id, StringComparer.Ordinal))
        {
            Person person = entry.Golden.Person;
            bool isNew = entry.Original is null;
            bool keep = !entry.Deleted && await persons.ComposeForWriteAsync(person, Patients, ct).ConfigureAwait(false);
            long version = entry.Golden.Version;
            if (!keep)
            {
                if (!isNew)
                {
                    planned.Add(() => writes.ForDelete("Person", person.Id!, version, persons.Writer));
                }
            }
            else if (isNew || !GoldenPersons.SameContent(entry.Original!, person))
            {
                planned.Add(() => writes.ForUpsert(person, person.Id!, version, isNew ? WriteMethod.Create : WriteMethod.Update, persons.Writer));
            }
        }

        foreach (FhirTask review in _reviews.Values)
        {
            planned.Add(() => writes.ForUpsert(review, review.Id!, 0, WriteMethod.Create, persons.Writer));
        }

        var results = new ResourceWrite[planned.Count];
        try
        {
            Parallel.For(0, planned.Count, new ParallelOptions { CancellationToken = ct }, i => results[i] = planned[i]());
        }
        catch (AggregateException ex)
        {
            // As if written one after another: the caller tells a lost race from a real failure by its type.
            ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
        }

        return results;
    }

    private Entry Track(GoldenPersons.Golden stored)
    {
        string id = stored.Person.Id!;
        if (!_persons.TryGetValue(id, out Entry? entry))
        {
            entry = new Entry(stored, (Person)stored.Person.DeepCopy());
            _persons[id] = entry;
            IndexLinks(stored.Person);
        }

        return entry;
    }

    private void IndexLinks(Person person)
    {
        string id = person.Id!;
        if (_members.TryGetValue(id, out string[]? before))
        {
            foreach (string patientId in before)
            {
                _holders[patientId].Remove(id);
            }
        }

        string[] now = [.. GoldenPersons.MemberIds(person)];
        _members[id] = now;
        foreach (string patientId in now)
        {
            if (!_holders.TryGetValue(patientId, out SortedSet<string>? holders))
            {
                holders = new SortedSet<string>(StringComparer.Ordinal);
                _holders[patientId] = holders;
            }

            holders.Add(id);
        }
    }

    /// <summary>A Person as the batch holds it; <see cref="Original"/> is the stored one (null when the batch founds it).</summary>
    private sealed record Entry(GoldenPersons.Golden Golden, Person? Original)
    {
        public bool Dirty { get; set; }

        public bool Deleted { get; set; }
    }
}

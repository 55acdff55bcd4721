using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Mpi.Domain.Matching;
using OpenHip.Modules.Mpi.Features.MatchPatient;
using OpenHip.Modules.Mpi.Features.Review;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Features.Linking;

/// <summary>
/// Links one Patient to its golden Person from the current state of the store, whatever event brought it here, so
/// handling the same change twice (or an old change late) ends in the same state:
/// <list type="bullet">
/// <item>a deleted Patient leaves its Person (an emptied Person is deleted);</item>
/// <item>a Patient in no Person, or alone in one, joins the Person of its best certain match when no cannot-link rule,
/// no rejected review and no weak average over that Person's members stands against it (clusters resist chaining);
/// otherwise it founds (or stays in) its own Person;</item>
/// <item>a Patient that shares its Person with others stays while it still fits them; a machine-made link (level3) of a
/// Patient that no longer does (its data or the model changed) is undone, links a reviewer or a merge made (level4)
/// never are;</item>
/// <item>probable matches in other Persons go to the review queue once per pair;</item>
/// <item>the Person's demographics are recomputed (written only when they changed).</item>
/// </list>
/// The Patients of one call are planned together and written as one changeset (<see cref="LinkingBatch"/>).
/// </summary>
internal sealed class PatientLinker(
    IFhirStore store,
    PatientIndex index,
    GoldenPersons persons,
    ReviewQueue reviews,
    ResourceWriteFactory writes,
    ChangesetCommitter committer,
    IResourceIdGenerator ids,
    Microsoft.Extensions.Options.IOptions<FhirEngineOptions> engine)
{
    private const int MaxAttempts = 8;

    public Task LinkAsync(string patientId, CancellationToken ct) => LinkAsync([patientId], ct);

    public async Task LinkAsync(IReadOnlyList<string> patientIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(patientIds);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var batch = new LinkingBatch(persons, reviews, ids);

                // Both only read: the Persons holding the batch's Patients, and the Patients themselves.
                Task prefetch = patientIds.Count > 1 ? batch.PrefetchAsync(patientIds, engine.Value.MaxSearchOrValues, ct) : Task.CompletedTask;
                Task<Dictionary<string, ReadPatient>> reading = ReadPatientsAsync(patientIds, ct);
                await Task.WhenAll(prefetch, reading).ConfigureAwait(false);
                Dictionary<string, ReadPatient> read = await reading.ConfigureAwait(false);
                foreach (string patientId in patientIds)
                {
                    await LinkOnceAsync(patientId, read[patientId], batch, ct).ConfigureAwait(false);
                }

                IReadOnlyList<ResourceWrite> planned = await batch.PlanWritesAsync(writes, ct).ConfigureAwait(false);
                if (planned.Count > 0)
                {
                    await committer.CommitAsync(new Changeset(planned), ct).ConfigureAwait(false);
                }

                return;
            }
            catch (Exception ex) when (attempt < MaxAttempts && (ex is VersionConflictException or CreateGuardViolatedException || (ex is FhirException f && GoldenPersons.IsConcurrentChange(f))))
            {
                // A reviewer or a merge changed one of the Persons meanwhile: plan again from what is stored now.
            }
        }
    }

    /// <summary>
    /// The batch's Patients as stored now, parsed, with their match records and matches: read, parsed and matched on every core. (One
    /// <c>_id</c> search per 20 of them instead of a read each was tried: it cost more CPU than the reads it saved.)
    /// </summary>
    private async Task<Dictionary<string, ReadPatient>> ReadPatientsAsync(IReadOnlyList<string> patientIds, CancellationToken ct)
    {
        var read = new ReadPatient[patientIds.Count];
        await Parallel.ForAsync(0, patientIds.Count, ct, async (i, token) =>
        {
            StoredResource? stored = await store.ReadCurrentAsync("Patient", patientIds[i], token).ConfigureAwait(false);
            Patient? patient = stored is { IsDeleted: false } s && FhirCodec(s) is Patient p ? p : null;
            read[i] = new ReadPatient(stored, patient, patient is null ? null : index.Record(patient, patientIds[i]));
        }).ConfigureAwait(false);

        // Matching only reads the index, which holds every committed Patient, so the batch's matches are found on
        // every core before the link loop (which must go one Patient after another) starts.
        foreach (ReadPatient patient in read)
        {
            if (patient.Record is not null)
            {
                index.Apply(patient.Record, patient.Stored!.VersionId);
            }
        }

        Parallel.For(0, read.Length, new ParallelOptions { CancellationToken = ct }, i =>
        {
            if (read[i].Record is { } record)
            {
                read[i] = read[i] with { Matches = index.Match(record) };
            }
        });

        var byId = new Dictionary<string, ReadPatient>(patientIds.Count, StringComparer.Ordinal);
        for (int i = 0; i < patientIds.Count; i++)
        {
            byId[patientIds[i]] = read[i];
        }

        return byId;
    }

    private async Task LinkOnceAsync(string patientId, ReadPatient read, LinkingBatch batch, CancellationToken ct)
    {
        IReadOnlyList<GoldenPersons.Golden> holding = await batch.OfPatientAsync(patientId, ct).ConfigureAwait(false);

        // Written before batches were atomic, a move could leave a Patient in two Persons: it stays in the first only.
        foreach (GoldenPersons.Golden extra in holding.Skip(1))
        {
            Remove(batch, extra, patientId);
        }

        GoldenPersons.Golden? own = holding.Count > 0 ? holding[0] : null;
        Patient? patient = read.Patient;
        batch.Patients[patientId] = patient is null ? null : new MemberPatient(patient, read.Stored!.LastUpdated);
        if (patient is null)
        {
            if (own is not null)
            {
                Remove(batch, own, patientId);
            }

            return;
        }

        PersonRecord record = read.Record!;
        IReadOnlyList<BlockingIndex.Match> matches = read.Matches;
        bool alone = own is null || GoldenPersons.MemberIds(own.Person).All(id => id == patientId);
        var personOf = new Dictionary<string, GoldenPersons.Golden?>(StringComparer.Ordinal);
        if (own is not null && !alone && IsMachineLink(own.Person, patientId))
        {
            // A link the linker made stands only while the Patient still fits the rest of its Person (its data
            // changed, or the model did); links a reviewer or a merge made (level4) are never undone here.
            var rest = (Person)own.Person.DeepCopy();
            rest.Link = [.. rest.Link.Where(l => l.Target?.Reference != GoldenPersons.PatientPrefix + patientId)];
            if (!await MayJoinAsync(record, rest, ct).ConfigureAwait(false))
            {
                Remove(batch, own, patientId);
                own = null;
                alone = true;
            }
        }

        string? ownId = own?.Person.Id;

        if (alone)
        {
            GoldenPersons.Golden? target = await BestCertainPersonAsync(batch, record, matches, ownId, personOf, ct).ConfigureAwait(false);
            if (target is not null)
            {
                if (own is not null)
                {
                    batch.Delete(own.Person.Id!);
                }

                target.Person.Link.Add(GoldenPersons.Link(patientId, Person.IdentityAssuranceLevel.Level3));
                batch.Save(target.Person);
                own = target;
                ownId = target.Person.Id;
            }
            else if (own is null)
            {
                var founded = new Person { Link = [GoldenPersons.Link(patientId, Person.IdentityAssuranceLevel.Level3)] };
                batch.Save(founded);
                await QueueReviewsAsync(batch, patientId, matches, founded.Id, personOf, ct).ConfigureAwait(false);
                return;
            }
        }

        await QueueReviewsAsync(batch, patientId, matches, ownId, personOf, ct).ConfigureAwait(false);

        // Survivorship for the Person now holding the Patient (its data may be what changed).
        GoldenPersons.Golden? fresh = await batch.ReadAsync(ownId!, ct).ConfigureAwait(false);
        if (fresh is not null)
        {
            batch.Save(fresh.Person);
        }
    }

    /// <summary>The Person of the strongest certain match that the Patient may join; null when none may.</summary>
    private async Task<GoldenPersons.Golden?> BestCertainPersonAsync(
        LinkingBatch batch,
        PersonRecord record, IReadOnlyList<BlockingIndex.Match> matches, string? ownId, Dictionary<string, GoldenPersons.Golden?> personOf, CancellationToken ct)
    {
        foreach (BlockingIndex.Match match in matches.Where(m => m.Grade == MatchGrade.Certain))
        {
            GoldenPersons.Golden? candidate = await PersonOfAsync(batch, match.Id, personOf, ct).ConfigureAwait(false);
            if (candidate is null || candidate.Person.Id == ownId)
            {
                continue;
            }

            if (await MayJoinAsync(record, candidate.Person, ct).ConfigureAwait(false))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>No cannot-link rule or rejected review with any member, and on average at least a probable match.</summary>
    private async Task<bool> MayJoinAsync(PersonRecord record, Person person, CancellationToken ct)
    {
        double sum = 0;
        int count = 0;
        foreach (string memberId in GoldenPersons.MemberIds(person))
        {
            PersonRecord? member = index.Get(memberId);
            if (member is null)
            {
                continue;
            }

            if (CannotLinkRules.Applies(record, member) || await reviews.WasRejectedAsync(record.Id, memberId, ct).ConfigureAwait(false))
            {
                return false;
            }

            sum += index.Score(record, member);
            count++;
        }

        return count > 0 && sum / count >= index.Thresholds.Review;
    }

    private async Task QueueReviewsAsync(
        LinkingBatch batch,
        string patientId, IReadOnlyList<BlockingIndex.Match> matches, string? ownId, Dictionary<string, GoldenPersons.Golden?> personOf, CancellationToken ct)
    {
        foreach (BlockingIndex.Match match in matches.Where(m => m.Probability >= index.Thresholds.Review))
        {
            // A candidate in no Person is not linked yet (the index sees every committed Patient, the linker gets to
            // them in outbox order): linked later, it weighs this pair itself and most often joins this Patient's
            // Person. Queued from here, such a pair was a review of two records already linked.
            GoldenPersons.Golden? other = await PersonOfAsync(batch, match.Id, personOf, ct).ConfigureAwait(false);
            if (other is not null && other.Person.Id != ownId)
            {
                await batch.EnqueueReviewAsync(patientId, match.Id, match.Probability, ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task<GoldenPersons.Golden?> PersonOfAsync(LinkingBatch batch, string patientId, Dictionary<string, GoldenPersons.Golden?> cache, CancellationToken ct)
    {
        if (!cache.TryGetValue(patientId, out GoldenPersons.Golden? golden))
        {
            IReadOnlyList<GoldenPersons.Golden> found = await batch.OfPatientAsync(patientId, ct).ConfigureAwait(false);
            golden = found.Count > 0 ? found[0] : null;
            cache[patientId] = golden;
        }

        return golden;
    }

    private static void Remove(LinkingBatch batch, GoldenPersons.Golden golden, string patientId)
    {
        golden.Person.Link = [.. golden.Person.Link.Where(l => l.Target?.Reference != GoldenPersons.PatientPrefix + patientId)];
        batch.Save(golden.Person);
    }

    private static bool IsMachineLink(Person person, string patientId) =>
        person.Link.Any(l => l.Target?.Reference == GoldenPersons.PatientPrefix + patientId && l.Assurance != Person.IdentityAssuranceLevel.Level4);

    /// <summary>A batch Patient as read: null Patient (and record, and no matches) when it is deleted or gone.</summary>
    private sealed record ReadPatient(StoredResource? Stored, Patient? Patient, PersonRecord? Record)
    {
        public IReadOnlyList<BlockingIndex.Match> Matches { get; init; } = [];
    }

    private static Resource FhirCodec(StoredResource stored) => Fhir.Resources.FhirCodec.ParseStored(stored.Json.Span);
}

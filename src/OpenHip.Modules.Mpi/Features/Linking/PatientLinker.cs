using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
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
/// </summary>
internal sealed class PatientLinker(IFhirStore store, PatientIndex index, GoldenPersons persons, ReviewQueue reviews)
{
    private const int MaxAttempts = 8;

    public async Task LinkAsync(string patientId, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await LinkOnceAsync(patientId, ct).ConfigureAwait(false);
                return;
            }
            catch (FhirException ex) when (GoldenPersons.IsConcurrentChange(ex) && attempt < MaxAttempts)
            {
                // A reviewer or a merge changed one of the Persons meanwhile: plan again from what is stored now.
            }
        }
    }

    private async Task LinkOnceAsync(string patientId, CancellationToken ct)
    {
        IReadOnlyList<GoldenPersons.Golden> holding = await persons.OfPatientAsync(patientId, ct).ConfigureAwait(false);

        // A crash between two writes of a move can leave a Patient in two Persons: it stays in the first only.
        foreach (GoldenPersons.Golden extra in holding.Skip(1))
        {
            await RemoveAsync(extra, patientId, ct).ConfigureAwait(false);
        }

        GoldenPersons.Golden? own = holding.Count > 0 ? holding[0] : null;
        StoredResource? stored = await store.ReadCurrentAsync("Patient", patientId, ct).ConfigureAwait(false);
        if (stored is null || stored.IsDeleted || FhirCodec(stored) is not Patient patient)
        {
            if (own is not null)
            {
                await RemoveAsync(own, patientId, ct).ConfigureAwait(false);
            }

            return;
        }

        index.Apply(stored);
        PersonRecord record = index.Record(patient, patientId);
        IReadOnlyList<BlockingIndex.Match> matches = index.Match(record);
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
                await RemoveAsync(own, patientId, ct).ConfigureAwait(false);
                own = null;
                alone = true;
            }
        }

        string? ownId = own?.Person.Id;

        if (alone)
        {
            GoldenPersons.Golden? target = await BestCertainPersonAsync(record, matches, ownId, personOf, ct).ConfigureAwait(false);
            if (target is not null)
            {
                // Leave first, then join: a crash in between leaves the Patient in no Person, which the next
                // delivery repairs, rather than in two.
                if (own is not null)
                {
                    await persons.DeleteAsync(own.Person.Id!, own.Version, ct).ConfigureAwait(false);
                }

                target.Person.Link.Add(GoldenPersons.Link(patientId, Person.IdentityAssuranceLevel.Level3));
                await persons.SaveAsync(target.Person, target.Version, ct).ConfigureAwait(false);
                own = target;
                ownId = target.Person.Id;
            }
            else if (own is null)
            {
                var founded = new Person { Link = [GoldenPersons.Link(patientId, Person.IdentityAssuranceLevel.Level3)] };
                await persons.SaveAsync(founded, 0, ct).ConfigureAwait(false);
                await QueueReviewsAsync(patientId, matches, founded.Id, personOf, ct).ConfigureAwait(false);
                return;
            }
        }

        await QueueReviewsAsync(patientId, matches, ownId, personOf, ct).ConfigureAwait(false);

        // Survivorship for the Person now holding the Patient (its data may be what changed).
        GoldenPersons.Golden? fresh = await persons.ReadAsync(ownId!, ct).ConfigureAwait(false);
        if (fresh is not null)
        {
            await persons.SaveAsync(fresh.Person, fresh.Version, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The Person of the strongest certain match that the Patient may join; null when none may.</summary>
    private async Task<GoldenPersons.Golden?> BestCertainPersonAsync(
        PersonRecord record, IReadOnlyList<BlockingIndex.Match> matches, string? ownId, Dictionary<string, GoldenPersons.Golden?> personOf, CancellationToken ct)
    {
        foreach (BlockingIndex.Match match in matches.Where(m => m.Grade == MatchGrade.Certain))
        {
            GoldenPersons.Golden? candidate = await PersonOfAsync(match.Id, personOf, ct).ConfigureAwait(false);
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
        string patientId, IReadOnlyList<BlockingIndex.Match> matches, string? ownId, Dictionary<string, GoldenPersons.Golden?> personOf, CancellationToken ct)
    {
        foreach (BlockingIndex.Match match in matches.Where(m => m.Probability >= index.Thresholds.Review))
        {
            GoldenPersons.Golden? other = await PersonOfAsync(match.Id, personOf, ct).ConfigureAwait(false);
            if (other is null || other.Person.Id != ownId)
            {
                await reviews.EnqueueAsync(patientId, match.Id, match.Probability, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task<GoldenPersons.Golden?> PersonOfAsync(string patientId, Dictionary<string, GoldenPersons.Golden?> cache, CancellationToken ct)
    {
        if (!cache.TryGetValue(patientId, out GoldenPersons.Golden? golden))
        {
            IReadOnlyList<GoldenPersons.Golden> found = await persons.OfPatientAsync(patientId, ct).ConfigureAwait(false);
            golden = found.Count > 0 ? found[0] : null;
            cache[patientId] = golden;
        }

        return golden;
    }

    private async Task RemoveAsync(GoldenPersons.Golden golden, string patientId, CancellationToken ct)
    {
        golden.Person.Link = [.. golden.Person.Link.Where(l => l.Target?.Reference != GoldenPersons.PatientPrefix + patientId)];
        await persons.SaveAsync(golden.Person, golden.Version, ct).ConfigureAwait(false);
    }

    private static bool IsMachineLink(Person person, string patientId) =>
        person.Link.Any(l => l.Target?.Reference == GoldenPersons.PatientPrefix + patientId && l.Assurance != Person.IdentityAssuranceLevel.Level4);

    private static Resource FhirCodec(StoredResource stored) => Fhir.Resources.FhirCodec.ParseStored(stored.Json.Span);
}

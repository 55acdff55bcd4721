using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Mpi.Domain.Matching;

namespace OpenHip.Modules.Mpi.Features.MatchPatient;

/// <summary>
/// Finds the stored Patients that may be the given one through the in-memory <see cref="PatientIndex"/>. It first
/// catches the index up with the outbox, so a Patient committed on any node before the call is seen even while its
/// linking is still pending; then only the Patients returned are read from the store.
/// </summary>
internal sealed class PatientMatcher(PatientIndex index, IFhirStore store)
{
    public async Task<IReadOnlyList<(Patient Patient, BlockingIndex.Match Match)>> MatchAsync(Patient candidate, Func<BlockingIndex.Match, bool> keep, int count, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(keep);
        await index.CatchUpAsync(ct).ConfigureAwait(false);

        // A candidate carrying a stored id is matched against the others, not against itself.
        PersonRecord query = index.Record(candidate, candidate.Id ?? string.Empty);
        var answer = new List<(Patient, BlockingIndex.Match)>();
        foreach (BlockingIndex.Match match in index.Match(query).Where(keep))
        {
            if (answer.Count == count)
            {
                break;
            }

            StoredResource? stored = await store.ReadCurrentAsync("Patient", match.Id, ct).ConfigureAwait(false);
            if (stored is { IsDeleted: false } && FhirCodec.ParseStored(stored.Json.Span) is Patient patient)
            {
                answer.Add((patient, match));
            }
        }

        return answer;
    }
}

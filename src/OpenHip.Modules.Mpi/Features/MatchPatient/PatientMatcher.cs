using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Mpi.Domain.Matching;

namespace OpenHip.Modules.Mpi.Features.MatchPatient;

/// <summary>
/// Finds the stored Patients that may be the given one. It reads every current Patient from the store at each
/// call, so a Patient committed a moment ago is seen even before any linking has run; the m/u estimates are
/// cached (<see cref="ModelCache"/>). An in-memory blocking index fed by the outbox replaces the full read later.
/// </summary>
internal sealed class PatientMatcher(IFhirStore store, TimeProvider time, IOptions<MpiOptions> options)
{
    private readonly ModelCache _models = new();

    public async Task<IReadOnlyList<(Patient Patient, CandidateSearch.Found Match)>> MatchAsync(Patient candidate, CancellationToken ct)
    {
        DateOnly today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        PersonRecord query = PersonRecordBuilder.Build(PatientDemographics.From(candidate), today);
        var patients = new List<Patient>();
        var population = new List<PersonRecord>();
        await foreach (StoredResource stored in store.StreamCurrentAsync("Patient", null, null, ct).ConfigureAwait(false))
        {
            if (FhirCodec.ParseStored(stored.Json.Span) is Patient patient)
            {
                patients.Add(patient);
                population.Add(PersonRecordBuilder.Build(PatientDemographics.From(patient) with { Id = stored.Id }, today));
            }
        }

        MpiOptions o = options.Value;
        var thresholds = new MatchThresholds(o.AutoLinkThreshold, o.ReviewThreshold, o.PossibleThreshold);
        IReadOnlyList<CandidateSearch.Found> found = CandidateSearch.Run(query, population, _models.For(population), thresholds);
        return [.. found.Select(f => (patients[f.Index], f))];
    }
}

using Hl7.Fhir.Model;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Surveillance.Features.CaseDetection;

/// <summary>
/// Who a Patient is as a resident: the golden Person that links it (MPI) with all its member Patients, else the
/// Patient alone. Read from the store each batch, so a link the MPI made since is seen.
/// </summary>
internal sealed class ResidentLookup(SearchService search)
{
    private const string PatientPrefix = "Patient/";

    public async Task<Resident> FindAsync(string patientId, CancellationToken ct)
    {
        SearchResult result = await search.SearchAsync(
            SearchScope.ForType("Person"),
            [new("link", PatientPrefix + patientId), new("_count", "2")],
            SearchHandling.Strict,
            AccessPolicy.Unrestricted,
            ct).ConfigureAwait(false);

        // A crash inside an MPI move can leave a Patient in two Persons for a moment; the MPI keeps the first by id.
        StoredResource? first = result.Page.Resources.OrderBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault();
        if (first is null || FhirCodec.ParseStored(first.Json.Span) is not Person person)
        {
            return new Resident(PatientPrefix + patientId, [patientId]);
        }

        string[] members =
        [
            .. person.Link
                .Select(l => l.Target?.Reference)
                .OfType<string>()
                .Where(r => r.StartsWith(PatientPrefix, StringComparison.Ordinal))
                .Select(r => r[PatientPrefix.Length..])
                .Append(patientId)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal),
        ];
        return new Resident("Person/" + first.Id, members);
    }
}

/// <summary>A resident: the key cases are deduplicated by, and the Patient ids that are this resident.</summary>
internal sealed record Resident(string Key, IReadOnlyList<string> PatientIds);

using System.Text.Json;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Mpi.Domain.Identifiers;

namespace OpenHip.Modules.Mpi.Features.MatchPatient;

/// <summary>
/// A national resident ID number with a problem (check character, impossible birth date, unknown region, or a birth
/// date or sex that disagrees with the record) is stored as sent but flagged: the write answers with a warning at the
/// identifier's path, and the matcher treats the number as weak evidence. The number itself is not repeated in the
/// warning (it is a protected value).
/// </summary>
internal sealed class ResidentIdWarningHook(TimeProvider time) : IResourceWriteHook
{
    private static readonly (ResidentIdProblems Problem, string Text)[] Texts =
    [
        (ResidentIdProblems.Malformed, "it is neither 18 characters (17 digits and a digit or X) nor the 15-digit legacy form"),
        (ResidentIdProblems.BadCheckDigit, "its check character does not match (GB 11643, ISO 7064 MOD 11-2)"),
        (ResidentIdProblems.ImpossibleBirthDate, "the birth date it encodes is not a possible date"),
        (ResidentIdProblems.UnknownRegion, "its first two digits are no GB/T 2260 province"),
        (ResidentIdProblems.BirthDateMismatch, "the birth date it encodes differs from Patient.birthDate"),
        (ResidentIdProblems.SexMismatch, "the sex it encodes differs from Patient.gender"),
    ];

    /// <summary>The POCO path reads the Patient (<see cref="OnWriting"/>), the bulk import's JSON path its JSON (<see cref="OnWritingJson"/>).</summary>
    public bool Inspects(string resourceType) => false;

    public void OnWriting(Resource resource)
    {
        if (resource is Patient patient)
        {
            Warn(
                patient.Identifier.Select((identifier, i) =>
                {
                    Coding? type = identifier.Type?.Coding.FirstOrDefault();
                    return (i, new RawIdentifier(identifier.System, identifier.Value ?? string.Empty, type?.System, type?.Code));
                }),
                patient.BirthDate,
                PatientDemographics.From(patient).Sex);
        }
    }

    public bool OnWritingJson(JsonElement resource, string resourceType, List<Coding> security)
    {
        if (resourceType == "Patient" && resource.TryGetProperty("identifier"u8, out JsonElement identifiers) && identifiers.ValueKind == JsonValueKind.Array)
        {
            Warn(
                identifiers.EnumerateArray().Select((identifier, i) => (i, PatientJsonDemographics.Identifier(identifier))),
                PatientJsonDemographics.Text(resource, "birthDate"),
                PatientJsonDemographics.Sex(PatientJsonDemographics.Text(resource, "gender")));
        }

        return false;
    }

    public void OnCommitted(IReadOnlyList<ResourceWrite> writes)
    {
    }

    private void Warn(IEnumerable<(int Index, RawIdentifier Identifier)> identifiers, string? birthDateText, AdministrativeSex sex)
    {
        DateOnly today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        DateOnly? birthDate = birthDateText is { Length: 10 } text && DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out DateOnly parsed) ? parsed : null;
        foreach ((int i, RawIdentifier identifier) in identifiers)
        {
            if (string.IsNullOrWhiteSpace(identifier.Value))
            {
                continue;
            }

            ClassifiedIdentifier classified = IdentifierClassifier.Classify(identifier, today);
            if (classified.ResidentId?.CheckedAgainst(birthDate, sex) is { IsValid: false } flagged)
            {
                string problems = string.Join("; ", Texts.Where(t => flagged.Problems.HasFlag(t.Problem)).Select(t => t.Text));
                WriteWarnings.Add(new FhirIssue(
                    OperationOutcome.IssueType.BusinessRule,
                    $"The national resident ID number is stored but flagged, and counts only as weak evidence for patient matching: {problems}",
                    $"Patient.identifier[{i}]",
                    OperationOutcome.IssueSeverity.Warning));
            }
        }
    }
}

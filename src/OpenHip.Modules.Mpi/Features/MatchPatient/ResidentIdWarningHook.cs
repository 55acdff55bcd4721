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

    public bool Inspects(string resourceType) => resourceType == "Patient";

    public void OnWriting(Resource resource)
    {
        if (resource is not Patient patient)
        {
            return;
        }

        DateOnly today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        DateOnly? birthDate = patient.BirthDate is { Length: 10 } text && DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out DateOnly parsed) ? parsed : null;
        AdministrativeSex sex = PatientDemographics.From(patient).Sex;
        for (int i = 0; i < patient.Identifier.Count; i++)
        {
            Identifier identifier = patient.Identifier[i];
            if (string.IsNullOrWhiteSpace(identifier.Value))
            {
                continue;
            }

            Coding? type = identifier.Type?.Coding.FirstOrDefault();
            ClassifiedIdentifier classified = IdentifierClassifier.Classify(new RawIdentifier(identifier.System, identifier.Value, type?.System, type?.Code), today);
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

    public void OnCommitted(IReadOnlyList<ResourceWrite> writes)
    {
    }
}

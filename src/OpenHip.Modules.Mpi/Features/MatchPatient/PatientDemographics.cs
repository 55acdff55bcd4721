using Hl7.Fhir.Model;
using OpenHip.Modules.Mpi.Domain.Identifiers;
using OpenHip.Modules.Mpi.Domain.Matching;

namespace OpenHip.Modules.Mpi.Features.MatchPatient;

/// <summary>Reads the identifying parts of a FHIR Patient into the domain's <see cref="Demographics"/>.</summary>
internal static class PatientDemographics
{
    public const string DivisionCodeExtension = "http://openhip.org/fhir/StructureDefinition/division-code";

    public static Demographics From(Patient patient) => new()
    {
        Id = patient.Id ?? string.Empty,
        Names = [.. patient.Name.Select(n => new NameParts(n.Text, n.Family, [.. n.Given.OfType<string>()]))],
        BirthDate = patient.BirthDate,
        Sex = patient.Gender switch
        {
            AdministrativeGender.Male => AdministrativeSex.Male,
            AdministrativeGender.Female => AdministrativeSex.Female,
            _ => AdministrativeSex.Unknown,
        },
        Phones = [.. patient.Telecom.Where(t => t.System is null or ContactPoint.ContactPointSystem.Phone or ContactPoint.ContactPointSystem.Sms)
            .Select(t => t.Value).OfType<string>()],
        Addresses = [.. patient.Address.Select(a => new AddressParts(
            [.. a.Line.OfType<string>()], a.District, a.City, a.State, a.PostalCode,
            (a.GetExtensionValue<Code>(DivisionCodeExtension))?.Value))],
        Identifiers = [.. patient.Identifier.Where(i => !string.IsNullOrWhiteSpace(i.Value)).Select(i => new RawIdentifier(
            i.System, i.Value!, i.Type?.Coding.FirstOrDefault()?.System, i.Type?.Coding.FirstOrDefault()?.Code))],
    };
}

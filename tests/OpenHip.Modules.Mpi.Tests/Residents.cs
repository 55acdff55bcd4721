using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Modules.Mpi.Domain.Identifiers;

namespace OpenHip.Modules.Mpi.Tests;

/// <summary>Patients as the region's hospitals register them (the data conventions of ARCHITECTURE.md).</summary>
internal static class Residents
{
    public const string Mrn = "http://openhip.org/sid/mrn/";

    public static Patient Patient(string family, string given, string birthDate, bool male, string? residentId = null, string? phone = null, string? mrn = null, string? source = null)
    {
        var patient = new Patient
        {
            Name = [new HumanName { Text = family + given, Family = family, Given = [given] }],
            BirthDate = birthDate,
            Gender = male ? AdministrativeGender.Male : AdministrativeGender.Female,
            Meta = source is null ? null : new Meta { Source = source },
        };
        if (residentId is not null)
        {
            patient.Identifier.Add(new Identifier(IdentifierSystems.ResidentId, residentId));
        }

        if (mrn is not null)
        {
            patient.Identifier.Add(new Identifier(Mrn + (source is null ? "org-1" : "org-2"), mrn));
        }

        if (phone is not null)
        {
            patient.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, phone));
        }

        return patient;
    }

    /// <summary>A valid GB 11643 number for the region code, birth date and sequence (odd = male).</summary>
    public static string ResidentId(string region, DateOnly birth, int sequence)
    {
        string body = region + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + sequence.ToString("000", CultureInfo.InvariantCulture);
        return body + Mod11Check.CheckCharacter(body);
    }
}

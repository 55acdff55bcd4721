using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Resources;

/// <summary>Checks of resource types and logical ids that come from URLs.</summary>
public static partial class ResourceIds
{
    public static void EnsureKnownType(string type)
    {
        if (!ModelInfo.IsKnownResource(type) || type is "Resource" or "DomainResource")
        {
            throw FhirException.NotFound($"Unknown resource type '{type}'");
        }
    }

    /// <summary>
    /// AuditEvents are the audit log's, not the API's: nobody may create, change or delete one through FHIR writes
    /// (405, so a client learns the interaction is not offered rather than that it lacks a permission).
    /// </summary>
    public static void EnsureWritableType(string type)
    {
        if (type == "AuditEvent")
        {
            throw new FhirException(
                FhirErrorKind.MethodNotAllowed,
                new FhirIssue(OperationOutcome.IssueType.NotSupported, "AuditEvents are written only by the server's audit log; they cannot be created, changed or deleted"));
        }
    }

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    public static void EnsureValidId(string id)
    {
        if (!IsValidId(id))
        {
            throw FhirException.BadRequest($"'{id}' is not a valid FHIR id ([A-Za-z0-9-.], 1 to 64 characters)");
        }
    }

    public static long ParseVersion(string version) =>
        long.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v) && v > 0
            ? v
            : throw FhirException.NotFound($"Version '{version}' does not exist");

    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}

using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Modules.Terminology.Catalog;
using OpenHip.Modules.Terminology.Domain;

namespace OpenHip.Modules.Terminology.Features.Shared;

/// <summary>Finds the resource an operation works on: the instance it was invoked on, or the one its canonical URL names.</summary>
internal static class CatalogLookup
{
    public static CompiledCodeSystem CodeSystem(CatalogSnapshot snapshot, string? id, string? url, string? version)
    {
        TerminologyEntry entry = Entry(snapshot, TerminologyTypes.CodeSystem, id, url, version);
        return entry.CodeSystem ?? throw FhirException.Unprocessable($"CodeSystem/{entry.Id} has no usable content");
    }

    public static ValueSet ValueSet(CatalogSnapshot snapshot, string? id, string? url, string? version) =>
        (ValueSet)Entry(snapshot, TerminologyTypes.ValueSet, id, url, version).Resource;

    public static ConceptMap ConceptMap(CatalogSnapshot snapshot, string? id, string? url, string? version) =>
        (ConceptMap)Entry(snapshot, TerminologyTypes.ConceptMap, id, url, version).Resource;

    private static TerminologyEntry Entry(CatalogSnapshot snapshot, string type, string? id, string? url, string? version)
    {
        if (id is not null)
        {
            TerminologyEntry byId = snapshot.ByKey.TryGetValue((type, id), out TerminologyEntry? found)
                ? found
                : throw FhirException.NotFound($"{type}/{id} is not known");
            return version is null || byId.Version == version
                ? byId
                : throw FhirException.NotFound($"{type}/{id} is version '{byId.Version}', not '{version}'");
        }

        if (url is null)
        {
            throw new FhirException(FhirErrorKind.BadRequest, FhirIssue.Required(type == TerminologyTypes.CodeSystem ? "system" : "url"));
        }

        if (snapshot.Find(type, url, version) is { } entry)
        {
            return entry;
        }

        string[] versions = [.. snapshot.VersionsOf(type, url).Select(v => v is null ? "(none)" : $"'{v}'")];
        throw versions.Length > 0 && version is not null
            ? FhirException.NotFound($"{type} '{url}' version '{version}' is not known; this server has version {string.Join(", ", versions)}")
            : FhirException.NotFound($"{type} '{url}' is not known to this server");
    }
}

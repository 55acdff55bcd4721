using Hl7.Fhir.Model;
using OpenHip.Modules.Terminology.Domain;

namespace OpenHip.Modules.Terminology.Catalog;

/// <summary>One stored CodeSystem, ValueSet or ConceptMap version as the catalog holds it.</summary>
/// <param name="CodeSystem">The compiled content, for a CodeSystem.</param>
internal sealed record TerminologyEntry(string Type, string Id, long VersionId, string? Url, string? Version, Resource Resource, CompiledCodeSystem? CodeSystem);

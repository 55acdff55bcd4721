using OpenHip.Modules.Surveillance.Domain.CaseDefinitions;
using OpenHip.Modules.Surveillance.Features.CaseDetection;

namespace OpenHip.Modules.Surveillance.Features.Definitions;

/// <summary>The case definitions in force and their compiled matcher; <paramref name="Version"/> of the Library they came from (0: the deployment's file or the shipped defaults).</summary>
internal sealed record CaseDefinitionSet(CaseDefinitionCatalog Catalog, EvidenceMatcher Matcher, long Version);

using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Search;

/// <summary>One search parameter as the engine uses it: code, type and the FHIRPath expression that extracts its values.</summary>
/// <param name="Targets">Resource types a reference parameter may point at (empty for other types).</param>
/// <param name="Components">The parts of a composite parameter, in order (empty for other types).</param>
public sealed record SearchParameterInfo(
    string ResourceType,
    string Code,
    SearchParamType Type,
    string? Expression,
    string Url,
    IReadOnlyList<string> Targets,
    IReadOnlyList<SearchParameterComponentInfo> Components,
    string? Description = null);

/// <summary>A composite component: the parameter it takes its type from (by canonical URL) and its expression relative to the composite's.</summary>
public sealed record SearchParameterComponentInfo(string DefinitionUrl, string Expression);

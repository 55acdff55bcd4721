using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Search;

/// <summary>One search parameter as the engine uses it: code, type and the FHIRPath expression that extracts its values.</summary>
public sealed record SearchParameterInfo(string ResourceType, string Code, SearchParamType Type, string? Expression, string Url);

using Hl7.Fhir.Model;

namespace OpenHip.Modules.Terminology.Loading;

/// <summary>A resource read from a file, with where it came from for error messages.</summary>
public sealed record LoadedResource(Resource Resource, string Origin);

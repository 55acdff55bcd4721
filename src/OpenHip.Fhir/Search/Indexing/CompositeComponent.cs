using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>One component of a composite parameter: its path relative to the composite's element and its own type's converter.</summary>
/// <param name="Position">The component's index as text, the <c>Parameter</c> of its entries.</param>
internal sealed record CompositeComponent(string Position, SearchParamType Type, IndexPath Path, IndexValueConverter Convert);

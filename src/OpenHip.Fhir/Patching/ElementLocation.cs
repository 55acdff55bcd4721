using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Patching;

/// <summary>Where an element lives in its parent POCO: the parent, the property, and the list position if repeating.</summary>
internal sealed record ElementLocation(Base Parent, PropertyMapping Property, int? Index);

using System.Text.Json;

namespace OpenHip.Fhir.Search.Indexing.Json;

/// <summary>
/// A value of a resource read with System.Text.Json, with the POCO type Firely would have given it (known from the
/// element's definition, or for a choice element from its JSON name), so the JSON walk can decide like the POCO walk.
/// </summary>
internal readonly record struct JsonFhirValue(JsonElement Json, Type Type);

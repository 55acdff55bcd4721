using System.Text.Json.Nodes;

namespace OpenHip.Fhir.Patching;

/// <summary>One validated RFC 6902 operation; <see cref="Expression"/> locates it in the patch document for errors.</summary>
internal sealed record JsonPatchOperation(
    JsonPatchOperationType Type,
    JsonPointer Path,
    JsonPointer? From,
    JsonNode? Value,
    string Expression);

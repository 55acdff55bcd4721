using System.Text.Json;
using System.Text.Json.Nodes;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Patching;

/// <summary>
/// Reads an RFC 6902 patch document and checks its syntax before anything is applied, so a malformed
/// patch is always a 400, whatever the resource looks like.
/// </summary>
internal static class JsonPatchParser
{
    public static IReadOnlyList<JsonPatchOperation> Parse(ReadOnlySpan<byte> patchJson)
    {
        JsonNode? document;
        try
        {
            document = JsonNode.Parse(patchJson);
        }
        catch (JsonException ex)
        {
            throw FhirException.BadRequest($"The JSON Patch document is not valid JSON: {ex.Message}");
        }

        return Parse(document);
    }

    public static IReadOnlyList<JsonPatchOperation> Parse(JsonNode? document)
    {
        if (document is not JsonArray array)
        {
            throw FhirException.BadRequest("A JSON Patch document must be a JSON array of operations.");
        }

        var operations = new List<JsonPatchOperation>(array.Count);
        for (int i = 0; i < array.Count; i++)
        {
            operations.Add(ParseOperation(array[i], $"/{i}"));
        }

        return operations;
    }

    private static JsonPatchOperation ParseOperation(JsonNode? node, string expression)
    {
        if (node is not JsonObject operation)
        {
            throw FhirException.BadRequest("Each JSON Patch operation must be a JSON object.", expression);
        }

        string op = RequiredString(operation, "op", expression);
        JsonPatchOperationType type = op switch
        {
            "add" => JsonPatchOperationType.Add,
            "remove" => JsonPatchOperationType.Remove,
            "replace" => JsonPatchOperationType.Replace,
            "move" => JsonPatchOperationType.Move,
            "copy" => JsonPatchOperationType.Copy,
            "test" => JsonPatchOperationType.Test,
            _ => throw FhirException.BadRequest($"Unknown JSON Patch operation '{op}'.", $"{expression}/op"),
        };

        JsonPointer path = JsonPointer.Parse(RequiredString(operation, "path", expression), $"{expression}/path");

        JsonPointer? from = null;
        if (type is JsonPatchOperationType.Move or JsonPatchOperationType.Copy)
        {
            from = JsonPointer.Parse(RequiredString(operation, "from", expression), $"{expression}/from");
        }

        JsonNode? value = null;
        if (type is JsonPatchOperationType.Add or JsonPatchOperationType.Replace or JsonPatchOperationType.Test)
        {
            // A present JSON null is a value; only an absent member is an error (RFC 6902 section 4).
            if (!operation.TryGetPropertyValue("value", out value))
            {
                throw FhirException.BadRequest($"JSON Patch operation '{op}' requires 'value'.", $"{expression}/value");
            }
        }

        return new JsonPatchOperation(type, path, from, value, expression);
    }

    private static string RequiredString(JsonObject operation, string member, string expression)
    {
        if (!operation.TryGetPropertyValue(member, out JsonNode? node) || node is null)
        {
            throw FhirException.BadRequest($"JSON Patch operation requires '{member}'.", $"{expression}/{member}");
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            throw FhirException.BadRequest($"JSON Patch member '{member}' must be a string.", $"{expression}/{member}");
        }

        return node.GetValue<string>();
    }
}

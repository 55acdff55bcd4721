using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Patching;

/// <summary>
/// Applies an RFC 6902 JSON Patch to a resource's JSON. All-or-nothing: operations run on a copy,
/// so a failing operation leaves the caller's resource as it was.
/// </summary>
/// <remarks>
/// The result is JSON only; the write path must still parse it strictly and answer 422 when it is
/// not a valid resource. The caller also checks that <c>id</c> is unchanged.
/// </remarks>
internal static class JsonPatchApplier
{
    // Hand-written: Microsoft.AspNetCore.JsonPatch binds to CLR objects, not to raw FHIR JSON.
    public static byte[] Apply(ReadOnlySpan<byte> resourceJson, ReadOnlySpan<byte> patchJson)
    {
        IReadOnlyList<JsonPatchOperation> operations = JsonPatchParser.Parse(patchJson);
        if (JsonNode.Parse(resourceJson) is not JsonObject resource)
        {
            throw new ArgumentException("The resource JSON must be a JSON object.", nameof(resourceJson));
        }

        JsonObject patched = ApplyInPlace(resource, operations);

        var buffer = new ArrayBufferWriter<byte>(resourceJson.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            patched.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Returns a patched copy of <paramref name="resource"/>; the argument is never modified.</summary>
    public static JsonObject Apply(JsonObject resource, JsonNode patch)
    {
        ArgumentNullException.ThrowIfNull(resource);
        IReadOnlyList<JsonPatchOperation> operations = JsonPatchParser.Parse(patch);
        return ApplyInPlace(resource.DeepClone().AsObject(), operations);
    }

    private static JsonObject ApplyInPlace(JsonObject resource, IReadOnlyList<JsonPatchOperation> operations)
    {
        string? resourceType = ResourceTypeOf(resource);
        JsonNode? root = resource;
        foreach (JsonPatchOperation operation in operations)
        {
            root = ApplyOne(root, operation);
        }

        if (root is not JsonObject result)
        {
            throw FhirException.Unprocessable("The patched document is not a JSON object.");
        }

        if (!string.Equals(ResourceTypeOf(result), resourceType, StringComparison.Ordinal))
        {
            throw FhirException.Unprocessable("A patch must not change resourceType.", "resourceType");
        }

        return result;
    }

    private static JsonNode? ApplyOne(JsonNode? root, JsonPatchOperation operation)
    {
        switch (operation.Type)
        {
            case JsonPatchOperationType.Add:
                return Add(root, operation.Path, operation.Value?.DeepClone(), operation);

            case JsonPatchOperationType.Remove:
                Remove(root, operation.Path, operation);
                return root;

            case JsonPatchOperationType.Replace:
                return Replace(root, operation.Path, operation.Value?.DeepClone(), operation);

            case JsonPatchOperationType.Move:
                JsonPointer from = operation.From!;
                if (from.IsProperPrefixOf(operation.Path))
                {
                    throw FhirException.Unprocessable($"Cannot move '{from}' into its own child '{operation.Path}'.", operation.Expression);
                }

                JsonNode? moved = Remove(root, from, operation);
                return Add(root, operation.Path, moved, operation);

            case JsonPatchOperationType.Copy:
                JsonNode? copy = Resolve(root, operation.From!, operation)?.DeepClone();
                return Add(root, operation.Path, copy, operation);

            case JsonPatchOperationType.Test:
                JsonNode? actual = Resolve(root, operation.Path, operation);
                if (!JsonNode.DeepEquals(actual, operation.Value))
                {
                    throw FhirException.Unprocessable($"JSON Patch test failed: the value at '{operation.Path}' differs.", operation.Expression);
                }

                return root;

            default:
                throw new InvalidOperationException($"Unhandled JSON Patch operation {operation.Type}.");
        }
    }

    /// <summary>Adds <paramref name="value"/> at <paramref name="path"/>; returns the (possibly new) root.</summary>
    private static JsonNode? Add(JsonNode? root, JsonPointer path, JsonNode? value, JsonPatchOperation operation)
    {
        if (path.IsRoot)
        {
            return value;
        }

        JsonNode? parent = ResolveParent(root, path, operation);
        switch (parent)
        {
            case JsonObject obj:
                obj[path.LastToken] = value;
                break;

            case JsonArray array:
                int index = path.LastToken == "-" ? array.Count : ParseIndex(path.LastToken, path, operation);
                if (index > array.Count)
                {
                    throw FhirException.Unprocessable($"Index {index} in '{path}' is beyond the end of an array of {array.Count}.", operation.Expression);
                }

                array.Insert(index, value);
                break;

            default:
                throw NotFound(path, operation);
        }

        return root;
    }

    /// <summary>Overwrites an existing target in place, so member order and array positions are kept.</summary>
    private static JsonNode? Replace(JsonNode? root, JsonPointer path, JsonNode? value, JsonPatchOperation operation)
    {
        if (path.IsRoot)
        {
            return value;
        }

        JsonNode? parent = ResolveParent(root, path, operation);
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(path.LastToken):
                obj[path.LastToken] = value;
                break;

            case JsonArray array:
                array[ArrayIndex(array, path.LastToken, path, operation)] = value;
                break;

            default:
                throw NotFound(path, operation);
        }

        return root;
    }

    /// <summary>Detaches and returns the node at <paramref name="path"/>.</summary>
    private static JsonNode? Remove(JsonNode? root, JsonPointer path, JsonPatchOperation operation)
    {
        if (path.IsRoot)
        {
            throw FhirException.Unprocessable("A patch cannot remove the whole resource.", operation.Expression);
        }

        JsonNode? parent = ResolveParent(root, path, operation);
        switch (parent)
        {
            case JsonObject obj when obj.TryGetPropertyValue(path.LastToken, out JsonNode? removed):
                obj.Remove(path.LastToken);
                return removed;

            case JsonArray array:
                int index = ArrayIndex(array, path.LastToken, path, operation);
                JsonNode? item = array[index];
                array.RemoveAt(index);
                return item;

            default:
                throw NotFound(path, operation);
        }
    }

    private static JsonNode? ResolveParent(JsonNode? root, JsonPointer path, JsonPatchOperation operation) =>
        Walk(root, path, path.Tokens.Count - 1, operation);

    private static JsonNode? Resolve(JsonNode? root, JsonPointer path, JsonPatchOperation operation) =>
        Walk(root, path, path.Tokens.Count, operation);

    /// <summary>Follows the first <paramref name="depth"/> tokens; every one must exist.</summary>
    private static JsonNode? Walk(JsonNode? root, JsonPointer path, int depth, JsonPatchOperation operation)
    {
        JsonNode? current = root;
        for (int i = 0; i < depth; i++)
        {
            string token = path.Tokens[i];
            current = current switch
            {
                JsonObject obj when obj.TryGetPropertyValue(token, out JsonNode? child) => child,
                JsonArray array => array[ArrayIndex(array, token, path, operation)],
                _ => throw NotFound(path, operation),
            };
        }

        return current;
    }

    /// <summary>An index that must address an existing element ("-" never does).</summary>
    private static int ArrayIndex(JsonArray array, string token, JsonPointer path, JsonPatchOperation operation)
    {
        if (token == "-")
        {
            throw FhirException.Unprocessable($"'-' in '{path}' refers to no existing array element.", operation.Expression);
        }

        int index = ParseIndex(token, path, operation);
        if (index >= array.Count)
        {
            throw FhirException.Unprocessable($"Index {index} in '{path}' is out of bounds for an array of {array.Count}.", operation.Expression);
        }

        return index;
    }

    /// <summary>RFC 6901 array indexes are "0" or digits without a leading zero; anything else is malformed.</summary>
    private static int ParseIndex(string token, JsonPointer path, JsonPatchOperation operation)
    {
        bool wellFormed = token.Length > 0
            && token.All(char.IsAsciiDigit)
            && (token.Length == 1 || token[0] != '0');
        if (!wellFormed || !int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
        {
            throw FhirException.BadRequest($"'{token}' in '{path}' is not a valid array index.", operation.Expression);
        }

        return index;
    }

    private static FhirException NotFound(JsonPointer path, JsonPatchOperation operation) =>
        FhirException.Unprocessable($"Path '{path}' does not exist in the resource.", operation.Expression);

    private static string? ResourceTypeOf(JsonObject resource) =>
        resource.TryGetPropertyValue("resourceType", out JsonNode? node) && node?.GetValueKind() == JsonValueKind.String
            ? node.GetValue<string>()
            : null;
}

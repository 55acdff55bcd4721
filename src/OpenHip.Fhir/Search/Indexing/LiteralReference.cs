using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>
/// The parts of a literal reference (<c>Reference.reference</c>) that indexing needs: target type and id, and for an
/// absolute URL the URL itself. <c>/_history/n</c> is dropped (a reference index points at the resource, not a version).
/// Contained (<c>#id</c>), <c>urn:</c> and conditional (<c>Type?query</c>) references have no parts.
/// </summary>
internal readonly record struct LiteralReference(string? Type, string? Id, string? Url)
{
    public static bool TryParse(string? reference, out LiteralReference parts)
    {
        parts = default;
        if (string.IsNullOrEmpty(reference) || reference[0] == '#' || reference.StartsWith("urn:", StringComparison.OrdinalIgnoreCase)
            || reference.Contains('?', StringComparison.Ordinal))
        {
            return false;
        }

        int history = reference.IndexOf("/_history/", StringComparison.Ordinal);
        string path = history >= 0 ? reference[..history] : reference;
        bool absolute = path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        (string? type, string? id) = TypeAndId(path);
        if (absolute)
        {
            parts = new LiteralReference(type, id, path);
            return true;
        }

        // A relative reference is only meaningful as Type/id (R4 3.1.0.4.2: [type]/[id]).
        if (type is null || path.Length != type.Length + 1 + id!.Length)
        {
            return false;
        }

        parts = new LiteralReference(type, id, null);
        return true;
    }

    /// <summary>The resource type a reference points at, from its literal reference or else from <c>Reference.type</c>.</summary>
    public static string? TargetType(ResourceReference reference) => TargetType(reference.Reference, reference.Type);

    /// <summary>The same from a Reference's <c>reference</c> and <c>type</c> values.</summary>
    public static string? TargetType(string? literal, string? type)
    {
        if (TryParse(literal, out LiteralReference parts) && parts.Type is not null)
        {
            return parts.Type;
        }

        // Reference.type is a URI, relative to http://hl7.org/fhir/StructureDefinition/ for the base types.
        if (type is null)
        {
            return null;
        }

        int slash = type.LastIndexOf('/');
        return slash >= 0 ? type[(slash + 1)..] : type;
    }

    /// <summary>The last two segments when they are a known resource type and a valid id.</summary>
    private static (string? Type, string? Id) TypeAndId(string path)
    {
        int slash = path.LastIndexOf('/');
        if (slash <= 0 || slash == path.Length - 1)
        {
            return (null, null);
        }

        int typeStart = path.LastIndexOf('/', slash - 1) + 1;
        string type = path[typeStart..slash];
        string id = path[(slash + 1)..];
        return ModelInfo.IsKnownResource(type) && type is not ("Resource" or "DomainResource") && IsValidId(id) ? (type, id) : (null, null);
    }

    private static bool IsValidId(string id)
    {
        if (id.Length > 64)
        {
            return false;
        }

        foreach (char c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}

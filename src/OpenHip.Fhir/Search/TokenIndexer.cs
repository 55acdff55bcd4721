using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Hl7.FhirPath;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search;

/// <summary>
/// Extracts token index entries (identifier, codes, booleans, contact points) for every token search parameter of a
/// resource type. The search issue generalises this to every parameter type behind the same extractor shape.
/// </summary>
public sealed class TokenIndexer(SearchParameterRegistry registry)
{
    private readonly ConcurrentDictionary<string, (string Code, IndexPath Path)[]> _tokenParameters = new(StringComparer.Ordinal);

    public IReadOnlyList<IndexEntry> Extract(Resource resource)
    {
        HashSet<IndexEntry> entries = [];
        List<Base> values = [];
        PocoNode? root = null;
        foreach ((string code, IndexPath path) in TokenParametersOf(resource.TypeName))
        {
            values.Clear();
            path.Select(resource, ref root, values);
            foreach (Base value in values)
            {
                AddTokens(entries, code, value);
            }
        }

        return [.. entries];
    }

    private (string Code, IndexPath Path)[] TokenParametersOf(string type) =>
        _tokenParameters.GetOrAdd(type, t => registry.ForType(t)
            .Where(p => p.Type == SearchParamType.Token && !string.IsNullOrEmpty(p.Expression) && p.Code != "_id")
            .Select(p => (p.Code, Path: IndexPath.For(p.Expression!, t)))
            .Where(p => p.Path is not null)
            .Select(p => (p.Code, p.Path!))
            .ToArray());

    private static void AddTokens(HashSet<IndexEntry> entries, string parameter, Base value)
    {
        switch (value)
        {
            case Identifier identifier when identifier.Value is not null:
                entries.Add(new TokenIndexEntry(parameter, NullIfEmpty(identifier.System), identifier.Value));
                break;
            case Coding coding when coding.Code is not null:
                entries.Add(new TokenIndexEntry(parameter, NullIfEmpty(coding.System), coding.Code));
                break;
            case CodeableConcept concept:
                foreach (Coding coding in concept.Coding)
                {
                    AddTokens(entries, parameter, coding);
                }

                break;
            case ContactPoint contact when contact.Value is not null:
                entries.Add(new TokenIndexEntry(parameter, null, contact.Value));
                break;
            case FhirBoolean boolean when boolean.Value is not null:
                entries.Add(new TokenIndexEntry(parameter, null, boolean.Value.Value ? "true" : "false"));
                break;
            case PrimitiveType primitive when primitive.JsonValue is not null:
                entries.Add(new TokenIndexEntry(parameter, null, primitive.ToString()!));
                break;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

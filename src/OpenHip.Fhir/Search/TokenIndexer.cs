using System.Collections.Concurrent;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search;

/// <summary>
/// Extracts token index entries (identifier, codes, booleans, contact points) for every token search parameter of a
/// resource type. The search issue generalises this to every parameter type behind the same extractor shape.
/// </summary>
public sealed class TokenIndexer(SearchParameterRegistry registry)
{
    private readonly ConcurrentDictionary<string, SearchParameterInfo[]> _tokenParameters = new(StringComparer.Ordinal);

    public IReadOnlyList<IndexEntry> Extract(Resource resource)
    {
        List<IndexEntry> entries = [];
        foreach (SearchParameterInfo parameter in TokenParametersOf(resource.TypeName))
        {
            foreach (Base value in Evaluate(resource, parameter.Expression!))
            {
                AddTokens(entries, parameter.Code, value);
            }
        }

        return entries;
    }

    private SearchParameterInfo[] TokenParametersOf(string type) =>
        _tokenParameters.GetOrAdd(type, t => registry.ForType(t)
            .Where(p => p.Type == SearchParamType.Token && !string.IsNullOrEmpty(p.Expression) && p.Code != "_id")
            .ToArray());

    private static List<Base> Evaluate(Resource resource, string expression)
    {
        try
        {
            return resource.Select(expression).OfType<Base>().ToList();
        }
        catch (InvalidOperationException)
        {
            // A few R4 expressions use functions that need a resolver (resolve()); they index nothing here.
            return [];
        }
    }

    private static void AddTokens(List<IndexEntry> entries, string parameter, Base value)
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

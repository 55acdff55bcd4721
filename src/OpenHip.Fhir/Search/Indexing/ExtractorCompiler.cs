using System.Globalization;
using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>Compiles the extractors of every indexed search parameter of one resource type, once per generation of the parameters.</summary>
internal static class ExtractorCompiler
{
    /// <summary>_id and _lastUpdated are columns of the store; _text and _content (no expression) are not indexed this way.</summary>
    private static readonly HashSet<string> StoreColumns = new(["_id", "_lastUpdated"], StringComparer.Ordinal);

    public static ParameterExtractor[] Compile(SearchParameterSet parameters, string resourceType, TimeZoneInfo zone)
    {
        List<ParameterExtractor> extractors = [];
        foreach (SearchParameterInfo parameter in parameters.ForType(resourceType))
        {
            if (StoreColumns.Contains(parameter.Code) || string.IsNullOrEmpty(parameter.Expression))
            {
                continue;
            }

            try
            {
                if (Compile(parameters, parameter, resourceType, zone) is { } extractor)
                {
                    extractors.Add(extractor);
                }
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                // An expression Firely cannot compile indexes nothing rather than failing every write of the type;
                // stored SearchParameters are checked on write, so only a faulty built-in definition could get here.
            }
        }

        return [.. extractors];
    }

    private static ParameterExtractor? Compile(SearchParameterSet parameters, SearchParameterInfo parameter, string resourceType, TimeZoneInfo zone)
    {
        if (IndexPath.For(parameter.Expression!, resourceType) is not { } path)
        {
            return null;
        }

        if (parameter.Type != SearchParamType.Composite)
        {
            return IndexValueConverters.For(parameter.Type, zone) is { } convert ? new ValueParameterExtractor(parameter.Code, parameter.Type, path, convert) : null;
        }

        var components = new CompositeComponent[parameter.Components.Count];
        for (int i = 0; i < components.Length; i++)
        {
            SearchParameterComponentInfo component = parameter.Components[i];
            if (parameters.FindByUrl(component.DefinitionUrl)?.Type is not { } type || IndexValueConverters.For(type, zone) is not { } convert)
            {
                return null;
            }

            components[i] = new CompositeComponent(i.ToString(CultureInfo.InvariantCulture), type, IndexPath.ForElement(component.Expression), convert);
        }

        return components.Length == 0 ? null : new CompositeParameterExtractor(parameter.Code, path, components);
    }
}

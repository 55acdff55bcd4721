using Microsoft.Extensions.Options;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Terminology;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>
/// Turns the parameters of a search request (URL query or <c>_search</c> form body, already URL-decoded) into the
/// expression tree the store compiles, plus the directives the engine applies around it. Malformed input is a
/// <see cref="FhirException"/> (400) naming the parameter; unknown parameters follow <see cref="SearchHandling"/>.
/// </summary>
public sealed class SearchRequestParser
{
    private readonly SearchParameterRegistry _registry;
    private readonly FhirEngineOptions _options;
    private readonly TimeZoneInfo _zone;
    private readonly ValueExpressionParser _values;

    /// <param name="terminology">Resolves <c>:in</c>, <c>:not-in</c>, <c>:below</c> and <c>:above</c>; without one they are declined as not supported.</param>
    /// <param name="ancestry">Code system hierarchies: <c>:below</c> on one of them reads the closure rows of the token index.</param>
    public SearchRequestParser(
        SearchParameterRegistry registry,
        IOptions<FhirEngineOptions> options,
        ITokenSetResolver? terminology = null,
        ICodeAncestry? ancestry = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _registry = registry;
        _options = options.Value;
        _zone = RegionTimeZone(_options.TimeZone);
        _values = new ValueExpressionParser(registry, _zone, _options.MaxSearchOrValues, new LocalBase(_options.BaseUrl), terminology, ancestry);
    }

    public ParsedSearch Parse(SearchScope scope, IReadOnlyList<KeyValuePair<string, string>> parameters, SearchHandling handling)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(parameters);
        CheckLimits(parameters);

        List<IgnoredParameter> ignored = [];
        (IReadOnlyList<string> types, KeyValuePair<string, string>? typeParameter) = ResolveTypes(scope, parameters);
        var criteria = new CriterionParser(_registry, _values, _zone, _options.MaxSearchChainDepth, handling);
        var results = new ResultParameters(_registry, _options, types, handling, ignored);
        List<(RawParameter Source, SearchExpression Expression)> applied = [];

        foreach ((string name, string value) in parameters)
        {
            var source = new RawParameter(name, value);
            if (name is "_format" or "_pretty")
            {
                // The HTTP layer's business.
                continue;
            }

            if (value.Length == 0)
            {
                ignored.Add(new IgnoredParameter(name, value, "no value"));
            }
            else if (name == "_type")
            {
                // Already taken into the types searched.
            }
            else if (ResultParameters.Handles(CriterionParser.SplitModifier(name).Code))
            {
                results.Apply(source);
            }
            else if (criteria.Parse(types, source, out string? ignoredBecause) is { } expression)
            {
                applied.Add((source, expression));
            }
            else
            {
                ignored.Add(new IgnoredParameter(name, value, ignoredBecause!));
            }
        }

        // One canonical order (by name, repeated names in the order given) for the tree and the link alike, so the same
        // search written differently compiles to the same SQL and pages through the same links.
        applied = [.. applied.OrderBy(a => a.Source.Name, StringComparer.Ordinal)];
        List<SearchExpression> filters = [.. applied.Select(a => a.Expression)];
        if (scope.CompartmentId is not null)
        {
            filters.Insert(0, new CompartmentExpression(scope.CompartmentId));
        }

        var query = new SearchQuery(types, SearchExpressions.And(filters), results.Sort, results.Count, results.Cursor, results.EffectiveTotal);
        IEnumerable<KeyValuePair<string, string>> link = applied.Select(a => new KeyValuePair<string, string>(a.Source.Name, a.Source.Value))
            .Concat(results.Applied());
        if (typeParameter is { } type)
        {
            link = link.Prepend(type);
        }

        return new ParsedSearch(
            query,
            results.Includes(reverse: false),
            results.Includes(reverse: true),
            results.Summary,
            results.Elements,
            ignored,
            QueryStringEncoding.Build(link));
    }

    private void CheckLimits(IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        if (parameters.Count > _options.MaxSearchParameters)
        {
            throw FhirException.BadRequest($"A search may have at most {_options.MaxSearchParameters} parameters; this one has {parameters.Count}");
        }

        foreach ((string name, string value) in parameters)
        {
            if (name.Length > _options.MaxSearchValueLength || value.Length > _options.MaxSearchValueLength)
            {
                throw new RawParameter(name, value).Invalid($"longer than {_options.MaxSearchValueLength} characters");
            }
        }
    }

    /// <summary>The types searched; for a system search (or a whole compartment) narrowed by <c>_type</c> when given.</summary>
    private static (IReadOnlyList<string> Types, KeyValuePair<string, string>? TypeParameter) ResolveTypes(
        SearchScope scope,
        IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        List<KeyValuePair<string, string>> typeParameters = [.. parameters.Where(p => p.Key == "_type" && p.Value.Length > 0)];
        if (scope.Type is not null)
        {
            ResourceIds.EnsureKnownType(scope.Type);
        }

        if (scope.CompartmentType is not null)
        {
            CheckCompartment(scope);
        }

        IReadOnlyList<string> inScope = scope.Type is { } single ? [single]
            : scope.CompartmentType is not null ? [.. PatientCompartmentDefinition.Parameters.Keys.Order(StringComparer.Ordinal)]
            : ScopeParameters.AllResourceTypes;
        if (typeParameters.Count == 0)
        {
            return (inScope, null);
        }

        var source = new RawParameter("_type", typeParameters[0].Value);
        if (scope.Type is not null)
        {
            throw source.Invalid("_type applies to system-level and whole-compartment searches only");
        }

        if (typeParameters.Count > 1)
        {
            throw source.Invalid("'_type' may be given only once");
        }

        List<string> types = [.. source.Value.Split(',').Distinct(StringComparer.Ordinal)];
        foreach (string type in types)
        {
            if (!ScopeParameters.IsResourceType(type))
            {
                throw source.Invalid($"'{RawParameter.Shorten(type)}' is not a resource type");
            }

            if (!inScope.Contains(type, StringComparer.Ordinal))
            {
                throw source.Invalid($"{type} is not in the {scope.CompartmentType} compartment");
            }
        }

        return (types, typeParameters[0]);
    }

    private static void CheckCompartment(SearchScope scope)
    {
        if (scope.CompartmentType != "Patient")
        {
            throw FhirException.NotSupported($"Only the Patient compartment can be searched, not {scope.CompartmentType}");
        }

        ResourceIds.EnsureValidId(scope.CompartmentId ?? string.Empty);
        if (scope.Type is not null && !PatientCompartmentDefinition.Parameters.ContainsKey(scope.Type))
        {
            throw FhirException.BadRequest($"{scope.Type} is not in the Patient compartment");
        }
    }

    private static TimeZoneInfo RegionTimeZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException ex)
        {
            throw new InvalidOperationException($"{FhirEngineOptions.SectionName}:TimeZone '{id}' is not a known IANA time zone", ex);
        }
    }
}

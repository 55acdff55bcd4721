using System.Globalization;
using System.Text.RegularExpressions;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search.Expressions;
using SortKey = OpenHip.Fhir.Search.Expressions.SortKey;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>
/// The parameters that shape the result rather than filter it (<c>_sort _count _total _summary _elements _include
/// _revinclude _cursor</c>), collected over one request and reported back in a fixed order for the self link.
/// </summary>
internal sealed partial class ResultParameters(
    SearchParameterRegistry registry,
    FhirEngineOptions options,
    IReadOnlyList<string> types,
    SearchHandling handling,
    List<IgnoredParameter> ignored)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<(RawParameter Source, IReadOnlyList<SearchInclude> Directives)> _includes = [];
    private List<string> _appliedSort = [];
    private int? _count;
    private string? _total;
    private string? _summary;

    public IReadOnlyList<SortKey> Sort { get; private set; } = [];

    public TotalMode Total { get; private set; } = TotalMode.None;

    public SummaryMode Summary { get; private set; } = SummaryMode.False;

    public IReadOnlyList<string> Elements { get; private set; } = [];

    public string? Cursor { get; private set; }

    /// <summary><c>_summary=count</c> asks for the total only.</summary>
    public int Count => Summary == SummaryMode.Count ? 0 : _count ?? options.DefaultPageSize;

    /// <summary>
    /// Counting every match costs as much as the search itself on broad queries, so the total is computed only when
    /// asked for: <c>_total</c>, or a request for no rows (<c>_summary=count</c>, <c>_count=0</c> without <c>_total</c>).
    /// </summary>
    public TotalMode EffectiveTotal => Summary == SummaryMode.Count || (Count == 0 && _total is null) ? TotalMode.Accurate : Total;

    public static bool Handles(string code) =>
        code is "_sort" or "_count" or "_total" or "_summary" or "_elements" or "_include" or "_revinclude" or "_cursor" or "_contained" or "_containedType";

    public void Apply(RawParameter source)
    {
        (string code, string? modifier) = CriterionParser.SplitModifier(source.Name);
        if (code is "_include" or "_revinclude")
        {
            IReadOnlyList<SearchInclude> directives = IncludeParser.Parse(registry, types, source, modifier, code == "_revinclude", handling, out string? skipped);
            if (skipped is not null)
            {
                ignored.Add(new IgnoredParameter(source.Name, source.Value, skipped));
            }
            else
            {
                _includes.Add((source, directives));
            }

            // Each :iterate directive can take the walk one reference further from the matches, and every round costs a
            // query per directive; more directives than the configured rounds would be silently cut, so they are refused.
            int iterating = _includes.Count(i => i.Directives.Any(d => d.Iterate));
            if (iterating > options.MaxIncludeIterations)
            {
                throw source.Invalid($"at most {options.MaxIncludeIterations} _include:iterate / _revinclude:iterate parameters in one search");
            }

            return;
        }

        if (modifier is not null)
        {
            throw source.Invalid($"'{code}' takes no modifier");
        }

        if (code is "_contained" or "_containedType")
        {
            ApplyContained(source);
            return;
        }

        if (!_seen.Add(code))
        {
            throw source.Invalid($"'{code}' may be given only once");
        }

        switch (code)
        {
            case "_sort":
                (List<SortKey> keys, _appliedSort) = SortParser.Parse(registry, types, source, handling, ignored);
                Sort = keys;
                break;
            case "_count":
                _count = int.TryParse(source.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int count)
                    ? Math.Min(count, options.MaxPageSize)
                    : throw source.Invalid("_count takes a whole number from 0 up");
                break;
            case "_total":
                Total = Choose<TotalMode>(source);
                _total = Total.ToString().ToLowerInvariant();
                break;
            case "_summary":
                Summary = Choose<SummaryMode>(source);
                _summary = Summary.ToString().ToLowerInvariant();
                break;
            case "_elements":
                List<string> elements = [.. source.Value.Split(',')];
                Elements = elements.Find(e => !ElementName().IsMatch(e)) is { } bad
                    ? throw source.Invalid($"'{RawParameter.Shorten(bad)}' is not an element name")
                    : elements;
                break;
            case "_cursor":
                Cursor = source.Value;
                break;
        }
    }

    public IReadOnlyList<SearchInclude> Includes(bool reverse) =>
        [.. OrderedIncludes().Where(i => i.Source.Name.StartsWith("_revinclude", StringComparison.Ordinal) == reverse).SelectMany(i => i.Directives)];

    /// <summary>The applied result parameters for the self link, in a fixed order; <c>_cursor</c> is added per link.</summary>
    public IEnumerable<KeyValuePair<string, string>> Applied()
    {
        if (_appliedSort.Count > 0)
        {
            yield return new("_sort", string.Join(',', _appliedSort));
        }

        if (Summary != SummaryMode.Count)
        {
            yield return new("_count", Count.ToString(CultureInfo.InvariantCulture));
        }

        if (_total is not null)
        {
            yield return new("_total", _total);
        }

        if (_summary is not null)
        {
            yield return new("_summary", _summary);
        }

        if (Elements.Count > 0)
        {
            yield return new("_elements", string.Join(',', Elements));
        }

        foreach ((RawParameter source, _) in OrderedIncludes())
        {
            yield return new(source.Name, source.Value);
        }
    }

    private IEnumerable<(RawParameter Source, IReadOnlyList<SearchInclude> Directives)> OrderedIncludes() =>
        _includes.OrderBy(i => i.Source.Name, StringComparer.Ordinal).ThenBy(i => i.Source.Value, StringComparer.Ordinal);

    /// <summary>Contained resources are not indexed; <c>_contained=false</c> is what every search does anyway.</summary>
    private void ApplyContained(RawParameter source)
    {
        if (source.Name == "_contained" && source.Value == "false")
        {
            ignored.Add(new IgnoredParameter(source.Name, source.Value, "contained resources are never searched; false is the default"));
            return;
        }

        throw source.NotSupported("searching contained resources (_contained, _containedType) is not supported");
    }

    /// <summary>The FHIR codes of _total and _summary are the enum names in lower case (any case is accepted).</summary>
    private static TEnum Choose<TEnum>(RawParameter source)
        where TEnum : struct, Enum
    {
        foreach (TEnum value in Enum.GetValues<TEnum>())
        {
            if (string.Equals(value.ToString(), source.Value, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw source.Invalid($"{source.Name} takes {string.Join(", ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}");
    }

    [GeneratedRegex(@"^([A-Z][A-Za-z]*\.)?[a-z][A-Za-z0-9_]*(\[x\])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ElementName();
}

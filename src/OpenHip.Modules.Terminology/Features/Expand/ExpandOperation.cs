using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Operations;
using OpenHip.Modules.Terminology.Catalog;
using OpenHip.Modules.Terminology.Domain;
using OpenHip.Modules.Terminology.Features.Shared;

namespace OpenHip.Modules.Terminology.Features.Expand;

/// <summary>
/// <c>ValueSet/$expand</c> (R4 ValueSet-expand): <c>url</c> (+ <c>valueSetVersion</c>), the instance, or a
/// <c>valueSet</c> in the body; <c>filter</c> (text, every term must occur in the display or a designation, Chinese or
/// English), <c>offset</c>/<c>count</c> paging (count is capped at MaxExpansionPageSize; <c>count=0</c> gives the total
/// only), <c>displayLanguage</c>, <c>activeOnly</c>, <c>includeDesignations</c>. The parameters used are echoed in
/// <c>expansion.parameter</c>.
/// </summary>
internal sealed class ExpandOperation(TerminologyCatalog catalog, TimeProvider time, IOptions<TerminologyOptions> options) : TerminologyOperation("expand", "http://hl7.org/fhir/OperationDefinition/ValueSet-expand")
{
    protected override Resource Execute(OperationInput input)
    {
        OperationRequest request = input.Request;
        input.ExpectType(Name, TerminologyTypes.ValueSet);
        CatalogSnapshot snapshot = catalog.Current;
        ValueSet source = input.Resource<ValueSet>("valueSet")
            ?? CatalogLookup.ValueSet(snapshot, request.Id, input.String("url"), input.String("valueSetVersion"));
        Expansion expansion = catalog.Expand(snapshot, source);

        string? filter = input.String("filter");
        string? language = input.String("displayLanguage");
        bool activeOnly = input.Bool("activeOnly", false);
        bool designations = input.Bool("includeDesignations", false);
        int offset = input.Int("offset", 0) ?? 0;
        int pageSize = options.Value.MaxExpansionPageSize;
        int count = Math.Min(input.Int("count", 0) ?? pageSize, pageSize);

        string[] terms = filter is null ? [] : SearchText.Terms(filter);
        (List<ExpansionEntry> page, int? total) = Page(expansion, terms, activeOnly, offset, count);

        var component = new ValueSet.ExpansionComponent
        {
            Identifier = "urn:uuid:" + Guid.NewGuid().ToString(),
            TimestampElement = new FhirDateTime(time.GetUtcNow()),
            Total = total,
            Offset = offset,
        };
        Echo(component, "filter", filter is null ? null : new FhirString(filter));
        Echo(component, "offset", new Integer(offset));
        Echo(component, "count", new Integer(count));
        Echo(component, "displayLanguage", language is null ? null : new Code(language));
        Echo(component, "activeOnly", new FhirBoolean(activeOnly));
        Echo(component, "includeDesignations", new FhirBoolean(designations));
        foreach (string used in expansion.Systems.Take(50))
        {
            Echo(component, "used-codesystem", new FhirUri(used));
        }

        foreach (ExpansionEntry entry in page)
        {
            component.Contains.Add(Contains(entry, language, designations));
        }

        var result = new ValueSet
        {
            Url = source.Url,
            Version = source.Version,
            Name = source.Name,
            Title = source.Title,
            Status = source.Status ?? PublicationStatus.Active,
            Expansion = component,
        };
        return result;
    }

    /// <summary>
    /// One page of the matching entries. Without a text filter the total is known up front. With one, the scan stops
    /// once the page is full and one more match shows there are more: the first page of a search-as-you-type filter
    /// costs what it takes to find twenty matches, not a pass over a large code system, and the total is left out
    /// (R4 makes it optional). <c>count=0</c> asks for the total, so it scans everything.
    /// </summary>
    private static (List<ExpansionEntry> Page, int? Total) Page(Expansion expansion, string[] terms, bool activeOnly, int offset, int count)
    {
        var page = new List<ExpansionEntry>(Math.Min(count, 256));
        int seen = 0;
        foreach (int index in expansion.Text.Matching(terms))
        {
            ExpansionEntry entry = expansion.Entries[index];
            if (activeOnly && entry.Inactive)
            {
                continue;
            }

            if (seen >= offset && page.Count < count)
            {
                page.Add(entry);
            }
            else if (terms.Length > 0 && count > 0 && page.Count == count)
            {
                return (page, null);
            }

            seen++;
            if (terms.Length == 0 && seen >= offset + count)
            {
                return (page, activeOnly ? expansion.ActiveCount : expansion.Entries.Count);
            }
        }

        return (page, seen);
    }

    private static ValueSet.ContainsComponent Contains(ExpansionEntry entry, string? language, bool designations)
    {
        var contains = new ValueSet.ContainsComponent
        {
            System = entry.System,
            Version = entry.Version,
            Code = entry.Code,
            Display = entry.DisplayIn(language),
        };
        if (entry.Inactive)
        {
            contains.Inactive = true;
        }

        if (designations && entry.Concept is { } concept)
        {
            contains.Designation.AddRange(concept.Designations.Select(d => new ValueSet.DesignationComponent
            {
                Language = d.Language,
                Use = d.UseCode is null ? null : new Coding(d.UseSystem, d.UseCode),
                Value = d.Value,
            }));
        }

        return contains;
    }

    private static void Echo(ValueSet.ExpansionComponent expansion, string name, DataType? value)
    {
        if (value is not null)
        {
            expansion.Parameter.Add(new ValueSet.ParameterComponent { Name = name, Value = value });
        }
    }
}

using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>string: string and markdown primitives, and each text part of a HumanName or an Address as its own entry.</summary>
internal static class StringValues
{
    public static void Add(string parameter, Base value, ICollection<IndexEntry> into)
    {
        switch (value)
        {
            case HumanName name:
                AddAll(parameter, name.GivenElement, into);
                AddAll(parameter, name.PrefixElement, into);
                AddAll(parameter, name.SuffixElement, into);
                AddTexts(parameter, into, name.Family, name.Text);
                break;
            case Address address:
                AddAll(parameter, address.LineElement, into);
                AddTexts(parameter, into, address.City, address.District, address.State, address.PostalCode, address.Country, address.Text);
                break;
            case PrimitiveType primitive:
                AddTexts(parameter, into, PrimitiveText.Of(primitive));
                break;
        }
    }

    private static void AddAll(string parameter, List<FhirString> parts, ICollection<IndexEntry> into)
    {
        for (int i = 0; i < parts.Count; i++)
        {
            AddTexts(parameter, into, parts[i]?.Value);
        }
    }

    private static void AddTexts(string parameter, ICollection<IndexEntry> into, params ReadOnlySpan<string?> texts)
    {
        foreach (string? text in texts)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                into.Add(new StringIndexEntry(parameter, SearchText.Normalize(text), text));
            }
        }
    }
}

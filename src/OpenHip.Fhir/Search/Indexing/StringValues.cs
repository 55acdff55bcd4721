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
                AddText(parameter, name.Family, into);
                AddAll(parameter, name.GivenElement, into);
                AddAll(parameter, name.PrefixElement, into);
                AddAll(parameter, name.SuffixElement, into);
                AddText(parameter, name.Text, into);
                break;
            case Address address:
                AddAll(parameter, address.LineElement, into);
                AddText(parameter, address.City, into);
                AddText(parameter, address.District, into);
                AddText(parameter, address.State, into);
                AddText(parameter, address.PostalCode, into);
                AddText(parameter, address.Country, into);
                AddText(parameter, address.Text, into);
                break;
            case PrimitiveType primitive:
                AddText(parameter, PrimitiveText.Of(primitive), into);
                break;
        }
    }

    private static void AddAll(string parameter, List<FhirString> parts, ICollection<IndexEntry> into)
    {
        for (int i = 0; i < parts.Count; i++)
        {
            AddText(parameter, parts[i]?.Value, into);
        }
    }

    private static void AddText(string parameter, string? text, ICollection<IndexEntry> into)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            into.Add(new StringIndexEntry(parameter, SearchText.Normalize(text), text));
        }
    }
}

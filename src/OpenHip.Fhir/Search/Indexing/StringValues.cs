using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>string: string and markdown primitives, and each text part of a HumanName or an Address as its own entry.</summary>
internal static class StringValues
{
    private const string FamilyParameter = "family";

    private static readonly char[] FamilySeparators = [' ', '-'];

    public static void Add(string parameter, Base value, ICollection<IndexEntry> into)
    {
        switch (value)
        {
            case HumanName name:
                AddFamily(parameter, name.Family, into);
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
            case FhirString family when parameter == FamilyParameter:
                AddFamily(parameter, family.Value, into);
                break;
            case PrimitiveType primitive:
                AddText(parameter, PrimitiveText.Of(primitive), into);
                break;
        }
    }

    /// <summary>
    /// R4 asks servers to match each part of a compound family name ("Carreno Quinones", "Smith-Jones") on its own, so
    /// the parts are indexed besides the whole name.
    /// </summary>
    private static void AddFamily(string parameter, string? family, ICollection<IndexEntry> into)
    {
        AddText(parameter, family, into);
        if (family is not null && family.AsSpan().IndexOfAny(FamilySeparators) >= 0)
        {
            foreach (string part in family.Split(FamilySeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                AddText(parameter, part, into);
            }
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

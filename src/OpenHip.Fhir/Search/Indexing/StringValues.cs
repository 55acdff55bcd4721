using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>string: string and markdown primitives, and each text part of a HumanName or an Address as its own entry.</summary>
internal static class StringValues
{
    public const string FamilyParameter = "family";

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
                AddTexts(parameter, into, name.Text);
                break;
            case Address address:
                AddAll(parameter, address.LineElement, into);
                AddTexts(parameter, into, address.City, address.District, address.State, address.PostalCode, address.Country, address.Text);
                break;
            case FhirString family when parameter == FamilyParameter:
                AddFamily(parameter, family.Value, into);
                break;
            case PrimitiveType primitive:
                AddTexts(parameter, into, PrimitiveText.Of(primitive));
                break;
        }
    }

    /// <summary>
    /// R4 asks servers to match each part of a compound family name ("Carreno Quinones", "Smith-Jones") on its own, so
    /// the parts are indexed besides the whole name.
    /// </summary>
    public static void AddFamily(string parameter, string? family, ICollection<IndexEntry> into)
    {
        AddTexts(parameter, into, family);
        if (family is not null && family.AsSpan().IndexOfAny(FamilySeparators) >= 0)
        {
            foreach (string part in family.Split(FamilySeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                AddTexts(parameter, into, part);
            }
        }
    }

    private static void AddAll(string parameter, List<FhirString> parts, ICollection<IndexEntry> into)
    {
        for (int i = 0; i < parts.Count; i++)
        {
            AddTexts(parameter, into, parts[i]?.Value);
        }
    }

    public static void AddTexts(string parameter, ICollection<IndexEntry> into, params ReadOnlySpan<string?> texts)
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

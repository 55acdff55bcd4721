using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>The converter for each parameter type; composite and special parameters have none (composites combine their components').</summary>
internal static class IndexValueConverters
{
    public static IndexValueConverter? For(SearchParamType type, TimeZoneInfo zone) => type switch
    {
        SearchParamType.String => StringValues.Add,
        SearchParamType.Token => TokenValues.Add,
        SearchParamType.Reference => ReferenceValues.Add,
        SearchParamType.Date => new DateValues(zone).Add,
        SearchParamType.Number => NumberValues.Add,
        SearchParamType.Quantity => QuantityValues.Add,
        SearchParamType.Uri => UriValues.Add,
        _ => null,
    };

    /// <summary>FHIR never has "" for a value; an empty system or code written anyway counts as absent.</summary>
    public static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;
using static OpenHip.Fhir.Search.Indexing.IndexValueConverters;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>
/// quantity: Quantity and its kinds (Age, Duration, ...) as written plus in UCUM base units; Money by its currency
/// (ISO 4217); a Range as its low and its high.
/// </summary>
internal static class QuantityValues
{
    public const string CurrencySystem = "urn:iso:std:iso:4217";

    public static void Add(string parameter, Base value, ICollection<IndexEntry> into)
    {
        switch (value)
        {
            case Quantity quantity:
                AddQuantity(parameter, quantity, into);
                break;
            case Money { Value: { } amount } money:
                string? currency = money.CurrencyElement is { } code ? PrimitiveText.Of(code) : null;
                into.Add(new QuantityIndexEntry(parameter, amount, currency is null ? null : CurrencySystem, currency, null, null, null));
                break;
            case Hl7.Fhir.Model.Range range:
                AddQuantity(parameter, range.Low, into);
                AddQuantity(parameter, range.High, into);
                break;
        }
    }

    private static void AddQuantity(string parameter, Quantity? quantity, ICollection<IndexEntry> into)
    {
        if (quantity is not null)
        {
            AddQuantity(parameter, quantity.Value, quantity.System, quantity.Code, quantity.Unit, into);
        }
    }

    /// <summary>A Quantity from its parts (the POCO's or the JSON's).</summary>
    public static void AddQuantity(string parameter, decimal? value, string? systemText, string? codeText, string? unit, ICollection<IndexEntry> into)
    {
        if (value is not { } amount)
        {
            return;
        }

        string? system = NullIfEmpty(systemText);
        string? code = NullIfEmpty(codeText);

        // A unit code without a system is taken as UCUM when it parses as one (many feeds leave the system out).
        decimal? canonicalValue = null;
        string? canonicalCode = null;
        if (code is not null && (system is null || system == UcumCanonical.System)
            && UcumCanonical.TryCanonicalize(amount, code, out decimal canonical, out string canonicalUnit))
        {
            canonicalValue = canonical;
            canonicalCode = canonicalUnit;
        }

        into.Add(new QuantityIndexEntry(parameter, amount, system, code, NullIfEmpty(unit), canonicalValue, canonicalCode));
    }
}

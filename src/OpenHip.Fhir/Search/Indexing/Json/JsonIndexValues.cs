using System.Text.Json;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;
using static OpenHip.Fhir.Search.Indexing.IndexValueConverters;

namespace OpenHip.Fhir.Search.Indexing.Json;

/// <summary>
/// The index entries of one selected JSON value, case for case what <see cref="TokenValues"/>, <see cref="StringValues"/>,
/// <see cref="DateValues"/>, <see cref="ReferenceValues"/>, <see cref="QuantityValues"/>, <see cref="NumberValues"/> and
/// <see cref="UriValues"/> make of the POCO (they share the normalising helpers); the equivalence test over the shared data
/// and a synthetic region holds the two together.
/// </summary>
internal sealed class JsonIndexValues(TimeZoneInfo zone)
{
    private readonly DateValues _dates = new(zone);

    public void Add(SearchParamType type, string parameter, JsonFhirValue value, ICollection<IndexEntry> into)
    {
        switch (type)
        {
            case SearchParamType.Token:
                AddToken(parameter, value, into);
                break;
            case SearchParamType.String:
                AddString(parameter, value, into);
                break;
            case SearchParamType.Date:
                AddDate(parameter, value, into);
                break;
            case SearchParamType.Reference:
                AddReference(parameter, value, into);
                break;
            case SearchParamType.Quantity:
                AddQuantity(parameter, value, into);
                break;
            case SearchParamType.Number:
                AddNumber(parameter, value, into);
                break;
            case SearchParamType.Uri:
                if (IsPrimitive(value) && JsonText.OfPrimitive(value.Json, value.Type) is { Length: > 0 } uri)
                {
                    into.Add(new UriIndexEntry(parameter, uri));
                }

                break;
            default:
                throw new JsonShapeNotCompiledException();
        }
    }

    private static void AddToken(string parameter, JsonFhirValue value, ICollection<IndexEntry> into)
    {
        JsonElement json = value.Json;
        if (Is<Identifier>(value))
        {
            AddIdentifier(parameter, json, into);
        }
        else if (Is<Coding>(value))
        {
            if (JsonText.Member(json, "code"u8) is { } code)
            {
                into.Add(new TokenIndexEntry(parameter, NullIfEmpty(JsonText.Member(json, "system"u8)), code, TokenValues.Text(JsonText.Member(json, "display"u8))));
            }
        }
        else if (Is<CodeableConcept>(value))
        {
            AddConcept(parameter, json, into);
        }
        else if (Is<ContactPoint>(value))
        {
            if (JsonText.Member(json, "value"u8) is { Length: > 0 } contact)
            {
                into.Add(new TokenIndexEntry(parameter, null, contact));
            }
        }
        else if (IsPrimitive(value) && JsonText.OfPrimitive(json, value.Type) is { Length: > 0 } text)
        {
            into.Add(new TokenIndexEntry(parameter, null, text));
        }
    }

    private static void AddIdentifier(string parameter, JsonElement identifier, ICollection<IndexEntry> into)
    {
        if (JsonText.Member(identifier, "value"u8) is not { Length: > 0 } value)
        {
            return;
        }

        JsonElement? type = JsonText.Object(identifier, "type"u8);
        into.Add(new TokenIndexEntry(parameter, NullIfEmpty(JsonText.Member(identifier, "system"u8)), value, TokenValues.Text(type is { } t ? JsonText.Member(t, "text"u8) : null)));
        if (type is null)
        {
            return;
        }

        foreach (JsonElement coding in JsonText.Items(type.Value, "coding"u8))
        {
            if (JsonText.Member(coding, "code"u8) is { Length: > 0 } code)
            {
                into.Add(new TokenIndexEntry(parameter + TokenIndexEntry.OfTypeSuffix, NullIfEmpty(JsonText.Member(coding, "system"u8)), $"{code}|{value}"));
            }
        }
    }

    private static void AddConcept(string parameter, JsonElement concept, ICollection<IndexEntry> into)
    {
        string? text = TokenValues.Text(JsonText.Member(concept, "text"u8));
        bool textCarried = false;
        foreach (JsonElement coding in JsonText.Items(concept, "coding"u8))
        {
            if (JsonText.Member(coding, "code"u8) is not { } code)
            {
                continue;
            }

            string? entryText = TokenValues.Text(JsonText.Member(coding, "display"u8)) ?? text;
            textCarried |= entryText == text;
            into.Add(new TokenIndexEntry(parameter, NullIfEmpty(JsonText.Member(coding, "system"u8)), code, entryText));
        }

        if (text is not null && !textCarried)
        {
            into.Add(new TokenIndexEntry(parameter, null, null, text));
        }
    }

    private static void AddString(string parameter, JsonFhirValue value, ICollection<IndexEntry> into)
    {
        JsonElement json = value.Json;
        if (Is<HumanName>(value))
        {
            StringValues.AddFamily(parameter, JsonText.Member(json, "family"u8), into);
            AddAll(parameter, json, "given"u8, into);
            AddAll(parameter, json, "prefix"u8, into);
            AddAll(parameter, json, "suffix"u8, into);
            StringValues.AddTexts(parameter, into, JsonText.Member(json, "text"u8));
        }
        else if (Is<Address>(value))
        {
            AddAll(parameter, json, "line"u8, into);
            StringValues.AddTexts(
                parameter,
                into,
                JsonText.Member(json, "city"u8),
                JsonText.Member(json, "district"u8),
                JsonText.Member(json, "state"u8),
                JsonText.Member(json, "postalCode"u8),
                JsonText.Member(json, "country"u8),
                JsonText.Member(json, "text"u8));
        }
        else if (Is<FhirString>(value) && parameter == StringValues.FamilyParameter)
        {
            StringValues.AddFamily(parameter, JsonText.OfPrimitive(json, value.Type), into);
        }
        else if (IsPrimitive(value))
        {
            StringValues.AddTexts(parameter, into, JsonText.OfPrimitive(json, value.Type));
        }
    }

    private static void AddAll(string parameter, JsonElement json, ReadOnlySpan<byte> name, ICollection<IndexEntry> into)
    {
        foreach (JsonElement part in JsonText.Items(json, name))
        {
            StringValues.AddTexts(parameter, into, JsonText.OfPrimitive(part, typeof(FhirString)));
        }
    }

    private void AddDate(string parameter, JsonFhirValue value, ICollection<IndexEntry> into)
    {
        JsonElement json = value.Json;
        if (Is<Period>(value))
        {
            _dates.AddPeriod(parameter, JsonText.Member(json, "start"u8), JsonText.Member(json, "end"u8), into);
        }
        else if (Is<Timing>(value))
        {
            foreach (JsonElement occurrence in JsonText.Items(json, "event"u8))
            {
                _dates.AddText(parameter, JsonText.OfPrimitive(occurrence, typeof(FhirDateTime)), into);
            }

            if (JsonText.Object(json, "repeat"u8) is { } repeat && JsonText.Object(repeat, "boundsPeriod"u8) is { } bounds)
            {
                _dates.AddPeriod(parameter, JsonText.Member(bounds, "start"u8), JsonText.Member(bounds, "end"u8), into);
            }
        }
        else if (IsPrimitive(value))
        {
            _dates.AddText(parameter, JsonText.OfPrimitive(json, value.Type), into);
        }
    }

    private static void AddReference(string parameter, JsonFhirValue value, ICollection<IndexEntry> into)
    {
        JsonElement json = value.Json;
        if (Is<ResourceReference>(value))
        {
            if (LiteralReference.TryParse(JsonText.Member(json, "reference"u8), out LiteralReference parts))
            {
                into.Add(new ReferenceIndexEntry(parameter, parts.Type, parts.Id, parts.Url));
            }

            if (JsonText.Object(json, "identifier"u8) is { } identifier && JsonText.Member(identifier, "value"u8) is { Length: > 0 } code)
            {
                into.Add(new TokenIndexEntry(parameter, NullIfEmpty(JsonText.Member(identifier, "system"u8)), code));
            }
        }
        else if (IsPrimitive(value))
        {
            if (JsonText.OfPrimitive(json, value.Type) is { Length: > 0 } uri)
            {
                ReferenceValues.AddUri(parameter, uri, into);
            }
        }
        else if (Is<Resource>(value))
        {
            // A resource selected in place (Bundle.entry[0].resource) is indexed by its type and id.
            if (JsonText.Member(json, "id"u8) is { Length: > 0 } id)
            {
                into.Add(new ReferenceIndexEntry(parameter, JsonText.Member(json, "resourceType"u8), id, null));
            }
        }
    }

    private static void AddQuantity(string parameter, JsonFhirValue value, ICollection<IndexEntry> into)
    {
        JsonElement json = value.Json;
        if (Is<Quantity>(value))
        {
            AddQuantity(parameter, json, into);
        }
        else if (Is<Money>(value))
        {
            if (JsonText.Decimal(json, "value"u8) is { } amount)
            {
                string? currency = JsonText.Member(json, "currency"u8);
                into.Add(new QuantityIndexEntry(parameter, amount, currency is null ? null : QuantityValues.CurrencySystem, currency, null, null, null));
            }
        }
        else if (Is<Hl7.Fhir.Model.Range>(value))
        {
            if (JsonText.Object(json, "low"u8) is { } low)
            {
                AddQuantity(parameter, low, into);
            }

            if (JsonText.Object(json, "high"u8) is { } high)
            {
                AddQuantity(parameter, high, into);
            }
        }
    }

    private static void AddQuantity(string parameter, JsonElement quantity, ICollection<IndexEntry> into) =>
        QuantityValues.AddQuantity(
            parameter, JsonText.Decimal(quantity, "value"u8), JsonText.Member(quantity, "system"u8), JsonText.Member(quantity, "code"u8), JsonText.Member(quantity, "unit"u8), into);

    private static void AddNumber(string parameter, JsonFhirValue value, ICollection<IndexEntry> into)
    {
        JsonElement json = value.Json;
        if ((JsonText.IsInteger(value.Type) || value.Type == typeof(FhirDecimal)) && json.ValueKind != JsonValueKind.Null)
        {
            into.Add(new NumberIndexEntry(parameter, json.ValueKind == JsonValueKind.Number && json.TryGetDecimal(out decimal number) ? number : throw new JsonShapeNotCompiledException()));
        }
        else if (Is<Hl7.Fhir.Model.Range>(value))
        {
            decimal? low = JsonText.Object(json, "low"u8) is { } l ? JsonText.Decimal(l, "value"u8) : null;
            decimal? high = JsonText.Object(json, "high"u8) is { } h ? JsonText.Decimal(h, "value"u8) : null;
            if (low is not null || high is not null)
            {
                into.Add(new NumberIndexEntry(parameter, low ?? decimal.MinValue, high ?? decimal.MaxValue));
            }
        }
        else if (value.Type == typeof(Integer64))
        {
            throw new JsonShapeNotCompiledException();
        }
    }

    private static bool Is<T>(JsonFhirValue value) => typeof(T).IsAssignableFrom(value.Type);

    private static bool IsPrimitive(JsonFhirValue value) => typeof(PrimitiveType).IsAssignableFrom(value.Type);
}

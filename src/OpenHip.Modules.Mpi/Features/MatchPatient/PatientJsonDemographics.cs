using System.Text.Json;
using OpenHip.Modules.Mpi.Domain.Identifiers;
using OpenHip.Modules.Mpi.Domain.Matching;

namespace OpenHip.Modules.Mpi.Features.MatchPatient;

/// <summary>
/// Reads <see cref="Demographics"/> straight from a stored Patient's JSON, exactly as <see cref="PatientDemographics.From"/>
/// reads them off the parsed resource. The index needs a handful of elements of every Patient (a whole population at
/// start, each write after), and building the full FHIR object model for them was the largest part of loading the
/// index. Stored JSON is what the engine wrote (valid, one shape per element), which is what makes the
/// shortcut safe; <c>PatientJsonDemographicsTests</c> holds it to the parsed path.
/// </summary>
internal static class PatientJsonDemographics
{
    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement.Clone();

    /// <summary>The Patient's demographics, or null when the JSON is not a Patient.</summary>
    /// <exception cref="FormatException">The JSON is malformed.</exception>
    public static Demographics? From(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "resourceType") != "Patient")
            {
                return null;
            }

            return new Demographics
            {
                Id = Text(root, "id") ?? string.Empty,
                Names = [.. Items(root, "name").Select(n => new NameParts(Text(n, "text"), Text(n, "family"), Texts(n, "given")))],
                BirthDate = Text(root, "birthDate"),
                Sex = Sex(Text(root, "gender")),
                Phones = [.. Items(root, "telecom")
                    .Where(t => Text(t, "system") is null or "phone" or "sms")
                    .Select(t => Text(t, "value"))
                    .OfType<string>()],
                Addresses = [.. Items(root, "address").Select(a => new AddressParts(
                    Texts(a, "line"), Text(a, "district"), Text(a, "city"), Text(a, "state"), Text(a, "postalCode"), DivisionCode(a)))],
                Identifiers = [.. Items(root, "identifier")
                    .Where(i => !string.IsNullOrWhiteSpace(Text(i, "value")))
                    .Select(Identifier)],
            };
        }
        catch (JsonException ex)
        {
            throw new FormatException("The stored Patient is not valid JSON.", ex);
        }
    }

    /// <summary>One Patient.identifier (value, system, the system and code of its type's first coding); an absent value is empty.</summary>
    public static RawIdentifier Identifier(JsonElement identifier)
    {
        JsonElement? coding = Items(Property(identifier, "type"), "coding").Select(c => (JsonElement?)c).FirstOrDefault();
        return new RawIdentifier(
            Text(identifier, "system"), Text(identifier, "value") ?? string.Empty,
            coding is { } c1 ? Text(c1, "system") : null, coding is { } c2 ? Text(c2, "code") : null);
    }

    /// <summary>Patient.gender as the matcher compares it.</summary>
    public static AdministrativeSex Sex(string? gender) => gender switch
    {
        "male" => AdministrativeSex.Male,
        "female" => AdministrativeSex.Female,
        _ => AdministrativeSex.Unknown,
    };

    /// <summary>As <c>GetExtensionValue&lt;Code&gt;</c>: the first extension with the URL, when its value is a code.</summary>
    private static string? DivisionCode(JsonElement address)
    {
        foreach (JsonElement extension in Items(address, "extension"))
        {
            if (Text(extension, "url") == PatientDemographics.DivisionCodeExtension)
            {
                return Text(extension, "valueCode");
            }
        }

        return null;
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) ? value : null;

    public static string? Text(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static JsonElement.ArrayEnumerator Items(JsonElement? element, string name) =>
        (element is { } e && Property(e, name) is { ValueKind: JsonValueKind.Array } array ? array : EmptyArray).EnumerateArray();

    /// <summary>A list of strings; entries without a value (only an extension, in <c>_name</c>) are left out, as the model's own lists do.</summary>
    private static List<string> Texts(JsonElement element, string name) =>
        [.. Items(element, name).Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)];
}

using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;
using static OpenHip.Fhir.Search.Indexing.IndexValueConverters;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>
/// token: Identifier (plus its <c>:of-type</c> entries), Coding, CodeableConcept, ContactPoint, and code, boolean, id, uri
/// and string primitives. Displays and CodeableConcept.text travel normalised as the entries' Text for <c>:text</c>.
/// </summary>
internal static class TokenValues
{
    public static void Add(string parameter, Base value, ICollection<IndexEntry> into)
    {
        switch (value)
        {
            case Identifier identifier:
                AddIdentifier(parameter, identifier, into);
                break;
            case Coding coding when coding.Code is not null:
                into.Add(new TokenIndexEntry(parameter, NullIfEmpty(coding.System), coding.Code, Text(coding.Display)));
                break;
            case CodeableConcept concept:
                AddConcept(parameter, concept, into);
                break;
            case ContactPoint contact when !string.IsNullOrEmpty(contact.Value):
                into.Add(new TokenIndexEntry(parameter, null, contact.Value));
                break;
            case PrimitiveType primitive when PrimitiveText.Of(primitive) is { Length: > 0 } text:
                into.Add(new TokenIndexEntry(parameter, null, text));
                break;
        }
    }

    /// <summary>The identifier itself, and for each coding of its type <c>typeCode|value</c> under the <c>:of-type</c> name.</summary>
    public static void AddIdentifier(string parameter, Identifier identifier, ICollection<IndexEntry> into)
    {
        if (string.IsNullOrEmpty(identifier.Value))
        {
            return;
        }

        into.Add(new TokenIndexEntry(parameter, NullIfEmpty(identifier.System), identifier.Value, Text(identifier.Type?.Text)));
        if (identifier.Type is null)
        {
            return;
        }

        foreach (Coding type in identifier.Type.Coding)
        {
            if (!string.IsNullOrEmpty(type.Code))
            {
                into.Add(new TokenIndexEntry(parameter + TokenIndexEntry.OfTypeSuffix, NullIfEmpty(type.System), $"{type.Code}|{identifier.Value}"));
            }
        }
    }

    /// <summary>
    /// One entry per coded Coding, its Text the Coding's display (else the concept's text). The concept's text gets an
    /// entry of its own (Code null) when no coded entry carries it already, so <c>:text</c> finds it either way.
    /// </summary>
    private static void AddConcept(string parameter, CodeableConcept concept, ICollection<IndexEntry> into)
    {
        string? text = Text(concept.Text);
        bool textCarried = false;
        foreach (Coding coding in concept.Coding)
        {
            if (coding.Code is null)
            {
                continue;
            }

            string? entryText = Text(coding.Display) ?? text;
            textCarried |= entryText == text;
            into.Add(new TokenIndexEntry(parameter, NullIfEmpty(coding.System), coding.Code, entryText));
        }

        if (text is not null && !textCarried)
        {
            into.Add(new TokenIndexEntry(parameter, null, null, text));
        }
    }

    public static string? Text(string? display) => string.IsNullOrWhiteSpace(display) ? null : SearchText.Normalize(display);
}

using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Transactions;

/// <summary>
/// Rewrites references to a transaction's fullUrls (urn:uuid:, urn:oid:, absolute) into the ids the server assigned,
/// wherever R4 says: Reference.reference, every uri/url/canonical/oid/uuid element (also inside extensions and contained
/// resources), and href/src attributes in the narrative.
/// </summary>
public static partial class ReferenceRewriter
{
    /// <param name="resolve">Maps a reference string to its replacement, or null to leave it alone.</param>
    public static void Rewrite(Base element, Func<string, string?> resolve)
    {
        switch (element)
        {
            case ResourceReference reference when reference.Reference is not null:
                reference.Reference = resolve(reference.Reference) ?? reference.Reference;
                break;
            case FhirUri or FhirUrl or Canonical or Oid or Uuid when element is IValue<string> { Value: { } value } uri:
                uri.Value = resolve(value) ?? value;
                return;
            case Narrative narrative when narrative.Div is not null:
                narrative.Div = NarrativeLink().Replace(narrative.Div, m =>
                    resolve(m.Groups["target"].Value) is { } replacement
                        ? $"{m.Groups["attr"].Value}=\"{replacement}\""
                        : m.Value);
                return;
        }

        foreach (KeyValuePair<string, object> child in element.EnumerateElements())
        {
            switch (child.Value)
            {
                case Base single:
                    Rewrite(single, resolve);
                    break;
                case IEnumerable<Base> many:
                    foreach (Base item in many)
                    {
                        Rewrite(item, resolve);
                    }

                    break;
            }
        }
    }

    /// <summary>Every Reference.reference value in the element tree, for conditional-reference resolution.</summary>
    public static IEnumerable<ResourceReference> References(Base element)
    {
        if (element is ResourceReference reference)
        {
            yield return reference;
        }

        foreach (KeyValuePair<string, object> child in element.EnumerateElements())
        {
            IEnumerable<Base> children = child.Value switch
            {
                Base single => [single],
                IEnumerable<Base> many => many,
                _ => [],
            };
            foreach (Base item in children)
            {
                foreach (ResourceReference nested in References(item))
                {
                    yield return nested;
                }
            }
        }
    }

    [GeneratedRegex("(?<attr>href|src)=\"(?<target>[^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex NarrativeLink();
}

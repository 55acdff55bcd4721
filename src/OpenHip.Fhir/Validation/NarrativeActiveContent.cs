using System.Xml;

namespace OpenHip.Fhir.Validation;

/// <summary>
/// Active content that Firely's narrative rules let through: the element and attribute names are checked there, the
/// values are not, so <c>&lt;a href="javascript:..."&gt;</c> or a style that loads a URL would reach every viewer that
/// renders the narrative. FHIR R4 (narrative, "no active content") forbids both. External <c>img</c> sources stay
/// allowed: R4 permits absolute image URLs.
/// </summary>
internal static class NarrativeActiveContent
{
    private static readonly string[] UrlAttributes = ["href", "src", "cite", "longdesc", "usemap", "action", "background", "xlink:href"];

    /// <returns>Why the div is refused, naming the element and attribute, or null when it carries no active content.</returns>
    public static string? Find(string div)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(div), settings);
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || !reader.MoveToFirstAttribute())
                {
                    continue;
                }

                string element = reader.LocalName;
                reader.MoveToElement();
                string? problem = CheckAttributes(reader, element);
                if (problem is not null)
                {
                    return problem;
                }
            }
        }
        catch (XmlException)
        {
            // Firely has already accepted the div as well-formed; a reader disagreement is left to its verdict.
            return null;
        }

        return null;
    }

    private static string? CheckAttributes(XmlReader reader, string element)
    {
        for (bool more = reader.MoveToFirstAttribute(); more; more = reader.MoveToNextAttribute())
        {
            string name = reader.Name;
            string value = Compact(reader.Value);
            if (Array.Exists(UrlAttributes, a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase)) && IsActiveUrl(value))
            {
                return $"<{element} {name}> holds an active URL ({value.Split(':')[0]}:); only http(s), mailto, tel and local references are allowed";
            }

            if (string.Equals(name, "style", StringComparison.OrdinalIgnoreCase)
                && (value.Contains("javascript:", StringComparison.Ordinal) || value.Contains("expression(", StringComparison.Ordinal) || value.Contains("url(", StringComparison.Ordinal)))
            {
                return $"<{element} style> loads content (url(), expression() or javascript:); narrative styles may not";
            }
        }

        reader.MoveToElement();
        return null;
    }

    /// <summary>Browsers ignore whitespace and control characters inside a scheme ("java&#9;script:"), so the check does too.</summary>
    private static string Compact(string value) =>
        string.Concat(value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c))).ToLowerInvariant();

    private static bool IsActiveUrl(string value) =>
        value.StartsWith("javascript:", StringComparison.Ordinal)
        || value.StartsWith("vbscript:", StringComparison.Ordinal)
        || (value.StartsWith("data:", StringComparison.Ordinal)
            && !(value.StartsWith("data:image/png", StringComparison.Ordinal) || value.StartsWith("data:image/jpeg", StringComparison.Ordinal) || value.StartsWith("data:image/gif", StringComparison.Ordinal)));
}

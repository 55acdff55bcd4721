using System.Text.RegularExpressions;
using OpenHip.Fhir.Search;

namespace OpenHip.Modules.Terminology.Domain;

/// <summary>
/// Code systems defined by a grammar rather than a list: a code is a member when it is well-formed. BCP-13 media types
/// (with parameters, <c>text/plain; charset=utf-8</c>), BCP-47 language tags (RFC 5646), and UCUM units (parsed by
/// Fhir.Metrics through the engine's <see cref="UcumCanonical"/>).
/// </summary>
internal static partial class GrammarSystems
{
    public const string MimeTypes = "urn:ietf:bcp:13";
    public const string Languages = "urn:ietf:bcp:47";
    public const string Ucum = "http://unitsofmeasure.org";

    public static bool IsGrammar(string system) => system is MimeTypes or Languages or Ucum;

    public static bool IsValid(string system, string code) => system switch
    {
        MimeTypes => MediaType().IsMatch(code),
        Languages => LanguageTag().IsMatch(code),
        Ucum => UcumCanonical.TryCanonicalize(1m, code, out _, out _),
        _ => false,
    };

    // RFC 6838 names (restricted-name) for type and subtype, then RFC 2045 parameters: token or quoted-string values.
    [GeneratedRegex("""^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\s*;\s*[A-Za-z0-9!#$&^_.+-]+=("[^"]*"|[^\s;"]+))*\s*$""", RegexOptions.CultureInvariant)]
    private static partial Regex MediaType();

    // RFC 5646 langtag (language, script, region, variants, extensions, private use) or a private-use tag alone.
    [GeneratedRegex("^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?$|^[Xx](?:-[A-Za-z0-9]{1,8})+$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();
}

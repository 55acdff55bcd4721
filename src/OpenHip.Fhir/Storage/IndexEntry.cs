namespace OpenHip.Fhir.Storage;

/// <summary>
/// A typed search index entry extracted from the current version of one resource. <see cref="Parameter"/> is the
/// search parameter code (the store qualifies it by resource type).
/// </summary>
public abstract record IndexEntry(string Parameter);

/// <summary>string: <paramref name="Normalized"/> is <c>SearchText.Normalize(Exact)</c> (case and accent folded).</summary>
public sealed record StringIndexEntry(string Parameter, string Normalized, string Exact) : IndexEntry(Parameter);

/// <summary>
/// token: Identifier, Coding, CodeableConcept, code, boolean, ContactPoint, id, uri and string values searched as tokens.
/// An Identifier with a type is also indexed under <c>Parameter + OfTypeSuffix</c> with the type's system,
/// and code <c>typeCode|value</c>, which is what <c>:of-type</c> searches. A reference parameter's
/// <c>Reference.identifier</c> is indexed as a token under the reference parameter's own code (<c>:identifier</c>).
/// </summary>
/// <param name="System">null when the element had no system; "" is never stored.</param>
/// <param name="Code">null only for a text-only entry (CodeableConcept.text without codings).</param>
/// <param name="Text">Normalized display / text for <c>:text</c>, or null.</param>
public sealed record TokenIndexEntry(string Parameter, string? System, string? Code, string? Text = null) : IndexEntry(Parameter)
{
    public const string OfTypeSuffix = ":of-type";
}

/// <summary>
/// reference: a local reference has <paramref name="TargetType"/> and <paramref name="TargetId"/> (relative, or absolute
/// on this server's base) and no <paramref name="Url"/>; an external absolute reference or a canonical has <paramref name="Url"/>
/// (canonicals without their <c>|version</c>; <paramref name="CanonicalVersion"/> holds it) and, when the URL ends in
/// <c>Type/id</c>, also type and id.
/// </summary>
public sealed record ReferenceIndexEntry(string Parameter, string? TargetType, string? TargetId, string? Url, string? CanonicalVersion = null)
    : IndexEntry(Parameter);

/// <summary>
/// date: the value as an inclusive instant range honouring its precision (2020 → [2020-01-01T00:00:00.000,
/// 2020-12-31T23:59:59.999] in the region time zone when the value has none). Open ends use
/// <see cref="DateTimeOffset.MinValue"/> / <see cref="DateTimeOffset.MaxValue"/>.
/// </summary>
public sealed record DateIndexEntry(string Parameter, DateTimeOffset Low, DateTimeOffset High) : IndexEntry(Parameter);

/// <summary>number: a value, or a Range from <see cref="Value"/> to <see cref="High"/> (open ends: decimal.MinValue / MaxValue).</summary>
public sealed record NumberIndexEntry(string Parameter, decimal Value, decimal? High = null) : IndexEntry(Parameter);

/// <summary>quantity: as written, plus the UCUM-canonical value and unit code when the unit is UCUM and convertible.</summary>
public sealed record QuantityIndexEntry(
    string Parameter,
    decimal Value,
    string? System,
    string? Code,
    string? Unit,
    decimal? CanonicalValue,
    string? CanonicalCode) : IndexEntry(Parameter);

public sealed record UriIndexEntry(string Parameter, string Uri) : IndexEntry(Parameter);

/// <summary>
/// composite: one combination of component values taken from the same element. Each component entry's
/// <see cref="IndexEntry.Parameter"/> is its position, "0", "1", ...; the store keeps the group together.
/// </summary>
public sealed record CompositeIndexEntry(string Parameter, IReadOnlyList<IndexEntry> Components) : IndexEntry(Parameter);

using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Storage.Relational.Search;

/// <summary>
/// The relational schema every store shares for search: resource_current (rid, type, id, seq, version, deleted,
/// last_updated as epoch milliseconds), resource_version, search_param (pid, type, code), one ix_* table per
/// parameter type keyed by (rid, pid), and compartment (type, id, patient_id).
/// </summary>
internal static class IndexTables
{
    public static string For(IndexKind kind) => kind switch
    {
        IndexKind.String => "ix_string",
        IndexKind.Token => "ix_token",
        IndexKind.Reference => "ix_reference",
        IndexKind.Date => "ix_date",
        IndexKind.Number => "ix_number",
        IndexKind.Quantity => "ix_quantity",
        IndexKind.Uri => "ix_uri",
        _ => throw Errors.FhirException.NotSupported($"Search on {kind} parameters is not supported here."),
    };

    /// <summary>The index a leaf expression reads.</summary>
    public static IndexKind KindOf(SearchExpression leaf) => leaf switch
    {
        StringExpression => IndexKind.String,
        TokenExpression or TokenTextExpression => IndexKind.Token,
        ReferenceExpression => IndexKind.Reference,
        DateExpression => IndexKind.Date,
        NumberExpression => IndexKind.Number,
        QuantityExpression => IndexKind.Quantity,
        UriExpression => IndexKind.Uri,
        _ => throw new ArgumentException($"{leaf.GetType().Name} is not an index leaf.", nameof(leaf)),
    };

    /// <summary>
    /// Strings compare by code point in every store (SQLite BINARY, PostgreSQL COLLATE "C"), so "starts with v" is
    /// the range [v, v + U+10FFFF), which an index can seek.
    /// </summary>
    public static string PrefixEnd(string value) => value + char.ConvertFromUtf32(0x10FFFF);

    /// <summary>A LIKE pattern matching <paramref name="value"/> anywhere, with LIKE's own characters escaped by '\'.</summary>
    public static string ContainsPattern(string value) =>
        "%" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}

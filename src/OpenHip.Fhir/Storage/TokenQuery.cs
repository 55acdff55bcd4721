namespace OpenHip.Fhir.Storage;

/// <summary>
/// The narrow search the foundation needs for conditional create/update/delete and conditional references:
/// AND of clauses, each an OR of token values. The search issue replaces this with the full expression tree.
/// </summary>
public sealed record TokenQuery(string Type, IReadOnlyList<TokenClause> Clauses, int Limit);

/// <param name="Parameter">Search parameter code, or "_id".</param>
public sealed record TokenClause(string Parameter, IReadOnlyList<TokenValue> AnyOf);

/// <param name="System">null: any system; "": explicitly no system (<c>|code</c>).</param>
/// <param name="Code">null: any code in the system (<c>system|</c>).</param>
public sealed record TokenValue(string? System, string? Code);

namespace OpenHip.Fhir.Search.Expressions;

/// <summary>
/// A parsed search condition over resources of the types in scope, compiled by the store to SQL. Leaf
/// expressions name a parameter code; the store qualifies it with each resource type in scope. Values are already
/// normalised by the parser (string values folded, dates as instant ranges, quantities canonicalised), so stores
/// compare, never interpret.
/// </summary>
public abstract record SearchExpression;

public sealed record AndExpression(IReadOnlyList<SearchExpression> Operands) : SearchExpression;

public sealed record OrExpression(IReadOnlyList<SearchExpression> Operands) : SearchExpression;

/// <summary>Resources for which the operand does not hold, including resources without any value (<c>:not</c>).</summary>
public sealed record NotExpression(SearchExpression Operand) : SearchExpression;

/// <summary><c>_id</c>: any of the ids.</summary>
public sealed record IdExpression(IReadOnlyList<string> Ids) : SearchExpression;

/// <summary><c>_lastUpdated</c>: the resource's lastUpdated instant against the search range.</summary>
public sealed record LastUpdatedExpression(SearchPrefix Prefix, DateTimeOffset Low, DateTimeOffset High) : SearchExpression;

/// <summary>Members of one patient's compartment (<c>Patient/123/Observation</c>).</summary>
public sealed record CompartmentExpression(string PatientId) : SearchExpression;

/// <summary>
/// Members of any of these patients' compartments (consent restrictions name many residents); stores evaluate the set
/// without one bound value per id.
/// </summary>
public sealed record CompartmentSetExpression(IReadOnlyCollection<string> PatientIds) : SearchExpression;

/// <summary>Resources of any of these types: how an access policy gives each type in a multi-type search its own condition.</summary>
public sealed record ResourceTypeExpression(IReadOnlyList<string> Types) : SearchExpression;

public sealed record StringExpression(string Parameter, StringMatch Match, string Value) : SearchExpression;

/// <param name="System">null: any system; "": the value must have no system (<c>|code</c>).</param>
/// <param name="Code">null: any code (<c>system|</c>).</param>
public sealed record TokenExpression(string Parameter, string? System, string? Code) : SearchExpression;

/// <summary>
/// A token parameter against a set of codes that a terminology service resolved (<c>:in</c>, <c>:below</c>,
/// <c>:above</c>; <c>:not-in</c> is its negation). Sets may be large; stores evaluate them without one bound value per code.
/// </summary>
/// <param name="Closure">
/// For <c>:below</c> on a code system with a known hierarchy: the same set as one lookup of the <c>:below</c> closure rows,
/// which the store uses instead of <paramref name="Tokens"/> while its rows of that system are complete for this hierarchy.
/// </param>
public sealed record TokenSetExpression(string Parameter, IReadOnlyCollection<CodeToken> Tokens, ClosureLookup? Closure = null) : SearchExpression;

/// <summary>The <c>:below</c> closure rows of one code (<c>parameter:below</c> = system|code), valid for one hierarchy fingerprint.</summary>
public sealed record ClosureLookup(string System, string Code, string Fingerprint);

/// <summary>One (system, code) pair of a <see cref="TokenSetExpression"/>.</summary>
public readonly record struct CodeToken(string System, string Code);

/// <summary><c>:text</c>: the normalized display/text starts with <see cref="Text"/>.</summary>
public sealed record TokenTextExpression(string Parameter, string Text) : SearchExpression;

/// <summary>
/// A reference. Local: <see cref="TargetId"/> with <see cref="TargetType"/> (null = any type). External or canonical:
/// <see cref="Url"/> (and optional <see cref="CanonicalVersion"/>).
/// </summary>
public sealed record ReferenceExpression(string Parameter, string? TargetType, string? TargetId, string? Url, string? CanonicalVersion = null)
    : SearchExpression;

/// <summary>
/// date: <see cref="Low"/>..<see cref="High"/> is the search value's own inclusive range from its precision. The
/// prefix semantics are the spec's range comparisons against each stored [low, high].
/// </summary>
public sealed record DateExpression(string Parameter, SearchPrefix Prefix, DateTimeOffset Low, DateTimeOffset High) : SearchExpression;

/// <summary>number: <see cref="Value"/> with its implicit precision range [Low, High) (100 → [99.5, 100.5)).</summary>
public sealed record NumberExpression(string Parameter, SearchPrefix Prefix, decimal Value, decimal Low, decimal High) : SearchExpression;

/// <summary>
/// quantity: like number. When <see cref="Canonical"/> is true the values and <see cref="Code"/> are UCUM-canonical and
/// compare with the stored canonical columns; otherwise with the stored value, system and code as written
/// (<see cref="System"/> null = any system, and then <see cref="Code"/> also matches the human unit; <see cref="Code"/> null = any).
/// </summary>
public sealed record QuantityExpression(
    string Parameter,
    SearchPrefix Prefix,
    decimal Value,
    decimal Low,
    decimal High,
    string? System,
    string? Code,
    bool Canonical) : SearchExpression;

/// <summary>uri: exact, or <c>:below</c> (stored value starts with <see cref="Value"/>). <c>:above</c> is parsed into an OR of exact ancestors.</summary>
public sealed record UriExpression(string Parameter, UriMatch Match, string Value) : SearchExpression;

/// <summary><c>:missing</c>: whether the resource has no index value of the parameter in the table of its type.</summary>
public sealed record MissingExpression(string Parameter, IndexKind Kind, bool Missing) : SearchExpression;

/// <summary>
/// composite: one stored combination satisfies every component. Component expressions are leaf expressions whose
/// Parameter is the component position ("0", "1", ...), like <see cref="Storage.CompositeIndexEntry"/>.
/// </summary>
public sealed record CompositeExpression(string Parameter, IReadOnlyList<SearchExpression> Components) : SearchExpression;

/// <summary>
/// Chaining: the reference parameter points at a resource of one of <see cref="TargetTypes"/> that satisfies
/// <see cref="Target"/> (evaluated with those types in scope).
/// </summary>
public sealed record ChainExpression(string Parameter, IReadOnlyList<string> TargetTypes, SearchExpression Target) : SearchExpression;

/// <summary>
/// Reverse chaining (<c>_has:SourceType:parameter:...</c>): some resource of <see cref="SourceType"/> satisfying
/// <see cref="SourceFilter"/> refers to this resource through <see cref="Parameter"/>.
/// </summary>
public sealed record ReverseChainExpression(string SourceType, string Parameter, SearchExpression SourceFilter) : SearchExpression;

public enum SearchPrefix
{
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Sa,
    Eb,
    Ap,
}

public enum StringMatch
{
    /// <summary>Default: normalized value starts with the (normalized) search value.</summary>
    StartsWith,

    /// <summary><c>:exact</c>: the exact value, case and accents included.</summary>
    Exact,

    /// <summary><c>:contains</c>: normalized value contains the (normalized) search value.</summary>
    Contains,
}

public enum UriMatch
{
    Exact,
    Below,
}

/// <summary>Which index a parameter's values live in; follows the parameter type.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The FHIR search parameter type names.")]
public enum IndexKind
{
    String,
    Token,
    Reference,
    Date,
    Number,
    Quantity,
    Uri,
    Composite,
}

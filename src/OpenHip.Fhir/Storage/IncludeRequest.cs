namespace OpenHip.Fhir.Storage;

/// <summary>
/// <c>_include</c> (forward): the current resources that <paramref name="Resources"/> refer to through
/// <paramref name="Parameter"/> of <paramref name="SourceType"/> (null: every reference parameter, <c>*</c>), limited to
/// <paramref name="TargetType"/> when given.
/// <c>_revinclude</c> (<paramref name="Reverse"/>): current resources of <paramref name="SourceType"/> that refer to any
/// of <paramref name="Resources"/> through <paramref name="Parameter"/> (null: any reference parameter).
/// At most <paramref name="Limit"/> resources are returned.
/// </summary>
public sealed record IncludeRequest(
    IReadOnlyList<ResourceKey> Resources,
    string SourceType,
    string? Parameter,
    string? TargetType,
    bool Reverse,
    int Limit)
{
    /// <summary>The caller's access condition on the included resources (evaluated with each one's own type); null: no condition.</summary>
    public Search.Expressions.SearchExpression? Filter { get; init; }
}

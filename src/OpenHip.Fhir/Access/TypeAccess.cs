using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Access;

/// <summary>What a policy allows on one type for one right: nothing, everything, or what matches <see cref="Filter"/>.</summary>
public readonly record struct TypeAccess(bool Allowed, SearchExpression? Filter)
{
    public static TypeAccess Denied => new(false, null);

    public static TypeAccess Everything => new(true, null);

    public bool IsFiltered => Allowed && Filter is not null;
}

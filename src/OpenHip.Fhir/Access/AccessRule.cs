using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Access;

/// <summary>
/// One grant: <paramref name="Rights"/> on resources of <paramref name="Type"/> ("*" for every type), narrowed to those
/// matching <paramref name="Filter"/> when given (a patient compartment, a granular scope's <c>?category=</c>).
/// Rules add up: a resource is reachable when any rule for its type and the interaction's right admits it.
/// </summary>
public sealed record AccessRule(string Type, AccessRights Rights, SearchExpression? Filter = null);

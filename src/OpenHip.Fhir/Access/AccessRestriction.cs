using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Access;

/// <summary>
/// A condition that every resource of <paramref name="Type"/> ("*" for every type) must meet for the interactions in
/// <paramref name="Rights"/>, whatever the rules grant: a resident's consent, a label the caller's role may not see.
/// <paramref name="Reason"/> names it in logs and audit.
/// </summary>
public sealed record AccessRestriction(string Type, AccessRights Rights, SearchExpression Condition, string Reason);

using OpenHip.Fhir.Access;
using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Conformance.Tests.Access;

/// <summary>The callers of the suite, as the security module would compile them from their tokens.</summary>
public static class TestPolicies
{
    private static readonly CompartmentExpression OwnCompartment = new("pa");

    /// <summary>patient/*.cruds for resident pa, with directory types readable in full.</summary>
    public static AccessPolicy PatientA { get; } = new("patient pa", [
        new AccessRule("*", AccessRights.All, OwnCompartment),
        new AccessRule("Practitioner", AccessRights.Read | AccessRights.Search),
        new AccessRule("Organization", AccessRights.Read | AccessRights.Search),
    ]);

    /// <summary>patient/*.cruds for resident pw: the writing cases use this one, so pa's record stays as seeded.</summary>
    public static AccessPolicy PatientW { get; } = new("patient pw", [new AccessRule("*", AccessRights.All, new CompartmentExpression("pw"))]);

    /// <summary>patient/Observation.rs?category=laboratory and patient/Patient.rs for pa: nothing else.</summary>
    public static AccessPolicy LabOnly { get; } = new("lab app for pa", [
        new AccessRule("Observation", AccessRights.Read | AccessRights.Search, new AndExpression([OwnCompartment, new TokenExpression("category", AccessServer.Category, "laboratory")])),
        new AccessRule("Patient", AccessRights.Read | AccessRights.Search, OwnCompartment),
    ]);

    /// <summary>
    /// user/*.cruds for a clinician at hospital A, with resident pb's opt-out (only what A wrote about pb) and the
    /// mental-health label withheld.
    /// </summary>
    public static AccessPolicy ClinicianAtA { get; } = new("clinician at A", [new AccessRule("*", AccessRights.All)], [
        new AccessRestriction("*", AccessRights.Read | AccessRights.Search, new NotExpression(new AndExpression([
            new CompartmentSetExpression(["pb"]), new NotExpression(new UriExpression("_source", UriMatch.Exact, AccessServer.HospitalA))])), "pb opted out"),
        new AccessRestriction("*", AccessRights.Read | AccessRights.Search, new NotExpression(new TokenExpression("_security", AccessServer.ActCode, "PSY")), "PSY withheld"),
    ], hidesExistence: true);

    /// <summary>system/Patient.rs: a registration system that may see every Patient and nothing else.</summary>
    public static AccessPolicy PatientRegistry { get; } = new("registry", [new AccessRule("Patient", AccessRights.Read | AccessRights.Search)], hidesExistence: false);
}

using OpenHip.Fhir.Access;
using OpenHip.Modules.Security.Features.BreakGlass;
using OpenHip.Modules.Security.Features.Consent;
using OpenHip.Modules.Security.Features.Policy;
using static OpenHip.Modules.Security.Tests.Policy.PolicyTestFactory;

namespace OpenHip.Modules.Security.Tests.Policy;

public class AccessPolicyCompilerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static AccessPolicy Compile(CallerClaims caller, ConsentSnapshot? consents = null, IReadOnlyList<BreakGlassGrant>? grants = null, PolicyOptions? options = null) =>
        Compiler(options).Compile(caller, consents ?? ConsentSnapshot.Empty, grants ?? [], Now);

    private static string[] Rules(AccessPolicy policy) => [.. policy.Rules.Select(ExpressionText.Of)];

    [Fact]
    public void Compile_PatientScopeOnCompartmentType_FiltersByThePatientsCompartment()
    {
        AccessPolicy policy = Compile(Claims(("scope", "patient/Observation.rs"), ("patient", "p1"), ("sub", "u")));

        Assert.Equal(["Observation Read, Search compartment(p1)"], Rules(policy));
        Assert.True(policy.HidesExistence);
        Assert.Empty(policy.Restrictions);
        Assert.Null(policy.Mask);
    }

    [Fact]
    public void Compile_PatientScopeWithoutPatientClaim_GrantsNothing()
    {
        AccessPolicy policy = Compile(Claims(("scope", "patient/*.cruds patient/Observation.read")));

        Assert.Empty(policy.Rules);
        Assert.False(policy.For("Observation", AccessRights.Read).Allowed);
    }

    [Fact]
    public void Compile_PatientScopeOnDirectoryType_GrantsReadAndSearchOnlyUnfiltered()
    {
        AccessPolicy policy = Compile(Claims(("scope", "patient/Practitioner.cruds"), ("patient", "p1")));

        Assert.Equal(["Practitioner Read, Search -"], Rules(policy));
        Assert.False(policy.For("Practitioner", AccessRights.Create).Allowed);
    }

    [Fact]
    public void Compile_PatientScopeOnTypeOutsideCompartmentAndDirectory_GrantsNothing()
    {
        AccessPolicy policy = Compile(Claims(("scope", "patient/Subscription.rs"), ("patient", "p1")));

        Assert.Empty(policy.Rules);
    }

    [Fact]
    public void Compile_PatientWildcard_CompartmentForAllPlusDirectoryReads()
    {
        AccessPolicy policy = Compile(Claims(("scope", "patient/*.read"), ("patient", "p1")));

        Assert.Equal("* Read, Search compartment(p1)", ExpressionText.Of(policy.Rules[0]));
        Assert.Contains("Organization Read, Search -", Rules(policy));
        Assert.Contains("ValueSet Read, Search -", Rules(policy));
        Assert.Equal(TypeAccess.Everything, policy.For("Organization", AccessRights.Search));
        Assert.Equal("compartment(p1)", ExpressionText.Of(policy.For("Condition", AccessRights.Read).Filter));
    }

    [Fact]
    public void Compile_V1Write_GrantsCreateUpdateDeleteNotRead()
    {
        AccessPolicy policy = Compile(Claims(("scope", "patient/Observation.write"), ("patient", "p1")));

        Assert.Equal(["Observation Create, Update, Delete compartment(p1)"], Rules(policy));
        Assert.False(policy.For("Observation", AccessRights.Read).Allowed);
    }

    [Fact]
    public void Compile_GranularPatientScope_AndsCompartmentWithTheParsedCriterion()
    {
        AccessPolicy policy = Compile(Claims(
            ("scope", "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory"),
            ("patient", "p1")));

        Assert.Equal(
            ["Observation Read, Search and(compartment(p1), category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory)"],
            Rules(policy));
    }

    [Theory]
    [InlineData("user/Observation.rs?date=ge2020-01-01")] // a date criterion cannot be evaluated in memory
    [InlineData("user/Observation.rs?nosuchparam=1")]
    [InlineData("user/Observation.rs?_sort=date")]
    [InlineData("user/Observation.rs?_include=Observation:subject")]
    [InlineData("user/Observation.rs?code")]
    [InlineData("user/Observation.rs?subject:Patient.name=x")] // chains fail closed
    [InlineData("user/Patient.rs?name=wang")] // string prefix match is not enforceable in memory
    public void Compile_GranularScopeThatCannotBeEnforced_IsDropped(string scope)
    {
        AccessPolicy policy = Compile(Claims(("scope", scope + " user/Patient.r"), ("fhirUser", "Practitioner/d1")));

        Assert.Equal(["Patient Read -"], Rules(policy));
    }

    [Fact]
    public void Compile_GranularOrValues_BecomeAnOr()
    {
        AccessPolicy policy = Compile(Claims(("scope", "user/Condition.rs?code=http://hl7.org/fhir/sid/icd-10|J45,http://hl7.org/fhir/sid/icd-10|J46"), ("fhirUser", "Practitioner/d1")));

        Assert.Equal(["Condition Read, Search or(code=http://hl7.org/fhir/sid/icd-10|J45, code=http://hl7.org/fhir/sid/icd-10|J46)"], Rules(policy));
    }

    [Fact]
    public void Compile_ResidentUser_IsTreatedLikeAPatientScopeOnTheirOwnCompartment()
    {
        AccessPolicy policy = Compile(Claims(("scope", "user/Observation.rs user/Organization.cruds"), ("fhirUser", "Patient/r1")));

        Assert.Equal(["Observation Read, Search compartment(r1)", "Organization Read, Search -"], Rules(policy));
        Assert.True(policy.HidesExistence);
    }

    [Fact]
    public void Compile_PractitionerUser_GetsTheScopedTypesUnfiltered()
    {
        AccessPolicy policy = Compile(Claims(("scope", "user/*.cruds"), ("fhirUser", "Practitioner/d1")));

        Assert.Equal(["* All -"], Rules(policy));
        Assert.True(policy.HidesExistence);
    }

    [Fact]
    public void Compile_RelatedPersonUser_GrantsNothingYet()
    {
        AccessPolicy policy = Compile(Claims(("scope", "user/*.cruds"), ("fhirUser", "RelatedPerson/x")));

        Assert.Empty(policy.Rules);
    }

    [Fact]
    public void Compile_SystemClient_GetsItsGrantsWithoutHidingExistence()
    {
        AccessPolicy policy = Compile(Claims(("scope", "system/Patient.r system/Observation.rs"), ("openhip_client_kind", "system"), ("client_id", "lab")));

        Assert.Equal(["Patient Read -", "Observation Read, Search -"], Rules(policy));
        Assert.False(policy.HidesExistence);
        Assert.Equal("client lab", policy.Caller);
    }

    [Fact]
    public void Compile_SystemScopeInAUserToken_GrantsNothing()
    {
        AccessPolicy policy = Compile(Claims(("scope", "system/*.cruds"), ("sub", "u1")));

        Assert.Empty(policy.Rules);
    }

    [Fact]
    public void Compile_ResearcherRole_IsReadOnlyWithPatientIdentifiersMasked()
    {
        AccessPolicy policy = Compile(Claims(("scope", "user/*.cruds"), ("fhirUser", "Practitioner/r"), ("role", "researcher")));

        Assert.Equal(["* Read, Search -"], Rules(policy));
        Assert.NotNull(policy.Mask);
    }

    [Fact]
    public void Compile_ResearchPurpose_MasksLikeTheResearcherRole()
    {
        AccessPolicy policy = Compile(Claims(("scope", "system/*.rs"), ("openhip_client_kind", "system"), ("purpose_of_use", "HRESCH")));

        Assert.NotNull(policy.Mask);
        Assert.Equal(["* Read, Search -"], Rules(policy));
    }

    [Fact]
    public void Compile_RoleWithDeniedLabels_RestrictsEveryRight()
    {
        var options = new PolicyOptions();
        options.Roles["nurse"] = new CallerShape { DeniedLabels = ["http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY", "http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV"] };

        AccessPolicy policy = Compile(Claims(("scope", "user/*.cruds"), ("fhirUser", "Practitioner/n"), ("role", "nurse")), options: options);

        AccessRestriction restriction = Assert.Single(policy.Restrictions);
        Assert.Equal(
            "* All not(or(_security=http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY, _security=http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV))",
            ExpressionText.Of(restriction));
    }

    [Fact]
    public void Compile_ConsentOptOut_RestrictsReadAndSearchOfOtherInstitutions()
    {
        ConsentSnapshot consents = new(1, [new ConsentDirective("c1", "p9", [new DenyRule([], [], [], [], null, null)])]);

        AccessPolicy policy = Compile(Claims(("scope", "user/*.cruds"), ("fhirUser", "Practitioner/d"), ("openhip_source", "urn:hospital:b")), consents);

        AccessRestriction restriction = Assert.Single(policy.Restrictions);
        Assert.Equal("* Read, Search not(and(compartment(p9), not(_source=urn:hospital:b)))", ExpressionText.Of(restriction));
        Assert.Equal("not(and(compartment(p9), not(_source=urn:hospital:b)))", ExpressionText.Of(policy.For("Observation", AccessRights.Read).Filter));
        Assert.Equal(TypeAccess.Everything, policy.For("Observation", AccessRights.Update));
    }

    [Fact]
    public void Compile_ConsentOfTheTokensOwnPatient_DoesNotRestrictThem()
    {
        ConsentSnapshot consents = new(1, [new ConsentDirective("c1", "p1", [new DenyRule([], [], [], [], null, null)])]);

        AccessPolicy policy = Compile(Claims(("scope", "patient/*.rs"), ("patient", "p1")), consents);

        Assert.Empty(policy.Restrictions);
    }

    [Fact]
    public void Compile_ActiveBreakGlassGrant_LiftsConsentForThatPatientOnly()
    {
        ConsentSnapshot consents = new(1,
        [
            new ConsentDirective("c1", "p1", [new DenyRule([], [], [], [], null, null)]),
            new ConsentDirective("c2", "p2", [new DenyRule([], [], [], [], null, null)]),
        ]);
        BreakGlassGrant grant = new("t1", "doc", "p1", Now.AddMinutes(-1), Now.AddMinutes(59));

        AccessPolicy policy = Compile(Claims(("scope", "user/*.rs"), ("sub", "doc"), ("fhirUser", "Practitioner/d"), ("role", "clinician")), consents, [grant]);

        Assert.Equal("* Read, Search not(compartment(p2))", ExpressionText.Of(Assert.Single(policy.Restrictions)));
    }

    [Fact]
    public void Compile_ExpiredGrant_LiftsNothing()
    {
        ConsentSnapshot consents = new(1, [new ConsentDirective("c1", "p1", [new DenyRule([], [], [], [], null, null)])]);
        BreakGlassGrant grant = new("t1", "doc", "p1", Now.AddMinutes(-61), Now.AddMinutes(-1));

        AccessPolicy policy = Compile(Claims(("scope", "user/*.rs"), ("sub", "doc")), consents, [grant]);

        Assert.Equal("* Read, Search not(compartment(p1))", ExpressionText.Of(Assert.Single(policy.Restrictions)));
    }
}

using OpenHip.Fhir.Access;
using OpenHip.Modules.Security.Features.Consent;
using OpenHip.Modules.Security.Tests.Policy;

namespace OpenHip.Modules.Security.Tests.Consent;

public class ConsentRestrictionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const string Psy = ConsentReaderTests.ActCode + "|PSY";

    private static ConsentSnapshot Snapshot(params ConsentDirective[] directives) => new(1, directives);

    private static ConsentDirective OptOut(string patient) => new("o-" + patient, patient, [new DenyRule([], [], [], [], null, null)]);

    private static ConsentDirective Withhold(string patient, string label) => new("w-" + patient, patient, [new DenyRule([label], [], [], [], null, null)]);

    [Fact]
    public void Compile_ManyOptOutsAndLabels_OneRestrictionEachWithPatientSets()
    {
        IReadOnlyList<AccessRestriction> restrictions = ConsentRestrictions.Compile(
            Snapshot(OptOut("p2"), OptOut("p1"), Withhold("p3", Psy), Withhold("p4", Psy)), "urn:b", [], null, [], Now);

        Assert.Equal(
        [
            "* Read, Search not(and(compartments(p1 p2), not(_source=urn:b)))",
            "* Read, Search not(and(compartments(p3 p4), _security=http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY, not(_source=urn:b)))",
        ],
            restrictions.Select(ExpressionText.Of));
    }

    [Fact]
    public void Compile_CallerWithoutInstitution_WithholdsEverythingOfOptedOutPatients()
    {
        IReadOnlyList<AccessRestriction> restrictions = ConsentRestrictions.Compile(Snapshot(OptOut("p1")), null, [], null, [], Now);

        Assert.Equal("* Read, Search not(compartment(p1))", ExpressionText.Of(Assert.Single(restrictions)));
    }

    [Fact]
    public void Compile_OwnPatientAndOverriddenPatients_AreLeftOut()
    {
        IReadOnlyList<AccessRestriction> restrictions = ConsentRestrictions.Compile(
            Snapshot(OptOut("p1"), OptOut("p2"), OptOut("p3")), "urn:b", [], "p1", ["p2"], Now);

        Assert.Equal("* Read, Search not(and(compartment(p3), not(_source=urn:b)))", ExpressionText.Of(Assert.Single(restrictions)));
    }

    [Fact]
    public void Compile_DenialOutsideItsPeriod_RestrictsNothing()
    {
        ConsentDirective later = new("c", "p1", [new DenyRule([], [], [], [], Now.AddDays(1), null)]);

        Assert.Empty(ConsentRestrictions.Compile(Snapshot(later), "urn:b", [], null, [], Now));
        Assert.Equal(Now.AddDays(1), Snapshot(later).NextChangeAfter(Now));
    }

    [Fact]
    public void Compile_NoConsents_NoRestrictions() =>
        Assert.Empty(ConsentRestrictions.Compile(ConsentSnapshot.Empty, "urn:b", [], null, [], Now));
}

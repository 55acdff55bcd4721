using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Conformance.Tests.Access;

/// <summary>Includes, chains, _has, history and $everything: the paths that reach resources other than the matches.</summary>
public abstract partial class AccessEnforcementTests
{
    [Fact]
    public async Task Forward_include_brings_only_visible_targets()
    {
        // The lab app may not read Practitioners: the performer stays out, the match stays in.
        Assert.Equal(Set("Observation/opa-lab"), await SearchIdsAsync(TestPolicies.LabOnly, SearchScope.ForType("Observation"), ("_include", "Observation:performer")));
        Assert.Equal(
            Set("Observation/moved", "Observation/opa-lab", "Observation/opa-vital", "Practitioner/drA"),
            await SearchIdsAsync(TestPolicies.PatientA, SearchScope.ForType("Observation"), ("_include", "Observation:performer")));
    }

    [Fact]
    public async Task Reverse_include_brings_only_visible_sources()
    {
        Assert.Equal(
            Set("Observation/opa-lab", "Patient/pa"),
            await SearchIdsAsync(TestPolicies.LabOnly, SearchScope.ForType("Patient"), ("_revinclude", "Observation:subject")));

        // Registry: every Patient, but none of the Observations that point at them.
        SortedSet<string> registry = await SearchIdsAsync(TestPolicies.PatientRegistry, SearchScope.ForType("Patient"), ("_revinclude", "Observation:subject"));
        Assert.Equal(Set("Patient/pa", "Patient/pb", "Patient/pc", "Patient/pw"), registry);
    }

    [Fact]
    public async Task Iterated_includes_stay_inside_the_policy()
    {
        SortedSet<string> found = await SearchIdsAsync(
            TestPolicies.ClinicianAtA,
            SearchScope.ForType("Patient"),
            ("_revinclude", "DiagnosticReport:subject"),
            ("_include:iterate", "DiagnosticReport:result"));
        Assert.DoesNotContain("Patient/pb", found);
        Assert.DoesNotContain("DiagnosticReport/drpb", found);
        Assert.DoesNotContain("Observation/opb-lab", found);
        Assert.Contains("Observation/opa-lab", found);
    }

    [Fact]
    public async Task A_chain_cannot_test_a_hidden_target()
    {
        // The referral note (written by A) is visible; its subject pb (written by B) is not: the chain must not see pb's name.
        Assert.Empty(await SearchIdsAsync(TestPolicies.ClinicianAtA, SearchScope.ForType("Observation"), ("subject:Patient.family", "Wang")));
        Assert.Equal(
            Set("Observation/opb-referral"),
            await SearchIdsAsync(AccessPolicy.Unrestricted, SearchScope.ForType("Observation"), ("subject:Patient.family", "Wang"), ("_source", AccessServer.HospitalA)));
    }

    [Fact]
    public async Task A_chain_through_a_type_the_caller_cannot_read_is_403()
    {
        var observationsOnly = new AccessPolicy("observations only", [new AccessRule("Observation", AccessRights.Read | AccessRights.Search)]);
        Assert.Equal(FhirErrorKind.Forbidden, await ErrorOf(() => SearchAsync(observationsOnly, SearchScope.ForType("Observation"), ("subject:Patient.family", "Zhang"))));
        Assert.Equal(FhirErrorKind.Forbidden, await ErrorOf(() => SearchAsync(TestPolicies.PatientRegistry, SearchScope.ForType("Patient"), ("_has:Observation:subject:status", "final"))));
    }

    [Fact]
    public async Task Has_cannot_test_hidden_sources()
    {
        // pa's Condition is labelled PSY: a clinician without that label must not learn that pa has one.
        Assert.Empty(await SearchIdsAsync(TestPolicies.ClinicianAtA, SearchScope.ForType("Patient"), ("_has:Condition:subject:code", "F32")));
        Assert.Equal(Set("Patient/pa", "Patient/pb"), await SearchIdsAsync(AccessPolicy.Unrestricted, SearchScope.ForType("Patient"), ("_has:Condition:subject:code", "F32")));
    }

    [Fact]
    public async Task Instance_history_leaves_out_versions_that_belonged_to_someone_else()
    {
        HistoryPage page = await Resources.HistoryAsync(new HistoryQuery("Observation", "moved", null, 10, null), TestPolicies.PatientA, CancellationToken.None);
        Assert.Equal([2L], page.Entries.Select(e => e.VersionId));
        Assert.Null(page.Total);
        Assert.Equal(FhirErrorKind.NotFound, await ErrorOf(() => Resources.VReadAsync("Observation", "moved", "1", TestPolicies.PatientA, CancellationToken.None)));
        Assert.Equal(FhirErrorKind.NotFound, await ErrorOf(() => Resources.HistoryAsync(new HistoryQuery("Observation", "opb-lab", null, 10, null), TestPolicies.PatientA, CancellationToken.None)));
    }

    [Fact]
    public async Task Type_and_system_history_hold_only_visible_versions()
    {
        HistoryPage type = await Resources.HistoryAsync(new HistoryQuery("Observation", null, null, 100, null), TestPolicies.PatientA, CancellationToken.None);
        Assert.Equal(Set("Observation/moved", "Observation/opa-lab", "Observation/opa-vital"), Keys(type.Entries));
        Assert.DoesNotContain(type.Entries, e => e.Id == "moved" && e.VersionId == 1);

        HistoryPage system = await Resources.HistoryAsync(new HistoryQuery(null, null, null, 500, null), TestPolicies.PatientA, CancellationToken.None);
        Assert.All(Keys(system.Entries), key => Assert.True(PatientACompartment.Contains(key) || key.StartsWith("Organization/", StringComparison.Ordinal) || key == "Practitioner/drA", key));

        HistoryPage registry = await Resources.HistoryAsync(new HistoryQuery(null, null, null, 500, null), TestPolicies.PatientRegistry, CancellationToken.None);
        Assert.Equal(Set("Patient/pa", "Patient/pb", "Patient/pc", "Patient/pw"), Keys(registry.Entries));
        Assert.Equal(FhirErrorKind.Forbidden, await ErrorOf(() => Resources.HistoryAsync(new HistoryQuery("Observation", null, null, 10, null), TestPolicies.PatientRegistry, CancellationToken.None)));
    }

    [Fact]
    public async Task Everything_is_everything_the_caller_may_read()
    {
        EverythingService everything = Server.Services.GetRequiredService<EverythingService>();
        SearchResult own = await everything.EverythingAsync("Patient", "pa", [new("_count", "100")], TestPolicies.LabOnly, CancellationToken.None);
        Assert.Equal(Set("Observation/opa-lab", "Patient/pa"), Keys(own.Page.Resources.Concat(own.Included)));
        Assert.Equal(FhirErrorKind.NotFound, await ErrorOf(() => everything.EverythingAsync("Patient", "pb", [], TestPolicies.PatientA, CancellationToken.None)));

        SearchResult clinician = await everything.EverythingAsync("Patient", "pa", [new("_count", "100")], TestPolicies.ClinicianAtA, CancellationToken.None);
        Assert.DoesNotContain("Condition/cpa", Keys(clinician.Page.Resources));
        Assert.Contains("Observation/opa-lab", Keys(clinician.Page.Resources));
    }
}

using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Conformance.Tests.Access;

/// <summary>
/// The engine applies a caller's access policy on every path: each case names the path, the caller, and the exact
/// resources (or status) it must get. Written once, run on every store, because the policy compiles into each
/// store's SQL.
/// </summary>
public abstract partial class AccessEnforcementTests(AccessServer server)
{
    protected AccessServer Server { get; } = server;

    private ResourceService Resources => Server.Resources;

    private SearchService Search => Server.Services.GetRequiredService<SearchService>();

    private FhirRequestContext As(AccessPolicy policy, string? source = null) => new(Server.BaseUrl, policy.Caller, source) { Access = policy };

    private async Task<SortedSet<string>> SearchIdsAsync(AccessPolicy policy, SearchScope scope, params (string Name, string Value)[] parameters)
    {
        SearchResult result = await SearchAsync(policy, scope, parameters);
        return Keys(result.Page.Resources.Concat(result.Included));
    }

    private Task<SearchResult> SearchAsync(AccessPolicy policy, SearchScope scope, params (string Name, string Value)[] parameters) =>
        Search.SearchAsync(scope, [.. parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)), new("_count", "100")], SearchHandling.Strict, policy, CancellationToken.None);

    private static SortedSet<string> Keys(IEnumerable<StoredResource> resources) => new(resources.Select(r => $"{r.Type}/{r.Id}"), StringComparer.Ordinal);

    private static SortedSet<string> Set(params string[] keys) => new(keys, StringComparer.Ordinal);

    private static async Task<FhirErrorKind> ErrorOf(Func<Task> action)
    {
        FhirException ex = await Assert.ThrowsAsync<FhirException>(action);
        return ex.Kind;
    }

    private static readonly string[] PatientACompartment =
    [
        "AllergyIntolerance/apa", "Condition/cpa", "DiagnosticReport/drpa", "Encounter/epa", "Immunization/ipa",
        "MedicationRequest/mpa", "Observation/moved", "Observation/opa-lab", "Observation/opa-vital", "Patient/pa", "Procedure/prpa",
    ];

    // Every type the seed wrote for each resident, and the policies that must never see pb's copy of it.
    public static TheoryData<string, string> ForeignRecords() => new()
    {
        { "Patient", "pb" }, { "Observation", "opb-lab" }, { "Observation", "opb-vital" }, { "Condition", "cpb" }, { "Encounter", "epb" },
        { "MedicationRequest", "mpb" }, { "AllergyIntolerance", "apb" }, { "Immunization", "ipb" }, { "Procedure", "prpb" }, { "DiagnosticReport", "drpb" },
    };

    [Theory]
    [MemberData(nameof(ForeignRecords))]
    public async Task Read_of_another_residents_record_is_404_for_a_patient_token(string type, string id)
    {
        Assert.Equal(FhirErrorKind.NotFound, await ErrorOf(() => Resources.ReadAsync(type, id, TestPolicies.PatientA, CancellationToken.None)));
        Assert.Equal(FhirErrorKind.NotFound, await ErrorOf(() => Resources.VReadAsync(type, id, "1", TestPolicies.PatientA, CancellationToken.None)));
        Assert.Equal(FhirErrorKind.NotFound, await ErrorOf(() => Resources.ReadAsync(type, "does-not-exist", TestPolicies.PatientA, CancellationToken.None)));
    }

    [Theory]
    [MemberData(nameof(ForeignRecords))]
    public async Task Type_search_returns_only_the_patients_own_records(string type, string id)
    {
        SortedSet<string> found = await SearchIdsAsync(TestPolicies.PatientA, SearchScope.ForType(type));
        Assert.DoesNotContain($"{type}/{id}", found);
        Assert.All(found, key => Assert.Contains(key, PatientACompartment));
        Assert.NotEmpty(found);
    }

    [Theory]
    [MemberData(nameof(ForeignRecords))]
    public async Task Clinician_at_A_sees_nothing_hospital_B_wrote_about_the_opted_out_resident(string type, string id)
    {
        SortedSet<string> found = await SearchIdsAsync(TestPolicies.ClinicianAtA, SearchScope.ForType(type));
        Assert.DoesNotContain($"{type}/{id}", found);
        Assert.Equal(FhirErrorKind.NotFound, await ErrorOf(() => Resources.ReadAsync(type, id, TestPolicies.ClinicianAtA, CancellationToken.None)));
    }

    [Fact]
    public async Task Own_records_read_and_directory_types_read_in_full()
    {
        Assert.Equal("opa-lab", (await Resources.ReadAsync("Observation", "opa-lab", TestPolicies.PatientA, CancellationToken.None)).Id);
        Assert.Equal("drA", (await Resources.ReadAsync("Practitioner", "drA", TestPolicies.PatientA, CancellationToken.None)).Id);
        Assert.Equal("hospB", (await Resources.ReadAsync("Organization", "hospB", TestPolicies.PatientA, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task A_type_outside_the_scopes_is_403_not_404()
    {
        Assert.Equal(FhirErrorKind.Forbidden, await ErrorOf(() => Resources.ReadAsync("Condition", "cpa", TestPolicies.LabOnly, CancellationToken.None)));
        Assert.Equal(FhirErrorKind.Forbidden, await ErrorOf(() => SearchAsync(TestPolicies.LabOnly, SearchScope.ForType("Condition"))));
        Assert.Equal(FhirErrorKind.Forbidden, await ErrorOf(() => Resources.ReadAsync("Observation", "opa-lab", TestPolicies.PatientRegistry, CancellationToken.None)));
    }

    [Fact]
    public async Task Granular_scope_limits_to_the_category()
    {
        Assert.Equal(Set("Observation/opa-lab"), await SearchIdsAsync(TestPolicies.LabOnly, SearchScope.ForType("Observation")));
        Assert.Equal(FhirErrorKind.NotFound, await ErrorOf(() => Resources.ReadAsync("Observation", "opa-vital", TestPolicies.LabOnly, CancellationToken.None)));
    }

    [Fact]
    public async Task Totals_and_counts_include_only_visible_resources()
    {
        SearchResult total = await SearchAsync(TestPolicies.PatientA, SearchScope.ForType("Observation"), ("_total", "accurate"));
        Assert.Equal(3, total.Page.Total);
        SearchResult count = await SearchAsync(TestPolicies.LabOnly, SearchScope.ForType("Observation"), ("_summary", "count"));
        Assert.Equal(1, count.Page.Total);
        SearchResult unrestricted = await SearchAsync(AccessPolicy.Unrestricted, SearchScope.ForType("Observation"), ("_summary", "count"));
        Assert.True(unrestricted.Page.Total >= 6);
    }

    [Fact]
    public async Task System_search_without_type_covers_only_what_the_caller_may_search()
    {
        SortedSet<string> found = await SearchIdsAsync(TestPolicies.PatientA, SearchScope.System);
        Assert.Equal(Set([.. PatientACompartment, "Organization/hospA", "Organization/hospB", "Practitioner/drA"]), found);
        Assert.Equal(Set("Patient/pa", "Patient/pb", "Patient/pc", "Patient/pw"), await SearchIdsAsync(TestPolicies.PatientRegistry, SearchScope.System));
    }

    [Fact]
    public async Task System_search_naming_a_forbidden_type_is_403()
    {
        Assert.Equal(FhirErrorKind.Forbidden, await ErrorOf(() => SearchAsync(TestPolicies.PatientRegistry, SearchScope.System, ("_type", "Patient,Observation"))));
    }

    [Fact]
    public async Task Compartment_search_of_another_resident_is_empty()
    {
        Assert.Empty(await SearchIdsAsync(TestPolicies.PatientA, SearchScope.ForCompartment("Patient", "pb", "Observation")));
        Assert.Equal(Set("Observation/moved", "Observation/opa-lab", "Observation/opa-vital"), await SearchIdsAsync(TestPolicies.PatientA, SearchScope.ForCompartment("Patient", "pa", "Observation")));
    }

    [Fact]
    public async Task Labelled_records_are_withheld_by_a_restriction()
    {
        Assert.Empty(await SearchIdsAsync(TestPolicies.ClinicianAtA, SearchScope.ForType("Condition")));
        Assert.Equal(FhirErrorKind.NotFound, await ErrorOf(() => Resources.ReadAsync("Condition", "cpa", TestPolicies.ClinicianAtA, CancellationToken.None)));
    }

    [Fact]
    public async Task Opt_out_keeps_what_the_callers_own_institution_wrote()
    {
        SortedSet<string> found = await SearchIdsAsync(TestPolicies.ClinicianAtA, SearchScope.ForCompartment("Patient", "pb", null));
        Assert.Equal(Set("Observation/opb-referral"), found);
    }
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Conformance.Tests.Access;

/// <summary>Masking on every path, and the in-memory evaluation agreeing with the store's SQL.</summary>
public abstract partial class AccessEnforcementTests
{
    /// <summary>Drops Patient.name, the way a research role's mask drops direct identifiers.</summary>
    private sealed class NameMask : IResourceMask
    {
        public ReadOnlyMemory<byte>? Apply(string type, ReadOnlyMemory<byte> json)
        {
            if (type != "Patient")
            {
                return null;
            }

            JsonObject node = JsonNode.Parse(json.Span)!.AsObject();
            node.Remove("name");
            return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
        }
    }

    private static readonly AccessPolicy Researcher = new("researcher", [new AccessRule("*", AccessRights.Read | AccessRights.Search)], mask: new NameMask());

    private static bool HasName(StoredResource resource) => JsonNode.Parse(resource.Json.Span)!["name"] is not null;

    [Fact]
    public async Task Masked_elements_are_absent_on_read_search_include_history_and_everything()
    {
        Assert.False(HasName(await Resources.ReadAsync("Patient", "pa", Researcher, CancellationToken.None)));
        Assert.False(HasName(await Resources.VReadAsync("Patient", "pa", "1", Researcher, CancellationToken.None)));
        SearchResult search = await SearchAsync(Researcher, SearchScope.ForType("Observation"), ("_include", "Observation:subject"));
        Assert.Contains(search.Included, r => r.Type == "Patient");
        Assert.All(search.Included.Where(r => r.Type == "Patient"), r => Assert.False(HasName(r)));
        HistoryPage history = await Resources.HistoryAsync(new HistoryQuery("Patient", null, null, 10, null), Researcher, CancellationToken.None);
        Assert.All(history.Entries, r => Assert.False(HasName(r)));
        SearchResult everything = await Server.Services.GetRequiredService<EverythingService>().EverythingAsync("Patient", "pa", [], Researcher, CancellationToken.None);
        Assert.All(everything.Page.Resources.Where(r => r.Type == "Patient"), r => Assert.False(HasName(r)));
        Assert.True(HasName(await Resources.ReadAsync("Patient", "pa", AccessPolicy.Unrestricted, CancellationToken.None)));
    }

    public static TheoryData<string> Conditions() =>
    [
        "compartment", "compartment-set", "source", "not-source", "security", "category", "type", "reference", "id", "consent",
    ];

    private static SearchExpression ConditionNamed(string name) => name switch
    {
        "compartment" => new CompartmentExpression("pa"),
        "compartment-set" => new CompartmentSetExpression(["pa", "pc"]),
        "source" => new UriExpression("_source", UriMatch.Exact, AccessServer.HospitalB),
        "not-source" => new NotExpression(new UriExpression("_source", UriMatch.Exact, AccessServer.HospitalB)),
        "security" => new TokenExpression("_security", AccessServer.ActCode, "PSY"),
        "category" => new TokenExpression("category", null, "laboratory"),
        "type" => new ResourceTypeExpression(["Observation", "Patient"]),
        "reference" => new ReferenceExpression("subject", "Patient", "pb", null),
        "id" => new IdExpression(["opa-lab", "cpb", "pc"]),
        _ => TestPolicies.ClinicianAtA.Restrictions[0].Condition,
    };

    /// <summary>Writes and history are judged in memory, reads and searches in SQL: both must agree on every resource.</summary>
    [Theory]
    [MemberData(nameof(Conditions))]
    public async Task In_memory_evaluation_agrees_with_the_store(string name)
    {
        SearchExpression condition = ConditionNamed(name);
        var policy = new AccessPolicy(name, [new AccessRule("*", AccessRights.Read | AccessRights.Search, condition)]);
        AccessGuard guard = Server.Services.GetRequiredService<AccessGuard>();
        foreach (string type in new[] { "Patient", "Observation", "Condition", "Encounter", "DiagnosticReport", "Organization" })
        {
            SortedSet<string> bySql = await SearchIdsAsync(policy, SearchScope.ForType(type));
            SearchResult all = await SearchAsync(AccessPolicy.Unrestricted, SearchScope.ForType(type));
            var inMemory = new SortedSet<string>(
                all.Page.Resources.Where(r => guard.Admits(new TypeAccess(true, condition), r)).Select(r => $"{r.Type}/{r.Id}"),
                StringComparer.Ordinal);
            Assert.Equal(inMemory, bySql);
        }
    }

    [Fact]
    public void Operations_fail_closed_unless_the_policy_covers_them()
    {
        Assert.False(TestPolicies.PatientA.Allows(OperationAccess.Unrestricted, null));
        Assert.False(TestPolicies.PatientA.Allows(new OperationAccess(["Patient"], AccessRights.Read | AccessRights.Search), "Patient"));
        Assert.True(TestPolicies.PatientRegistry.Allows(new OperationAccess(["Patient"], AccessRights.Read | AccessRights.Search), "Patient"));
        Assert.True(TestPolicies.PatientA.Allows(new OperationAccess(["Task"], AccessRights.Search, AppliesPolicy: true), null));
        Assert.True(TestPolicies.PatientA.Allows(OperationAccess.None, null));
        Assert.True(AccessPolicy.Unrestricted.Allows(OperationAccess.Unrestricted, null));
    }
}

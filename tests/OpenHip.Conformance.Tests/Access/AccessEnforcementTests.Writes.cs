using System.Text;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Transactions;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Conformance.Tests.Access;

/// <summary>Writes, conditional matching, batches and transactions: what a caller may change, and that refusals change nothing.</summary>
public abstract partial class AccessEnforcementTests
{
    private static Resource Parse(string json) => FhirCodec.ParseJson(Encoding.UTF8.GetBytes(json));

    private static Observation NewObservation(string patient, string? id = null, string code = "1234-5")
    {
        var observation = (Observation)Parse(
            $$$"""{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"{{{code}}}"}]},"subject":{"reference":"Patient/{{{patient}}}"}}""");
        observation.Id = id;
        return observation;
    }

    private async Task<long> VersionOfAsync(string type, string id) =>
        (await Resources.ReadAsync(type, id, AccessPolicy.Unrestricted, CancellationToken.None)).VersionId;

    [Fact]
    public async Task A_patient_app_creates_only_in_its_own_compartment()
    {
        InteractionResult created = await Resources.CreateAsync(NewObservation("pw"), null, As(TestPolicies.PatientW), CancellationToken.None);
        Assert.Equal(201, created.Status);
        Assert.Equal(FhirErrorKind.Forbidden, await ErrorOf(() => Resources.CreateAsync(NewObservation("pb"), null, As(TestPolicies.PatientW), CancellationToken.None)));
        Assert.Equal(FhirErrorKind.Forbidden, await ErrorOf(() => Resources.CreateAsync(NewObservation("pw"), null, As(TestPolicies.LabOnly), CancellationToken.None)));
    }

    [Fact]
    public async Task Updating_or_patching_a_hidden_resource_is_404_and_changes_nothing()
    {
        long before = await VersionOfAsync("Observation", "opb-lab");
        Assert.Equal(FhirErrorKind.NotFound, await ErrorOf(() => Resources.UpdateAsync("Observation", "opb-lab", NewObservation("pa", "opb-lab"), null, As(TestPolicies.PatientA), CancellationToken.None)));
        Assert.Equal(FhirErrorKind.NotFound, await ErrorOf(() => Resources.PatchAsync("Observation", "opb-lab", r => r, null, As(TestPolicies.PatientA), CancellationToken.None)));
        Assert.Equal(FhirErrorKind.NotFound, await ErrorOf(() => Resources.DeleteAsync("Observation", "opb-lab", null, As(TestPolicies.PatientA), CancellationToken.None)));
        Assert.Equal(before, await VersionOfAsync("Observation", "opb-lab"));

        // "Absent" looks exactly like "hidden": no update-as-create with a client-chosen id for a filtered caller.
        string freshId = "fresh-" + Guid.NewGuid().ToString("n");
        Assert.Equal(FhirErrorKind.NotFound, await ErrorOf(() => Resources.UpdateAsync("Observation", freshId, NewObservation("pw", freshId), null, As(TestPolicies.PatientW), CancellationToken.None)));
    }

    [Fact]
    public async Task An_update_may_not_move_a_record_out_of_the_compartment()
    {
        InteractionResult created = await Resources.CreateAsync(NewObservation("pw"), null, As(TestPolicies.PatientW), CancellationToken.None);
        string id = created.Resource!.Id;
        Observation moved = NewObservation("pb", id);
        Assert.Equal(FhirErrorKind.Forbidden, await ErrorOf(() => Resources.UpdateAsync("Observation", id, moved, null, As(TestPolicies.PatientW), CancellationToken.None)));
        Assert.Equal(FhirErrorKind.Forbidden, await ErrorOf(() => Resources.PatchAsync("Observation", id, r => { ((Observation)r).Subject = new ResourceReference("Patient/pb"); return r; }, null, As(TestPolicies.PatientW), CancellationToken.None)));
        Assert.Equal(1, await VersionOfAsync("Observation", id));
    }

    [Fact]
    public async Task Conditional_interactions_match_only_visible_resources()
    {
        // opb-vital carries LOINC 8867-4 too: the patient's conditional delete must touch only their own.
        string code = "cond-" + Guid.NewGuid().ToString("n")[..8];
        await Resources.CreateAsync(NewObservation("pb", code: code), null, Server.Writer(AccessServer.HospitalB), CancellationToken.None);
        Assert.Equal(0, await Resources.ConditionalDeleteAsync("Observation", $"code={code}", As(TestPolicies.PatientW), CancellationToken.None));
        Assert.Single(await SearchIdsAsync(AccessPolicy.Unrestricted, Fhir.Search.Parsing.SearchScope.ForType("Observation"), ("code", code)));

        // A conditional update whose only match is hidden may neither change it nor create a second match beside it.
        Assert.Equal(FhirErrorKind.Conflict, await ErrorOf(() => Resources.ConditionalUpdateAsync("Observation", $"code={code}", NewObservation("pw", code: code), null, As(TestPolicies.PatientW), CancellationToken.None)));
        Assert.Single(await SearchIdsAsync(AccessPolicy.Unrestricted, Fhir.Search.Parsing.SearchScope.ForType("Observation"), ("code", code)));
        InteractionResult fresh = await Resources.ConditionalUpdateAsync("Observation", $"code={code}-own", NewObservation("pw", code: code + "-own"), null, As(TestPolicies.PatientW), CancellationToken.None);
        Assert.Equal(201, fresh.Status);

        // A conditional create whose match is hidden cannot use it, and cannot duplicate it either.
        string identifierCode = "ine-" + Guid.NewGuid().ToString("n")[..8];
        await Resources.CreateAsync(NewObservation("pb", code: identifierCode), null, Server.Writer(AccessServer.HospitalB), CancellationToken.None);
        Assert.Equal(FhirErrorKind.Conflict, await ErrorOf(() => Resources.CreateAsync(NewObservation("pw", code: identifierCode), $"code={identifierCode}", As(TestPolicies.PatientW), CancellationToken.None)));
        Assert.Single(await SearchIdsAsync(AccessPolicy.Unrestricted, Fhir.Search.Parsing.SearchScope.ForType("Observation"), ("code", identifierCode)));
    }

    [Fact]
    public async Task Batch_entries_each_apply_the_policy()
    {
        var bundle = (Bundle)Parse("""
            {"resourceType":"Bundle","type":"batch","entry":[
              {"request":{"method":"GET","url":"Observation/opa-lab"}},
              {"request":{"method":"GET","url":"Observation/opb-lab"}},
              {"request":{"method":"GET","url":"Condition/cpa"}},
              {"resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/pb"}},"request":{"method":"POST","url":"Observation"}}
            ]}
            """);
        ResponseBundle response = await Server.Services.GetRequiredService<BatchProcessor>().ProcessAsync(bundle, As(TestPolicies.LabOnly), true, CancellationToken.None);
        Assert.Equal(["200 OK", "404 Not Found", "403 Forbidden", "403 Forbidden"], response.Entries.Select(e => e.Status));
        Assert.NotNull(response.Entries[0].ResourceJson);
        Assert.All(response.Entries.Skip(1), e => Assert.Null(e.ResourceJson));
    }

    [Fact]
    public async Task A_transaction_with_one_forbidden_entry_writes_nothing()
    {
        long history = (await Resources.HistoryAsync(new HistoryQuery(null, null, null, 1, null), AccessPolicy.Unrestricted, CancellationToken.None)).Total ?? -1;
        var bundle = (Bundle)Parse("""
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"resource":{"resourceType":"Observation","status":"final","code":{"text":"mine"},"subject":{"reference":"Patient/pw"}},"request":{"method":"POST","url":"Observation"}},
              {"resource":{"resourceType":"Observation","status":"final","code":{"text":"theirs"},"subject":{"reference":"Patient/pb"}},"request":{"method":"POST","url":"Observation"}}
            ]}
            """);
        TransactionProcessor transactions = Server.Services.GetRequiredService<TransactionProcessor>();
        Assert.Equal(FhirErrorKind.Forbidden, await ErrorOf(() => transactions.ProcessAsync(bundle, As(TestPolicies.PatientW), true, CancellationToken.None)));

        var hidden = (Bundle)Parse("""
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"request":{"method":"DELETE","url":"Observation/opb-lab"}}
            ]}
            """);
        Assert.Equal(FhirErrorKind.NotFound, await ErrorOf(() => transactions.ProcessAsync(hidden, As(TestPolicies.PatientA), true, CancellationToken.None)));
        var conditionalReference = (Bundle)Parse("""
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient?_id=pb"}},"request":{"method":"POST","url":"Observation"}}
            ]}
            """);
        Assert.Equal(FhirErrorKind.NotFound, await ErrorOf(() => transactions.ProcessAsync(conditionalReference, As(TestPolicies.PatientA), true, CancellationToken.None)));
        Assert.Equal(history, (await Resources.HistoryAsync(new HistoryQuery(null, null, null, 1, null), AccessPolicy.Unrestricted, CancellationToken.None)).Total);
    }
}

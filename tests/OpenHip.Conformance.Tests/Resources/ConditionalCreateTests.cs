using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Conformance.Tests.Access;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Indexing;
using OpenHip.Fhir.Storage;
using OpenHip.Testing;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Conformance.Tests.Resources;

/// <summary>
/// Conditional create (If-None-Exist) through the engine on a real store. A caller who sees every resource of the type
/// leaves the lookup to the create guard the commit checks anyway (issue #5: on PostgreSQL the lookup before the commit
/// cost a round trip, a plan and an executor start per create); every answer stays what a lookup first would give.
/// </summary>
public abstract class ConditionalCreateTests(AccessServer server)
{
    private const string System = "urn:test:conditional-create";

    // Marks in a body that make the test's write hook refuse the write, or warn about it.
    private const string Refuse = "refuse";
    private const string Warn = "warn";

    private static readonly CancellationToken None = CancellationToken.None;

    private FhirRequestContext Writer => server.Writer(AccessServer.HospitalA);

    [Fact]
    public async Task ConditionalCreate_NoMatch_CommitsWithoutALookupFirst()
    {
        (ResourceService resources, CallCountingStore counter) = Counted();
        string value = NewValue();

        InteractionResult result = await resources.CreateAsync(PatientWith(value), Criteria(value), Writer, None);

        Assert.Equal(201, result.Status);
        Assert.Equal(0, counter.Lookups);
        Assert.Equal([result.Resource!.Id], await FindAsync(value));
    }

    [Fact]
    public async Task ConditionalCreate_OneMatch_AnswersItAndWritesNothing()
    {
        (ResourceService resources, _) = Counted();
        string value = NewValue();
        InteractionResult first = await resources.CreateAsync(PatientWith(value), null, Writer, None);
        long versions = await server.VersionCountAsync();

        InteractionResult again = await resources.CreateAsync(PatientWith(value), Criteria(value), Writer, None);

        Assert.Equal(200, again.Status);
        Assert.Equal(first.Resource!.Id, again.Resource!.Id);
        Assert.Equal(1, again.Resource.VersionId);
        Assert.Equal(versions, await server.VersionCountAsync());
    }

    [Fact]
    public async Task ConditionalCreate_SeveralMatches_Is412AndWritesNothing()
    {
        (ResourceService resources, _) = Counted();
        string value = NewValue();
        await resources.CreateAsync(PatientWith(value), null, Writer, None);
        await resources.CreateAsync(PatientWith(value), null, Writer, None);
        long versions = await server.VersionCountAsync();

        FhirException failure = await Assert.ThrowsAsync<FhirException>(() => resources.CreateAsync(PatientWith(value), Criteria(value), Writer, None));

        Assert.Equal(FhirErrorKind.PreconditionFailed, failure.Kind);
        Assert.Equal(versions, await server.VersionCountAsync());
    }

    [Fact]
    public async Task ConditionalCreate_RefusedWriteWhileAMatchExists_AnswersTheMatch()
    {
        (ResourceService resources, _) = Counted();
        string value = NewValue();
        InteractionResult first = await resources.CreateAsync(PatientWith(value), null, Writer, None);

        InteractionResult again = await resources.CreateAsync(PatientWith(value, Refuse), Criteria(value), Writer, None);

        Assert.Equal(200, again.Status);
        Assert.Equal(first.Resource!.Id, again.Resource!.Id);
    }

    [Fact]
    public async Task ConditionalCreate_RefusedWriteWithoutAMatch_IsRefusedAndWritesNothing()
    {
        (ResourceService resources, _) = Counted();
        string value = NewValue();
        long versions = await server.VersionCountAsync();

        FhirException failure = await Assert.ThrowsAsync<FhirException>(() => resources.CreateAsync(PatientWith(value, Refuse), Criteria(value), Writer, None));

        Assert.Equal(FhirErrorKind.Unprocessable, failure.Kind);
        Assert.Equal(versions, await server.VersionCountAsync());
        Assert.Empty(await FindAsync(value));
    }

    [Fact]
    public async Task ConditionalCreate_WarnedWrite_WarnsWhenItCreatesAndNotWhenItFindsTheMatch()
    {
        (ResourceService resources, _) = Counted();
        string value = NewValue();

        WriteWarnings.Begin();
        InteractionResult created = await resources.CreateAsync(PatientWith(value, Warn), Criteria(value), Writer, None);
        IReadOnlyList<FhirIssue> onCreate = WriteWarnings.Current;
        WriteWarnings.Begin();
        InteractionResult found = await resources.CreateAsync(PatientWith(value, Warn), Criteria(value), Writer, None);
        IReadOnlyList<FhirIssue> onMatch = WriteWarnings.Current;

        Assert.Equal((201, 200), (created.Status, found.Status));
        Assert.Single(onCreate);
        Assert.Empty(onMatch);
    }

    [Fact]
    public async Task ConditionalCreate_CallerWithAFilteredRead_LooksUpFirst()
    {
        (ResourceService resources, CallCountingStore counter) = Counted();
        string value = NewValue();
        AccessPolicy policy = new("filtered reader", [
            new AccessRule("Patient", AccessRights.Create),
            new AccessRule("Patient", AccessRights.Read, new TokenExpression("identifier", System, null)),
        ]);

        InteractionResult result = await resources.CreateAsync(PatientWith(value), Criteria(value), Writer with { Access = policy }, None);

        // The guard sees resources this caller may not, so only a lookup through the caller's filter tells them apart.
        Assert.Equal(201, result.Status);
        Assert.Equal(1, counter.Lookups);
    }

    [Fact]
    public async Task ConditionalCreate_AfterAMatch_LooksFirstUntilALookupFindsNothing()
    {
        (ResourceService resources, CallCountingStore counter) = Counted();
        string known = NewValue();
        await resources.CreateAsync(PatientWith(known), null, Writer, None);
        await resources.CreateAsync(PatientWith(known), Criteria(known), Writer, None);
        (int lookups, int commits) = (counter.Lookups, counter.Commits);

        // A second load of the same data: no write is built and refused by the guard before the lookup.
        InteractionResult again = await resources.CreateAsync(PatientWith(known), Criteria(known), Writer, None);
        (int lookupsAgain, int commitsAgain) = (counter.Lookups, counter.Commits);

        // New data: looked up once more, found absent, and from then on left to the guard.
        string first = NewValue();
        InteractionResult created = await resources.CreateAsync(PatientWith(first), Criteria(first), Writer, None);
        int lookupsCreated = counter.Lookups;
        string second = NewValue();
        InteractionResult next = await resources.CreateAsync(PatientWith(second), Criteria(second), Writer, None);

        Assert.Equal((200, 201, 201), (again.Status, created.Status, next.Status));
        Assert.Equal((lookups + 1, commits), (lookupsAgain, commitsAgain));
        Assert.Equal(lookupsAgain + 1, lookupsCreated);
        Assert.Equal(lookupsCreated, counter.Lookups);
    }

    [Fact]
    public async Task ConditionalCreate_UnusableCriteriaFromACallerWhoMayNotRead_IsRefusedForTheCriteria()
    {
        (ResourceService resources, _) = Counted();
        AccessPolicy createOnly = new("create only", [new AccessRule("Patient", AccessRights.Create)]);

        FhirException failure = await Assert.ThrowsAsync<FhirException>(
            () => resources.CreateAsync(PatientWith(NewValue()), "no-such-parameter=1", Writer with { Access = createOnly }, None));

        Assert.Equal(FhirErrorKind.BadRequest, failure.Kind);
    }

    private static string NewValue() => Guid.NewGuid().ToString("n");

    private static string Criteria(string value) => $"identifier={System}|{value}";

    private static Patient PatientWith(string value, string? mark = null) => new()
    {
        Identifier = [new Identifier(System, value)],
        Name = mark is null ? [] : [new HumanName { Text = mark }],
    };

    private async Task<IReadOnlyList<string>> FindAsync(string value) =>
        await server.Services.GetRequiredService<IFhirStore>().FindByTokensAsync(
            new TokenQuery("Patient", [new TokenClause("identifier", [new TokenValue(System, value)])], 10), None);

    /// <summary>The server's engine over a store that counts lookups, with a write hook that refuses or warns on marked bodies.</summary>
    private (ResourceService Resources, CallCountingStore Counter) Counted()
    {
        IServiceProvider services = server.Services;
        (IFhirStore store, CallCountingStore counter) = CallCountingStore.Wrap(services.GetRequiredService<IFhirStore>());
        var guard = new AccessGuard(store, services.GetRequiredService<SearchIndexer>(), services.GetRequiredService<CompartmentIndexer>());
        ResourceWriteFactory writes = ActivatorUtilities.CreateInstance<ResourceWriteFactory>(services, (IEnumerable<IResourceWriteHook>)[new MarkedBodies()]);
        ChangesetCommitter commits = ActivatorUtilities.CreateInstance<ChangesetCommitter>(services, store);
        return (ActivatorUtilities.CreateInstance<ResourceService>(services, store, guard, writes, commits), counter);
    }

    private sealed class MarkedBodies : IResourceWriteHook
    {
        public void OnWriting(Resource resource)
        {
            string? mark = (resource as Patient)?.Name.FirstOrDefault()?.Text;
            if (mark == Refuse)
            {
                throw FhirException.Unprocessable("Refused by the test's hook");
            }

            if (mark == Warn)
            {
                WriteWarnings.Add(new FhirIssue(OperationOutcome.IssueType.BusinessRule, "Warned by the test's hook", null, OperationOutcome.IssueSeverity.Warning));
            }
        }

        public void OnCommitted(IReadOnlyList<ResourceWrite> writes)
        {
        }
    }
}

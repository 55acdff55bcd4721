using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using OpenHip.Modules.Mpi.Features.MatchPatient;
using OpenHip.Modules.Mpi.Features.Review;
using Xunit;
using FhirTask = Hl7.Fhir.Model.Task;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Tests.Features.Review;

/// <summary>The review queue: a pair the machine may not link waits as a Task; accept joins, reject keeps apart; both audited and learnt from.</summary>
public sealed class ReviewTests
{
    private static readonly DateOnly Birth = new(1987, 3, 12);

    [Fact]
    public async Task Accept_QueuedPair_JoinsThemAtLevel4AuditsAndFeedsTheModel()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        (string a, string b, FhirTask task) = await QueuedPairAsync(mpi);
        PatientIndex index = mpi.Get<PatientIndex>();
        double[,] mBefore = (double[,])index.Model().Probabilities.M.Clone();

        OperationResult result = await Operation(mpi, "mpi-accept").ExecuteAsync(Request(task.Id!), CancellationToken.None);

        FhirTask decided = Assert.IsType<FhirTask>(result.Resource);
        Assert.Equal(FhirTask.TaskStatus.Completed, decided.Status);
        Person person = Assert.Single(await mpi.AllAsync<Person>());
        Assert.Equal([$"Patient/{a}", $"Patient/{b}"], person.Link.Select(l => l.Target.Reference).Order(StringComparer.Ordinal));
        Assert.All(person.Link, l => Assert.Equal(Person.IdentityAssuranceLevel.Level4, l.Assurance));
        AuditRecord audit = Assert.Single(mpi.Audit.Records);
        Assert.Equal("reviewer-1", audit.Who);
        Assert.StartsWith($"Task/{task.Id}/_history/", audit.Resource, StringComparison.Ordinal);
        Assert.Equal([a, b], audit.Patients.Order(StringComparer.Ordinal));
        Assert.Equal(1, index.Feedback.Accepted);
        Assert.NotEqual(mBefore.Cast<double>(), index.Model().Probabilities.M.Cast<double>());

        // Linking again (a re-delivered event) keeps what the reviewer decided.
        await mpi.Consumer.HandleAsync(await mpi.Store.ReadOutboxAsync(default, 1000, CancellationToken.None), CancellationToken.None);
        Assert.Equal(2, Assert.Single(await mpi.AllAsync<Person>()).Link.Count);
    }

    [Fact]
    public async Task Reject_QueuedPair_StaysApartAuditedAndDecidingAgainIsConflict()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        (string a, string b, FhirTask task) = await QueuedPairAsync(mpi);

        await Operation(mpi, "mpi-reject").ExecuteAsync(Request(task.Id!), CancellationToken.None);

        Assert.Equal(2, (await mpi.AllAsync<Person>()).Count);
        Assert.Equal(FhirTask.TaskStatus.Rejected, Assert.Single(await mpi.AllAsync<FhirTask>()).Status);
        Assert.Equal([a, b], Assert.Single(mpi.Audit.Records).Patients.Order(StringComparer.Ordinal));
        Assert.Equal(1, mpi.Get<PatientIndex>().Feedback.Rejected);
        FhirException again = await Assert.ThrowsAsync<FhirException>(() => Operation(mpi, "mpi-accept").ExecuteAsync(Request(task.Id!), CancellationToken.None));
        Assert.Equal(FhirErrorKind.Conflict, again.Kind);
        FhirException unknown = await Assert.ThrowsAsync<FhirException>(() => Operation(mpi, "mpi-accept").ExecuteAsync(Request("no-such-task"), CancellationToken.None));
        Assert.Equal(FhirErrorKind.NotFound, unknown.Kind);
    }

    [Fact]
    public async Task List_OpenReviews_AreTheUndecidedTasks()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        (_, _, FhirTask task) = await QueuedPairAsync(mpi);
        IFhirOperation list = Operation(mpi, "mpi-review");
        var request = new OperationRequest(OperationLevel.Type, "Person", null, null, new Dictionary<string, string[]>(), MpiHarness.Context);

        Bundle open = Assert.IsType<Bundle>((await list.ExecuteAsync(request, CancellationToken.None)).Resource);
        await Operation(mpi, "mpi-reject").ExecuteAsync(Request(task.Id!), CancellationToken.None);
        Bundle after = Assert.IsType<Bundle>((await list.ExecuteAsync(request, CancellationToken.None)).Resource);

        Assert.Equal(task.Id, Assert.Single(open.Entry).Resource?.Id);
        Assert.Empty(after.Entry);
    }

    /// <summary>Two 张伟 born the same day with the same phone but two valid ID numbers: the machine must not link them.</summary>
    private static async Task<(string A, string B, FhirTask Task)> QueuedPairAsync(MpiHarness mpi)
    {
        string a = await mpi.CreateAsync(Residents.Patient("张", "伟", "1987-03-12", true, Residents.ResidentId("330106", Birth, 17), "13812345678"));
        string b = await mpi.CreateAsync(Residents.Patient("张", "伟", "1987-03-12", true, Residents.ResidentId("330106", Birth, 19), "13812345678"));
        await mpi.DrainAsync();
        Assert.Equal(2, (await mpi.AllAsync<Person>()).Count);
        FhirTask task = Assert.Single(await mpi.AllAsync<FhirTask>());
        Assert.Equal(ReviewQueue.TaskId(a, b), task.Id);
        return (a, b, task);
    }

    private static IFhirOperation Operation(MpiHarness mpi, string name) =>
        mpi.Services.GetServices<IFhirOperation>().Single(o => o.Name == name);

    private static OperationRequest Request(string taskId) =>
        new(OperationLevel.Instance, "Task", taskId, null, new Dictionary<string, string[]>(), MpiHarness.Context, IsPost: true);
}

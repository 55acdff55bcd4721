using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Errors;
using OpenHip.Modules.Security.Features.BreakGlass;
using FhirTask = Hl7.Fhir.Model.Task;

namespace OpenHip.Modules.Security.Tests.BreakGlass;

public class BreakGlassTaskTests
{
    private const string Writer = "urn:openhip:security";
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private static FhirTask Grant() => BreakGlassTask.Create("p1", "doc", "Practitioner/d1", "ETREAT", "unconscious in ED", Start, Start.AddHours(1), Writer);

    [Fact]
    public void Create_ReviewTask_CarriesPriorityPatientRequesterWindowAndReason()
    {
        FhirTask task = Grant();

        Assert.Equal(RequestPriority.Stat, task.Priority);
        Assert.Equal("Patient/p1", task.For!.Reference);
        Assert.Equal("Practitioner/d1", task.Requester!.Reference);
        Assert.Equal("unconscious in ED", task.ReasonCode!.Text);
        Assert.Equal("ETREAT", task.ReasonCode!.Coding[0].Code);
        Assert.Equal(Start, task.ExecutionPeriod!.StartElement!.ToDateTimeOffset(TimeSpan.Zero));
    }

    [Fact]
    public void GrantOf_ModuleWrittenTask_IsTheGrant()
    {
        FhirTask task = Grant();
        task.Id = "t1";

        Assert.Equal(new BreakGlassGrant("t1", "doc", "p1", Start, Start.AddHours(1)), BreakGlassTask.GrantOf(task, Writer));
    }

    [Fact]
    public void GrantOf_TaskWithAnotherSource_IsNoGrant()
    {
        FhirTask task = Grant();
        task.Meta!.Source = "urn:hospital:b";

        Assert.Null(BreakGlassTask.GrantOf(task, Writer));
    }

    [Fact]
    public void GrantOf_CompletedReview_EndsTheGrant()
    {
        FhirTask task = Grant();
        task.Status = FhirTask.TaskStatus.Completed;

        Assert.Null(BreakGlassTask.GrantOf(task, Writer));
    }

    [Fact]
    public void Guard_ClientCreatingAGrantTask_IsForbidden()
    {
        var guard = new BreakGlassGuard(null!, Options.Create(new BreakGlassOptions()));
        FhirTask task = Grant();
        task.Meta = new Meta { Source = "urn:hospital:b", VersionId = "1" };

        FhirException refused = Assert.Throws<FhirException>(() => guard.OnWriting(task));
        Assert.Equal(FhirErrorKind.Forbidden, refused.Kind);
    }

    [Fact]
    public void Guard_ClientWritingWithTheModulesSource_IsForbidden()
    {
        var guard = new BreakGlassGuard(null!, Options.Create(new BreakGlassOptions()));
        var patient = new Patient { Meta = new Meta { Source = Writer, VersionId = "3" } };

        Assert.Throws<FhirException>(() => guard.OnWriting(patient));
    }

    [Fact]
    public void Guard_ModulesOwnWrite_IsAllowed()
    {
        var guard = new BreakGlassGuard(null!, Options.Create(new BreakGlassOptions()));
        FhirTask task = Grant();
        task.Meta!.VersionId = "1";

        using (BreakGlassWriteScope.Enter())
        {
            guard.OnWriting(task);
        }

        Assert.False(BreakGlassWriteScope.IsActive);
    }

    [Fact]
    public void Guard_ReviewerUpdatingTheTask_IsAllowed()
    {
        var guard = new BreakGlassGuard(null!, Options.Create(new BreakGlassOptions()));
        FhirTask task = Grant();
        task.Status = FhirTask.TaskStatus.Completed;
        task.Meta = new Meta { Source = "urn:security-office", VersionId = "2" };

        guard.OnWriting(task);
    }
}

using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using Xunit;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Tests.Features.Merge;

/// <summary>Patient/$merge (R5 shape) and its exact undo over a real SQLite store, the linker running between.</summary>
public sealed class MergeTests
{
    [Fact]
    public async Task MergeThenUnmerge_LeavesEveryResourceAsItWas()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        (string source, string target) = await TwoPeopleAsync(mpi);
        SortedDictionary<string, string> before = await mpi.SnapshotAsync();

        Parameters merged = await MergeAsync(mpi, source, target);
        await mpi.DrainAsync();

        Patient oldSource = (await mpi.AllAsync<Patient>()).Single(p => p.Id == source);
        Assert.False(oldSource.Active);
        Assert.Equal(Patient.LinkType.ReplacedBy, Assert.Single(oldSource.Link).Type);
        Patient result = Assert.IsType<Patient>(merged.GetSingle("result")!.Resource);
        Assert.Contains(result.Identifier, i => i.Value == "B-7" && i.Use == Identifier.IdentifierUse.Old);
        Person joined = Assert.Single(await mpi.AllAsync<Person>(), p => p.Link.Count == 2);
        Assert.All(joined.Link, l => Assert.Equal(Person.IdentityAssuranceLevel.Level4, l.Assurance));
        Assert.NotEqual(before, await mpi.SnapshotAsync());

        var undo = new Parameters();
        undo.Add("provenance", merged.GetSingle("provenance")!.Value);
        await Operation(mpi, "unmerge").ExecuteAsync(Request(undo), CancellationToken.None);
        await mpi.DrainAsync();

        Assert.Equal(before, await mpi.SnapshotAsync());
    }

    [Fact]
    public async Task Merge_Preview_WritesNothing()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        (string source, string target) = await TwoPeopleAsync(mpi);
        SortedDictionary<string, string> before = await mpi.SnapshotAsync();

        Parameters preview = await MergeAsync(mpi, source, target, preview: true);

        Assert.Contains(Assert.IsType<Patient>(preview.GetSingle("result")!.Resource).Link, l => l.Type == Patient.LinkType.Replaces);
        Assert.Null(preview.GetSingle("provenance"));
        Assert.Equal(before, await mpi.SnapshotAsync());
    }

    [Fact]
    public async Task Merge_BadInput_IsRejectedWithTheRightKind()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        (string source, string target) = await TwoPeopleAsync(mpi);

        Assert.Equal(FhirErrorKind.BadRequest, (await FailAsync(mpi, Input(source, source))).Kind);
        Assert.Equal(FhirErrorKind.NotFound, (await FailAsync(mpi, Input(source, "nobody"))).Kind);
        var noTarget = new Parameters();
        noTarget.Add("source-patient", new ResourceReference($"Patient/{source}"));
        Assert.Equal(FhirErrorKind.BadRequest, (await FailAsync(mpi, noTarget)).Kind);
        Parameters wrongResult = Input(source, target);
        wrongResult.Add("result-patient", new Patient { Id = source });
        Assert.Equal(FhirErrorKind.BadRequest, (await FailAsync(mpi, wrongResult)).Kind);
        var byIdentifier = new Parameters();
        byIdentifier.Add("source-patient-identifier", new Identifier(Residents.Mrn + "org-2", "B-7"));
        byIdentifier.Add("target-patient", new ResourceReference($"Patient/{target}"));
        Assert.NotNull((await Operation(mpi, "merge").ExecuteAsync(Request(byIdentifier), CancellationToken.None)).Resource);
    }

    private static async Task<(string Source, string Target)> TwoPeopleAsync(MpiHarness mpi)
    {
        string target = await mpi.CreateAsync(Residents.Patient("张", "伟", "1987-03-12", true, phone: "13812345678", mrn: "A-1"));
        string source = await mpi.CreateAsync(Residents.Patient("章", "炜", "1978-03-21", true, mrn: "B-7", source: "http://hospital-b.example/fhir"));
        await mpi.CreateAsync(Residents.Patient("李", "娜", "1990-07-01", false));
        await mpi.DrainAsync();
        Assert.Equal(3, (await mpi.AllAsync<Person>()).Count);
        return (source, target);
    }

    private static async Task<Parameters> MergeAsync(MpiHarness mpi, string source, string target, bool preview = false)
    {
        Parameters input = Input(source, target);
        if (preview)
        {
            input.Add("preview", new FhirBoolean(true));
        }

        OperationResult result = await Operation(mpi, "merge").ExecuteAsync(Request(input), CancellationToken.None);
        Assert.Equal(200, result.Status);
        return Assert.IsType<Parameters>(result.Resource);
    }

    private static Task<FhirException> FailAsync(MpiHarness mpi, Parameters input) =>
        Assert.ThrowsAsync<FhirException>(() => Operation(mpi, "merge").ExecuteAsync(Request(input), CancellationToken.None));

    private static Parameters Input(string source, string target)
    {
        var input = new Parameters();
        input.Add("source-patient", new ResourceReference($"Patient/{source}"));
        input.Add("target-patient", new ResourceReference($"Patient/{target}"));
        return input;
    }

    private static IFhirOperation Operation(MpiHarness mpi, string name) =>
        mpi.Services.GetServices<IFhirOperation>().Single(o => o.Name == name);

    private static OperationRequest Request(Parameters body) =>
        new(OperationLevel.Type, "Patient", null, body, new Dictionary<string, string[]>(), MpiHarness.Context, IsPost: true);
}

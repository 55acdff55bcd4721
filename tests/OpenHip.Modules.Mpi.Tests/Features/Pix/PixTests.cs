using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using Xunit;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Tests.Features.Pix;

/// <summary>IHE PIXm $ihe-pix: from one identifier to every identifier of the person, with ITI-83's errors.</summary>
public sealed class PixTests
{
    private static readonly string Zhang = Residents.ResidentId("330106", new DateOnly(1987, 3, 12), 17);

    [Fact]
    public async Task Pix_MrnOfOneHospital_GivesTheOtherHospitalsMrnAndTheResidentId()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        (string a, string b) = await LinkedPairAsync(mpi);

        Parameters all = await PixAsync(mpi, Residents.Mrn + "org-1|A-1");
        Parameters filtered = await PixAsync(mpi, Residents.Mrn + "org-1|A-1", Residents.Mrn + "org-2");

        Assert.Equal([Zhang, "B-7"], all.Parameter.Where(p => p.Name == "targetIdentifier").Select(p => ((Identifier)p.Value!).Value!).Order(StringComparer.Ordinal));
        Assert.Equal([$"http://localhost/fhir/Patient/{a}", $"http://localhost/fhir/Patient/{b}"],
            all.Parameter.Where(p => p.Name == "targetId").Select(p => ((ResourceReference)p.Value!).Reference!).Order(StringComparer.Ordinal));
        Assert.Equal("B-7", ((Identifier)Assert.Single(filtered.Parameter, p => p.Name == "targetIdentifier").Value!).Value);
        Assert.Equal($"http://localhost/fhir/Patient/{b}", ((ResourceReference)Assert.Single(filtered.Parameter, p => p.Name == "targetId").Value!).Reference);
    }

    [Fact]
    public async Task Pix_PatientNotLinkedYet_AnswersForItself()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        await mpi.CreateAsync(Residents.Patient("李", "娜", "1990-07-01", false, Residents.ResidentId("330106", new DateOnly(1990, 7, 1), 22), mrn: "L-1"));

        Parameters answer = await PixAsync(mpi, Residents.Mrn + "org-1|L-1");

        Assert.Single(answer.Parameter, p => p.Name == "targetIdentifier");
        Assert.Single(answer.Parameter, p => p.Name == "targetId");
    }

    [Theory]
    [InlineData(null, null, FhirErrorKind.BadRequest)]
    [InlineData("A-1", null, FhirErrorKind.BadRequest)]
    [InlineData("http://openhip.org/sid/mrn/org-1|nobody", null, FhirErrorKind.NotFound)]
    [InlineData("http://openhip.org/sid/mrn/org-1|A-1", "http://unknown.example/sid", FhirErrorKind.Forbidden)]
    public async Task Pix_BadInput_FailsAsIti83Says(string? source, string? target, FhirErrorKind kind)
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        await LinkedPairAsync(mpi);

        FhirException e = await Assert.ThrowsAsync<FhirException>(() => PixAsync(mpi, source, target));

        Assert.Equal(kind, e.Kind);
    }

    private static async Task<(string A, string B)> LinkedPairAsync(MpiHarness mpi)
    {
        string a = await mpi.CreateAsync(Residents.Patient("张", "伟", "1987-03-12", true, Zhang, "13812345678", mrn: "A-1"));
        string b = await mpi.CreateAsync(Residents.Patient("張", "偉", "1987-03-12", true, Zhang, mrn: "B-7", source: "http://hospital-b.example/fhir"));
        await mpi.DrainAsync();
        return (a, b);
    }

    private static async Task<Parameters> PixAsync(MpiHarness mpi, string? source, string? target = null)
    {
        var query = new Dictionary<string, string[]>();
        if (source is not null)
        {
            query["sourceIdentifier"] = [source];
        }

        if (target is not null)
        {
            query["targetSystem"] = [target];
        }

        IFhirOperation pix = mpi.Services.GetServices<IFhirOperation>().Single(o => o.Name == "ihe-pix");
        OperationResult result = await pix.ExecuteAsync(new OperationRequest(OperationLevel.Type, "Patient", null, null, query, MpiHarness.Context), CancellationToken.None);
        return Assert.IsType<Parameters>(result.Resource);
    }
}

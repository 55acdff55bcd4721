using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Mpi.Domain.Matching;
using OpenHip.Modules.Mpi.Features.MatchPatient;
using Xunit;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Tests.Features.MatchPatient;

/// <summary>From MpiOptions.BackgroundRefitFrom on, the EM refit runs on a snapshot while the old estimates keep serving.</summary>
public sealed class BackgroundRefitTests
{
    private static readonly string[] Families = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡"];
    private static readonly string[] Givens = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明"];

    [Fact]
    public async Task Model_PopulationGrownPastTheThreshold_ServesTheOldEstimatesUntilTheBackgroundFitSwapsThemIn()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync(new MpiOptions { BackgroundRefitFrom = 1000 });
        PatientIndex index = mpi.Get<PatientIndex>();
        await index.EnsureLoadedAsync(CancellationToken.None);
        var random = new Random(5);
        Add(index, random, 0, 1200);
        FieldProbabilities first = index.Model().Probabilities;

        Add(index, random, 1200, 2100);
        MatchModel during = index.Model();

        // The call that found the population grown returned at once, with the estimates fitted on 1,200 records.
        Assert.Same(first, during.Probabilities);
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(60); index.IsRefitting; await Task.Delay(20))
        {
            Assert.True(DateTime.UtcNow < deadline, "the background refit did not finish");
        }

        FieldProbabilities refitted = index.Model().Probabilities;
        Assert.NotSame(first, refitted);
        // No duplicates among these residents, so m stays the prior; u is the grown population's own.
        Assert.NotEqual(first.U.Cast<double>(), refitted.U.Cast<double>());
    }

    /// <summary>Random residents, straight into the index.</summary>
    private static void Add(PatientIndex index, Random random, int from, int count)
    {
        for (int i = from; i < from + count; i++)
        {
            var birth = new DateOnly(1940 + random.Next(70), 1 + random.Next(12), 1 + random.Next(28));
            Patient patient = Residents.Patient(
                Families[random.Next(Families.Length)],
                Givens[random.Next(Givens.Length)] + Givens[random.Next(Givens.Length)],
                birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                random.Next(2) == 0,
                phone: "138" + random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture));
            patient.Id = "p" + i.ToString(CultureInfo.InvariantCulture);
            index.Apply(new StoredResource("Patient", patient.Id, 1, DateTimeOffset.UtcNow, false, WriteMethod.Create, FhirCodec.ToJsonBytes(patient)));
        }
    }
}

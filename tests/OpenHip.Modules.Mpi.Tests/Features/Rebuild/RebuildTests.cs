using Hl7.Fhir.Model;
using OpenHip.Modules.Mpi.Features.Rebuild;
using Xunit;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Tests.Features.Rebuild;

/// <summary>`openhip mpi rebuild`'s work: every Patient re-linked, progress reported, a crashed run resumed from the store's durable state.</summary>
public sealed class RebuildTests
{
    [Fact]
    public async Task Rebuild_CrashedHalfway_ResumesFromTheCheckpointAndLinksEveryone()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync(new MpiOptions { RebuildCheckpointEvery = 2 });
        string id = Residents.ResidentId("330106", new DateOnly(1987, 3, 12), 17);
        for (int i = 0; i < 3; i++)
        {
            await mpi.CreateAsync(Residents.Patient("张", "伟", "1987-03-12", true, id, mrn: $"Z-{i}"));
        }

        string[] others = ["李", "王", "刘", "陈"];
        for (int i = 0; i < others.Length; i++)
        {
            await mpi.CreateAsync(Residents.Patient(others[i], "娜", $"199{i}-07-01", false));
        }

        PopulationRebuilder rebuilder = mpi.Get<PopulationRebuilder>();
        using var progress = new StringWriter();
        await Assert.ThrowsAsync<IOException>(() => rebuilder.RunAsync(progress, done => _ = done == 5 ? throw new IOException("crash") : 0, CancellationToken.None));
        Assert.Equal(4, long.Parse((await mpi.Store.GetStateAsync(PopulationRebuilder.StateKey, CancellationToken.None))!.Split('|')[1], System.Globalization.CultureInfo.InvariantCulture));

        PopulationRebuilder.Report report = await rebuilder.RunAsync(progress, null, CancellationToken.None);

        Assert.Equal(4, report.ResumedAfter);
        Assert.Null(await mpi.Store.GetStateAsync(PopulationRebuilder.StateKey, CancellationToken.None));
        Assert.Contains("resuming after 4", progress.ToString(), StringComparison.Ordinal);
        List<Person> persons = await mpi.AllAsync<Person>();
        Assert.Equal(5, persons.Count);
        Assert.Equal(3, persons.Max(p => p.Link.Count));
        Assert.Equal(7, persons.Sum(p => p.Link.Count));
    }
}

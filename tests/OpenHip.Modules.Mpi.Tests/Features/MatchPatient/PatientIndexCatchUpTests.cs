using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Mpi.Features.MatchPatient;
using OpenHip.Testing;
using Xunit;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Tests.Features.MatchPatient;

/// <summary>
/// A catch-up skips outbox events whose version the index already holds (this node's write hook applied them): the
/// index must still end with every version, update and deletion, whichever way it arrived.
/// </summary>
public sealed class PatientIndexCatchUpTests
{
    [Fact]
    public async Task CatchUp_VersionsTheWriteHookApplied_IndexHasLatestContent()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        PatientIndex index = mpi.Services.GetRequiredService<PatientIndex>();
        Patient patient = Residents.Patient("Wang", "Ming", "1990-03-07", male: true);
        string id = await mpi.CreateAsync(patient);

        // First use: the index loads from the store (its JSON path), the hook applies what follows.
        await index.CatchUpAsync(CancellationToken.None);
        Assert.Equal("19900307", index.Get(id)!.BirthDate);

        patient.Id = id;
        patient.BirthDate = "1991-04-08";
        await mpi.UpdateAsync(patient);
        await index.CatchUpAsync(CancellationToken.None);
        Assert.Equal("19910408", index.Get(id)!.BirthDate);

        await mpi.Resources.DeleteAsync("Patient", id, null, MpiHarness.Context, CancellationToken.None);
        await index.CatchUpAsync(CancellationToken.None);
        Assert.Null(index.Get(id));
    }

    [Fact]
    public async Task Apply_AnOutboxPageOfVersionsItDoesNotHold_ReadsThemInOneCallAndKeepsTheNewest()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        Patient patient = Residents.Patient("Wang", "Ming", "1990-03-07", male: true);
        string kept = await mpi.CreateAsync(patient);
        string deleted = await mpi.CreateAsync(Residents.Patient("李", "明", "1985-12-01", male: false));
        patient.Id = kept;
        patient.BirthDate = "1991-04-08";
        await mpi.UpdateAsync(patient);
        await mpi.Resources.DeleteAsync("Patient", deleted, null, MpiHarness.Context, CancellationToken.None);
        (IFhirStore counted, CallCountingStore counter) = CallCountingStore.Wrap(mpi.Store);
        using var index = new PatientIndex(counted, TimeProvider.System, Options.Create(new MpiOptions()));
        IReadOnlyList<OutboxEvent> events = await mpi.Store.ReadOutboxAsync(OutboxPosition.Start, 1000, CancellationToken.None);

        await index.ApplyAsync(events, CancellationToken.None);

        Assert.Equal("19910408", index.Get(kept)!.BirthDate);
        Assert.Null(index.Get(deleted));
        Assert.Equal((0, 1, 4), (counter.SingleReads, counter.BatchReads, counter.BatchKeys));
    }

    [Fact]
    public async Task CatchUp_IndexLoadedAfterWrites_MatchesRecordOfParsedPatient()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        PatientIndex index = mpi.Services.GetRequiredService<PatientIndex>();
        Patient patient = Residents.Patient("李", "明", "1985-12-01", male: false, phone: "13800138000");
        string id = await mpi.CreateAsync(patient);

        await index.CatchUpAsync(CancellationToken.None);

        Assert.Equal(JsonSerializer.Serialize(index.Record(patient, id)), JsonSerializer.Serialize(index.Get(id)));
    }
}

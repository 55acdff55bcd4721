using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Mpi.Features.Linking;
using OpenHip.Modules.Mpi.Features.MatchPatient;

namespace OpenHip.Modules.Mpi.Features.Rebuild;

/// <summary>
/// Re-links every current Patient, oldest first, with the model fitted on the whole population as it is now (after a
/// model or threshold change). It holds the linking consumer's lease, so no node links meanwhile. Every
/// <see cref="MpiOptions.RebuildCheckpointEvery"/> Patients it stores how far it got in the store's durable state; a
/// rebuild started after a crash continues from there (re-linking the last few again is harmless: linking is
/// idempotent), and a finished one clears it.
/// </summary>
internal sealed class PopulationRebuilder(IFhirStore store, PatientIndex index, PatientLinker linker, IOptions<MpiOptions> options, TimeProvider time)
{
    public const string StateKey = "mpi-rebuild";

    public sealed record Report(long Linked, long ResumedAfter, TimeSpan Elapsed);

    public async Task<Report> RunAsync(TextWriter progress, Action<long>? afterEach, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(progress);
        IOutboxLease? lease = await store.TryLeaseAsync(LinkingConsumer.ConsumerName, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException("A node is linking right now (it holds the mpi-linking lease); run the rebuild when it is idle or stopped");
        await using (lease.ConfigureAwait(false))
        {
            var clock = Stopwatch.StartNew();
            (DateTimeOffset? since, long done) = Parse(await store.GetStateAsync(StateKey, ct).ConfigureAwait(false));
            long resumedAfter = done;
            if (since is not null)
            {
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"mpi rebuild: resuming after {done} Patients (from {since:O})")).ConfigureAwait(false);
            }

            await index.EnsureLoadedAsync(ct).ConfigureAwait(false);
            int total = index.Count;
            _ = index.Model();
            int every = options.Value.RebuildCheckpointEvery;
            long sinceStart = 0;
            await foreach (StoredResource patient in store.StreamCurrentAsync("Patient", since, null, ct).ConfigureAwait(false))
            {
                await linker.LinkAsync(patient.Id, ct).ConfigureAwait(false);
                done++;
                sinceStart++;
                afterEach?.Invoke(done);
                if (sinceStart % every == 0)
                {
                    await store.SetStateAsync(StateKey, Format(patient.LastUpdated, done), ct).ConfigureAwait(false);
                    double rate = sinceStart / Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
                    await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"mpi rebuild: {done}/{total} Patients linked ({rate:F0}/s)")).ConfigureAwait(false);
                }
            }

            await store.SetStateAsync(StateKey, null, ct).ConfigureAwait(false);
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"mpi rebuild: done, {done} Patients linked in {clock.Elapsed.TotalSeconds:F1} s at {time.GetUtcNow():O}")).ConfigureAwait(false);
            return new Report(done, resumedAfter, clock.Elapsed);
        }
    }

    /// <summary>"lastUpdated|count": where the stream resumes (inclusive) and how many were linked before.</summary>
    private static string Format(DateTimeOffset lastUpdated, long done) =>
        string.Create(CultureInfo.InvariantCulture, $"{lastUpdated.UtcTicks}|{done}");

    private static (DateTimeOffset? Since, long Done) Parse(string? state)
    {
        string[] parts = state?.Split('|') ?? [];
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long ticks)
            && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long done)
            ? (new DateTimeOffset(ticks, TimeSpan.Zero), done)
            : (null, 0);
    }
}

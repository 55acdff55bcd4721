using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Mpi.Features.MatchPatient;

namespace OpenHip.Modules.Mpi.Features.Linking;

/// <summary>
/// The MPI's outbox consumer: every Patient create, update, patch or delete is linked (<see cref="PatientLinker"/>),
/// the Patients of one outbox batch together in one changeset.
/// The engine runs it on one node at a time, in outbox order, at least once; the linker works from the stored state,
/// so a batch delivered again changes nothing. Person and Task writes (the MPI's own) are not Patient events, so the
/// consumer never reacts to itself.
/// </summary>
internal sealed class LinkingConsumer(PatientIndex index, PatientLinker linker, ILogger<LinkingConsumer> logger) : IOutboxConsumer
{
    public const string ConsumerName = "mpi-linking";

    public string Name => ConsumerName;

    public async Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);

        // Another node may have linked the events before these: its Patients must be in this node's index first.
        await index.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        string[] patients = [.. events.Where(e => e.Type == "Patient").Select(e => e.Id).Distinct(StringComparer.Ordinal)];
        if (patients.Length > 0)
        {
            await linker.LinkAsync(patients, cancellationToken).ConfigureAwait(false);
            MpiLog.Linked(logger, patients.Length, clock.ElapsedMilliseconds);
        }
    }
}

using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Surveillance.Domain.CaseDefinitions;
using OpenHip.Modules.Surveillance.Domain.Counting;

namespace OpenHip.Modules.Surveillance.Features.CaseDetection;

/// <summary>
/// Turns a batch of outbox events into new cases and count increments, committed as ONE changeset: every new case
/// (an EpisodeOfCare with a deterministic id) and every daily count it adds to (a MeasureReport, written at the version
/// read) land together or not at all. A batch handed over again finds its cases stored and adds nothing, so each event
/// has its effect exactly once; a count changed meanwhile fails the commit and the batch is planned again. The alerts
/// the new cases raise (<see cref="Alerts.AlertPlanner"/>) are written in the same changeset.
/// </summary>
internal sealed class CaseDetector(
    IFhirStore store,
    SearchService search,
    ResourceWriteFactory writes,
    ChangesetCommitter committer,
    EvidenceMatcher matcher,
    ResidentLookup residents,
    Alerts.AlertPlanner alerts,
    RegionTimeZone zone,
    IOptions<SurveillanceOptions> options,
    ILogger<CaseDetector> logger)
{
    public async Task<DetectionSummary> ProcessAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(events);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await ProcessOnceAsync(events, ct).ConfigureAwait(false);
            }
            catch (VersionConflictException) when (attempt < options.Value.MaxCommitAttempts)
            {
                SurveillanceLog.Conflict(logger, attempt);
            }
        }
    }

    private async Task<DetectionSummary> ProcessOnceAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        List<(CaseEvidence Evidence, string Reference)> found = await ScanAsync(events, ct).ConfigureAwait(false);
        if (found.Count == 0)
        {
            return new DetectionSummary(events.Count, 0, 0);
        }

        var plan = new BatchPlan();
        foreach ((CaseEvidence evidence, string reference) in found)
        {
            await PlanAsync(evidence, reference, plan, ct).ConfigureAwait(false);
        }

        if (plan.Cases.Count > 0)
        {
            await CommitAsync(plan, ct).ConfigureAwait(false);
        }

        return new DetectionSummary(events.Count, plan.Cases.Count, plan.Repeats);
    }

    /// <summary>The evidence in the batch, in outbox order; each event is read at the version it announces.</summary>
    private async Task<List<(CaseEvidence, string)>> ScanAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        var found = new List<(CaseEvidence, string)>();
        foreach (OutboxEvent e in events)
        {
            if (e.Method == WriteMethod.Delete || !matcher.Watches(e.Type))
            {
                continue;
            }

            StoredResource? stored = await store.ReadVersionAsync(e.Type, e.Id, e.VersionId, ct).ConfigureAwait(false);
            if (stored is null || stored.IsDeleted)
            {
                continue;
            }

            Resource resource = FhirCodec.ParseStored(stored.Json.Span);
            foreach (CaseEvidence evidence in matcher.Match(resource, stored.LastUpdated, zone.Zone))
            {
                found.Add((evidence, e.Type + "/" + e.Id));
            }
        }

        return found;
    }

    private async System.Threading.Tasks.Task PlanAsync(CaseEvidence evidence, string reference, BatchPlan plan, CancellationToken ct)
    {
        if (!plan.Residents.TryGetValue(evidence.PatientId, out Resident? resident))
        {
            resident = await residents.FindAsync(evidence.PatientId, ct).ConfigureAwait(false);
            plan.Residents[evidence.PatientId] = resident;
        }

        CaseDefinition definition = evidence.Definition;
        (string, string) episodesKey = (definition.Id, resident.Key);
        if (!plan.Episodes.TryGetValue(episodesKey, out List<DateOnly>? anchors))
        {
            anchors = await StoredAnchorsAsync(definition.Id, resident, ct).ConfigureAwait(false);
            plan.Episodes[episodesKey] = anchors;
        }

        // Same resident, same disease, within the episode window of a known case (either side: records arrive out of order).
        if (anchors.Any(a => Math.Abs(evidence.Date.DayNumber - a.DayNumber) < definition.EpisodeDays))
        {
            plan.Repeats++;
            return;
        }

        string caseId = SurveillanceIds.CaseId(definition.Id, resident.Key, evidence.Date);
        StoredResource? existing = await store.ReadCurrentAsync("EpisodeOfCare", caseId, ct).ConfigureAwait(false);
        if (existing is { IsDeleted: false })
        {
            plan.Repeats++;
            anchors.Add(evidence.Date);
            return;
        }

        Patient? patient = await PatientAsync(evidence.PatientId, plan, ct).ConfigureAwait(false);
        var key = new CountKey(
            definition.Id,
            AreaCode.CountyOf(DivisionCode(patient)),
            evidence.Date,
            AgeGroups.Of(BirthDate(patient), evidence.Date),
            patient?.Gender is { } gender ? gender.ToString().ToLowerInvariant() : "unknown");
        plan.Cases.Add((new DetectedCase(caseId, evidence, resident.Key, key, reference), existing?.VersionId ?? 0));
        plan.Deltas[key] = plan.Deltas.GetValueOrDefault(key) + 1;
        anchors.Add(evidence.Date);
    }

    private async Task<List<DateOnly>> StoredAnchorsAsync(string disease, Resident resident, CancellationToken ct)
    {
        SearchResult result = await search.SearchAsync(
            SearchScope.ForType("EpisodeOfCare"),
            [
                new("patient", string.Join(',', resident.PatientIds.Select(id => "Patient/" + id))),
                new("type", SurveillanceCodes.DiseaseSystem + "|" + disease),
                new("_count", "1000"),
            ],
            SearchHandling.Strict,
            AccessPolicy.Unrestricted,
            ct).ConfigureAwait(false);
        var anchors = new List<DateOnly>();
        foreach (StoredResource stored in result.Page.Resources)
        {
            if (FhirCodec.ParseStored(stored.Json.Span) is EpisodeOfCare episode && DetectedCase.AnchorOf(episode) is { } anchor)
            {
                anchors.Add(anchor);
            }
        }

        return anchors;
    }

    private async Task<Patient?> PatientAsync(string id, BatchPlan plan, CancellationToken ct)
    {
        if (!plan.Patients.TryGetValue(id, out Patient? patient))
        {
            StoredResource? stored = await store.ReadCurrentAsync("Patient", id, ct).ConfigureAwait(false);
            patient = stored is { IsDeleted: false } ? FhirCodec.ParseStored(stored.Json.Span) as Patient : null;
            plan.Patients[id] = patient;
        }

        return patient;
    }

    private async System.Threading.Tasks.Task CommitAsync(BatchPlan plan, CancellationToken ct)
    {
        FhirRequestContext writer = new(string.Empty, Who: "openhip-surveillance", Source: options.Value.WriterSource);
        var changes = new List<ResourceWrite>(plan.Cases.Count + plan.Deltas.Count);
        foreach ((DetectedCase detected, long version) in plan.Cases)
        {
            changes.Add(writes.ForUpsert(detected.ToResource(), detected.Id, version, version == 0 ? WriteMethod.Create : WriteMethod.Update, writer));
        }

        IReadOnlyList<Alerts.SurveillanceAlert> raised = await alerts.PlanAsync(
            [.. plan.Cases.Where(c => c.ExpectedVersion == 0).Select(c => new Alerts.PlannedCase(
                c.Case.Id, c.Case.Evidence.Definition.Id, c.Case.Evidence.Definition.Name, c.Case.Evidence.Definition.Priority == CasePriority.High, c.Case.Count.County, c.Case.Count.Day))],
            plan.Deltas,
            ct).ConfigureAwait(false);
        foreach (Alerts.SurveillanceAlert alert in raised)
        {
            // Create-only: an alert someone already acknowledged is never reset by a batch handed over again.
            changes.Add(writes.ForUpsert(alert.Signal, alert.Signal.Id!, 0, WriteMethod.Create, writer));
            changes.Add(writes.ForUpsert(alert.Work, alert.Work.Id!, 0, WriteMethod.Create, writer));
        }

        foreach ((CountKey key, int delta) in plan.Deltas.OrderBy(d => d.Key.ResourceId, StringComparer.Ordinal))
        {
            StoredResource? stored = await store.ReadCurrentAsync("MeasureReport", key.ResourceId, ct).ConfigureAwait(false);
            int current = stored is { IsDeleted: false } && FhirCodec.ParseStored(stored.Json.Span) is MeasureReport report && DailyCount.Read(report) is { } read ? read.Count : 0;
            long version = stored?.VersionId ?? 0;
            changes.Add(writes.ForUpsert(DailyCount.ToResource(key, current + delta), key.ResourceId, version, version == 0 ? WriteMethod.Create : WriteMethod.Update, writer));
        }

        await committer.CommitAsync(new Changeset(changes), ct).ConfigureAwait(false);
    }

    /// <summary>The GB/T 2260 code of the home address (else of any address that has one).</summary>
    internal static string? DivisionCode(Patient? patient)
    {
        if (patient is null)
        {
            return null;
        }

        IEnumerable<Address> ordered = patient.Address.OrderBy(a => a.Use == Address.AddressUse.Home ? 0 : 1);
        return ordered
            .Select(a => (a.GetExtensionValue<DataType>(SurveillanceCodes.DivisionCodeExtension) as PrimitiveType)?.ToString())
            .FirstOrDefault(c => !string.IsNullOrEmpty(c));
    }

    private static DateOnly? BirthDate(Patient? patient) =>
        patient?.BirthDate is { Length: >= 4 } text && DateOnly.TryParseExact(
            text.Length switch { 4 => text + "-01-01", 7 => text + "-01", _ => text[..10] },
            "yyyy-MM-dd",
            CultureInfo.InvariantCulture,
            DateTimeStyles.None,
            out DateOnly birth)
            ? birth
            : null;

    private sealed class BatchPlan
    {
        public Dictionary<string, Resident> Residents { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Patient?> Patients { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string Disease, string Resident), List<DateOnly>> Episodes { get; } = [];

        public List<(DetectedCase Case, long ExpectedVersion)> Cases { get; } = [];

        public Dictionary<CountKey, int> Deltas { get; } = [];

        public int Repeats { get; set; }
    }
}

/// <summary>What one batch did: events scanned, new cases, evidence that fell into known episodes.</summary>
internal sealed record DetectionSummary(int Events, int Cases, int Repeats);

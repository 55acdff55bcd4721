using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Events;
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
    Definitions.CaseDefinitionSource definitions,
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
        EvidenceMatcher matcher = (await definitions.CurrentAsync(ct).ConfigureAwait(false)).Matcher;
        List<(CaseEvidence Evidence, string Reference)> found = await ScanAsync(matcher, events, ct).ConfigureAwait(false);
        if (found.Count == 0)
        {
            return new DetectionSummary(events.Count, 0, 0);
        }

        var plan = new BatchPlan();
        foreach ((CaseEvidence evidence, string reference) in found)
        {
            await PlanAsync(evidence, reference, plan, ct).ConfigureAwait(false);
        }

        if (plan.Deltas.Count > 0)
        {
            await CommitAsync(plan, ct).ConfigureAwait(false);
        }

        return new DetectionSummary(events.Count, plan.Cases.Count, plan.Repeats);
    }

    /// <summary>The evidence in the batch, in outbox order; each event is read at the version it announces.</summary>
    private async Task<List<(CaseEvidence, string)>> ScanAsync(EvidenceMatcher matcher, IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        var found = new List<(CaseEvidence, string)>();
        OutboxEvent[] watched = [.. events.Where(e => e.Method != WriteMethod.Delete && matcher.Watches(e.Type))];
        IReadOnlyDictionary<VersionKey, StoredResource> versions = await OutboxVersions.ReadAsync(store, watched, ct).ConfigureAwait(false);
        foreach (OutboxEvent e in watched)
        {
            StoredResource? stored = versions.GetValueOrDefault(e.Version);
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
        if (!plan.Episodes.TryGetValue(episodesKey, out List<KnownEpisode>? episodes))
        {
            episodes = await StoredEpisodesAsync(definition.Id, resident, ct).ConfigureAwait(false);
            plan.Episodes[episodesKey] = episodes;
        }

        // Same resident, same disease, within the episode window of a known case (either side: records arrive out of order).
        KnownEpisode? known = episodes.FirstOrDefault(e => Math.Abs(evidence.Date.DayNumber - e.Anchor.DayNumber) < definition.EpisodeDays);
        string caseId = SurveillanceIds.CaseId(definition.Id, resident.Key, evidence.Date);
        StoredResource? existing = known is null ? await store.ReadCurrentAsync("EpisodeOfCare", caseId, ct).ConfigureAwait(false) : null;
        if (existing is { IsDeleted: false })
        {
            known = KnownEpisode.Of(existing);
            if (known is not null)
            {
                episodes.Add(known);
            }
        }

        if (known is not null)
        {
            plan.Repeats++;
            AddEvidence(known, evidence, reference, plan);
            return;
        }

        Patient? patient = await PatientAsync(evidence.PatientId, plan, ct).ConfigureAwait(false);
        var key = new CountKey(
            definition.Id,
            AreaCode.CountyOf(DivisionCode(patient)),
            evidence.Date,
            AgeGroups.Of(BirthDate(patient), evidence.Date),
            patient?.Gender is { } gender ? gender.ToString().ToLowerInvariant() : "unknown");
        var detected = new DetectedCase(caseId, evidence, resident.Key, key, reference);
        plan.Cases.Add(detected);
        string stream = CountStreams.Of(evidence.Basis);
        plan.Increment(key, detected, CountStreams.Cases);
        plan.Increment(key with { Stream = stream }, detected, stream);
        episodes.Add(new KnownEpisode(evidence.Date, [stream], key, Planned: detected, Stored: null) { DeletedVersion = existing?.VersionId ?? 0 });
    }

    /// <summary>A record of a kind of evidence the case does not have yet counts once in that evidence stream, on its own day.</summary>
    private static void AddEvidence(KnownEpisode known, CaseEvidence evidence, string reference, BatchPlan plan)
    {
        string stream = CountStreams.Of(evidence.Basis);
        if (!known.Streams.Add(stream))
        {
            return;
        }

        known.Added.Add((stream, reference));
        if (known.Stored is not null && known.Added.Count == 1)
        {
            plan.Updated.Add(known);
        }

        string caseId = known.Planned?.Id ?? known.Stored!.Id;
        CountKey key = known.Count with { Day = evidence.Date, Stream = stream };
        plan.Increment(key, caseId, evidence.Definition, stream);
    }

    private async Task<List<KnownEpisode>> StoredEpisodesAsync(string disease, Resident resident, CancellationToken ct)
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
        return [.. result.Page.Resources.Select(KnownEpisode.Of).OfType<KnownEpisode>()];
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
        var changes = new List<ResourceWrite>(plan.Cases.Count + plan.Updated.Count + plan.Deltas.Count);
        foreach (KnownEpisode planned in plan.Episodes.Values.SelectMany(e => e).Where(e => e.Planned is not null))
        {
            EpisodeOfCare episode = planned.Planned!.ToResource();
            planned.Added.ForEach(a => DetectedCase.AddEvidence(episode, a.Stream, a.Reference));
            long version = planned.DeletedVersion;
            changes.Add(writes.ForUpsert(episode, planned.Planned.Id, version, version == 0 ? WriteMethod.Create : WriteMethod.Update, writer));
        }

        foreach (KnownEpisode stored in plan.Updated)
        {
            var episode = (EpisodeOfCare)FhirCodec.ParseStored(stored.Stored!.Json.Span);
            stored.Added.ForEach(a => DetectedCase.AddEvidence(episode, a.Stream, a.Reference));
            changes.Add(writes.ForUpsert(episode, stored.Stored.Id, stored.Stored.VersionId, WriteMethod.Update, writer));
        }

        IReadOnlyList<Alerts.SurveillanceAlert> raised = await alerts.PlanAsync(plan.Increments, plan.Deltas, ct).ConfigureAwait(false);
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

    /// <summary>A case of the resident and disease, stored or new in this batch, with the evidence streams it counts in.</summary>
    private sealed record KnownEpisode(DateOnly Anchor, HashSet<string> Streams, CountKey Count, DetectedCase? Planned, StoredResource? Stored)
    {
        /// <summary>Evidence streams this batch adds, each by the record that first gave it.</summary>
        public List<(string Stream, string Reference)> Added { get; } = [];

        /// <summary>For a new case whose id names a deleted one: the version it replaces.</summary>
        public long DeletedVersion { get; init; }

        public static KnownEpisode? Of(StoredResource stored) =>
            FhirCodec.ParseStored(stored.Json.Span) is EpisodeOfCare episode && DetectedCase.Read(episode) is ({ } streams, { } count)
                ? new KnownEpisode(count.Day, streams, count, null, stored)
                : null;
    }

    private sealed class BatchPlan
    {
        public Dictionary<string, Resident> Residents { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Patient?> Patients { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string Disease, string Resident), List<KnownEpisode>> Episodes { get; } = [];

        public List<DetectedCase> Cases { get; } = [];

        /// <summary>Stored cases that gain an evidence stream.</summary>
        public List<KnownEpisode> Updated { get; } = [];

        public Dictionary<CountKey, int> Deltas { get; } = [];

        /// <summary>Every count increment, as the alert rules see it.</summary>
        public List<Alerts.PlannedCase> Increments { get; } = [];

        public int Repeats { get; set; }

        public void Increment(CountKey key, DetectedCase detected, string stream) =>
            Increment(key, detected.Id, detected.Evidence.Definition, stream);

        public void Increment(CountKey key, string caseId, CaseDefinition definition, string stream)
        {
            Deltas[key] = Deltas.GetValueOrDefault(key) + 1;
            Increments.Add(new Alerts.PlannedCase(caseId, definition.Id, definition.Name, definition.Priority == CasePriority.High, key.County, key.Day, stream));
        }
    }
}

/// <summary>What one batch did: events scanned, new cases, evidence that fell into known episodes.</summary>
internal sealed record DetectionSummary(int Events, int Cases, int Repeats);

using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Mpi.Domain.Matching;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Features.MatchPatient;

/// <summary>
/// Every current Patient of the store as a <see cref="BlockingIndex"/>, so that $match, the linker and PIXm never read
/// the whole population. Loaded from the store on first use (the outbox head is taken first, so a change committed
/// during the load is applied twice rather than missed), then kept current three ways: this node's commits at once
/// (<see cref="PatientIndexWriteHook"/>), every node's through the outbox (<see cref="PatientIndexObserver"/>), and
/// <see cref="CatchUpAsync"/> for callers that must see everything committed before they ask.
/// </summary>
internal sealed class PatientIndex(IFhirStore store, TimeProvider time, IOptions<MpiOptions> options) : IDisposable
{
    private const double GrowthBeforeRefit = 1.1;

    /// <summary>
    /// A young population also waits for this many new records between fits: refitting at every tenth of growth from
    /// 1,000 records on cost a quarter of the linking time of a 5,000-record region in EM runs that hardly moved.
    /// </summary>
    private const int MinimumGrowthBeforeRefit = 2000;

    /// <summary>Below this the estimates are the priors (cheap): no reason to wait.</summary>
    private const int PriorsBelow = 1000;

    /// <summary>Stored Patients parsed together while the load reads on.</summary>
    private const int LoadChunk = 1024;

    private readonly BlockingIndex _index = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly SemaphoreSlim _following = new(1, 1);
    private readonly Lock _modelGate = new();
    private volatile bool _loaded;
    private OutboxPosition _position = OutboxPosition.Start;
    private FieldProbabilities? _fitted;
    private int _fittedOn;
    private int _feedbackVersion = -1;
    private MatchModel? _model;
    private bool _refitting;

    public ReviewFeedback Feedback { get; } = new();

    public MatchThresholds Thresholds
    {
        get
        {
            MpiOptions o = options.Value;
            return new MatchThresholds(o.AutoLinkThreshold, o.ReviewThreshold, o.PossibleThreshold);
        }
    }

    public bool IsLoaded => _loaded;

    public int Count => _index.Count;

    public async Task EnsureLoadedAsync(CancellationToken ct)
    {
        if (_loaded)
        {
            return;
        }

        await _loading.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_loaded)
            {
                return;
            }

            _position = await store.ReadOutboxHeadAsync(ct).ConfigureAwait(false);

            // Parsing dominates the load: each chunk is parsed on every core while the next one is read, and applied
            // in stream order (the index ends exactly as when applied one by one).
            var chunk = new List<StoredResource>(LoadChunk);
            Task<PersonRecord?[]>? parsing = null;
            List<StoredResource>? parsingChunk = null;
            await foreach (StoredResource stored in store.StreamCurrentAsync("Patient", null, null, ct).ConfigureAwait(false))
            {
                chunk.Add(stored);
                if (chunk.Count == LoadChunk)
                {
                    await ApplyParsedAsync(parsingChunk, parsing).ConfigureAwait(false);
                    List<StoredResource> full = chunk;
                    parsingChunk = full;
                    parsing = Task.Run(() => RecordsOf(full), ct);
                    chunk = new List<StoredResource>(LoadChunk);
                }
            }

            await ApplyParsedAsync(parsingChunk, parsing).ConfigureAwait(false);
            ApplyParsed(chunk, RecordsOf(chunk));
            _loaded = true;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Applies every Patient change committed so far (on any node) that the index has not seen.</summary>
    public async Task CatchUpAsync(CancellationToken ct)
    {
        await EnsureLoadedAsync(ct).ConfigureAwait(false);
        await _following.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (true)
            {
                IReadOnlyList<OutboxEvent> events = await store.ReadOutboxAsync(_position, 1000, ct).ConfigureAwait(false);
                if (events.Count == 0)
                {
                    return;
                }

                await ApplyAsync(events, ct).ConfigureAwait(false);
                _position = events[^1].Position;
            }
        }
        finally
        {
            _following.Release();
        }
    }

    /// <summary>Applies the Patient changes among <paramref name="events"/>, the versions they announce in outbox order (the index keeps the newest).</summary>
    public Task ApplyAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(events);
        // A version this node applied when it committed it (the write hook) needs no second read; the others are read together.
        return OutboxVersions.ApplyAsync(store, events.Where(e => e.Type == "Patient"), e => _index.Holds(e.Id, e.VersionId), Apply, ct);
    }

    /// <summary>Applies one stored Patient version (a deletion removes it); older than what the index holds: ignored.</summary>
    public void Apply(StoredResource stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Type != "Patient")
        {
            return;
        }

        if (stored.IsDeleted)
        {
            _index.Remove(stored.Id, stored.VersionId);
        }
        else if (Record(stored) is { } record)
        {
            _index.Upsert(record, stored.VersionId);
        }
    }

    /// <summary>
    /// The records of stored Patient versions, read in parallel (null for a deletion or what is not a Patient), in
    /// the order given.
    /// </summary>
    public PersonRecord?[] RecordsOf(IReadOnlyList<StoredResource> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var records = new PersonRecord?[stored.Count];
        try
        {
            Parallel.For(0, stored.Count, i => records[i] = stored[i] is { IsDeleted: false, Type: "Patient" } s ? Record(s) : null);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // Fail as the one-by-one load did: with the parse error itself.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
        }

        return records;
    }

    /// <summary>Applies a Patient version whose record is already built (see <see cref="RecordsOf"/>).</summary>
    public void Apply(PersonRecord record, long versionId) => _index.Upsert(record, versionId);

    /// <summary>The record of a stored Patient version, read from its JSON (null when it is not a Patient).</summary>
    public PersonRecord? Record(StoredResource stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return PatientJsonDemographics.From(stored.Json) is { } demographics
            ? PersonRecordBuilder.Build(demographics with { Id = stored.Id }, Today())
            : null;
    }

    public PersonRecord Record(Patient patient, string? id = null) =>
        PersonRecordBuilder.Build(PatientDemographics.From(patient) with { Id = id ?? patient.Id ?? string.Empty }, Today());

    public PersonRecord? Get(string id) => _index.Get(id);

    public IReadOnlyList<BlockingIndex.Match> Match(PersonRecord query) => _index.Query(query, Model(), Thresholds);

    public double Score(PersonRecord a, PersonRecord b) => _index.Score(a, b, Model());

    /// <summary>The comparison pattern of two records (what a review decision teaches the model).</summary>
    public static ulong Pattern(PersonRecord a, PersonRecord b)
    {
        Span<byte> levels = stackalloc byte[FieldLevels.FieldCount];
        PairComparer.Compare(a, b, levels);
        return PairComparer.Pack(levels);
    }

    /// <summary>
    /// The model for the current population: m/u refitted by EM when the index has grown by a tenth (and by
    /// <see cref="MinimumGrowthBeforeRefit"/> records) since the last fit (estimates move slowly), with the reviewers' decisions folded in. Large populations are refitted in the background
    /// (<see cref="MpiOptions.BackgroundRefitFrom"/>). Each fit is on a bounded sample of candidate pairs, so it costs
    /// about the same at any population.
    /// </summary>
    public MatchModel Model()
    {
        lock (_modelGate)
        {
            int count = _index.Count;
            bool due = _fitted is null
                || (count >= _fittedOn * GrowthBeforeRefit && (_fittedOn < PriorsBelow || count - _fittedOn >= MinimumGrowthBeforeRefit));
            // From MpiOptions.BackgroundRefitFrom on, a fit takes seconds (EM on a bounded sample of candidate pairs, but
            // a pass over the records for random pairs), which no $match or linking batch should wait for: the old
            // estimates serve until the new ones are ready.
            if (due && (_fitted is null || count < options.Value.BackgroundRefitFrom))
            {
                _fitted = PopulationFit.Estimate(_index);
                _fittedOn = Math.Max(count, 1);
                _model = null;
            }
            else if (due && !_refitting)
            {
                _refitting = true;
                _ = Task.Run(() => Refit(count));
            }

            if (_feedbackVersion != Feedback.Version || _model is null)
            {
                _feedbackVersion = Feedback.Version;

                // Term frequencies come from the index itself, per value, so the model's own arrays stay empty.
                _model = new MatchModel(Feedback.Apply(_fitted!), [], []);
            }

            return _model;
        }
    }

    /// <summary>Whether a background refit is running (for tests and the benchmark).</summary>
    public bool IsRefitting
    {
        get
        {
            lock (_modelGate)
            {
                return _refitting;
            }
        }
    }

    /// <summary>Fits on a sample of the live index (see <see cref="PopulationFit.Estimate(BlockingIndex, int)"/>), which later writes may already have grown past <paramref name="count"/>.</summary>
    private void Refit(int count)
    {
        FieldProbabilities? fitted = null;
        try
        {
            fitted = PopulationFit.Estimate(_index);
        }
        finally
        {
            lock (_modelGate)
            {
                // A failed fit keeps the old estimates; the next call past the threshold tries again.
                if (fitted is not null)
                {
                    _fitted = fitted;
                    _fittedOn = Math.Max(count, 1);
                    _model = null;
                }

                _refitting = false;
            }
        }
    }

    public void Dispose()
    {
        _index.Dispose();
        _loading.Dispose();
        _following.Dispose();
    }

    private async Task ApplyParsedAsync(List<StoredResource>? stored, Task<PersonRecord?[]>? parsing)
    {
        if (stored is not null && parsing is not null)
        {
            ApplyParsed(stored, await parsing.ConfigureAwait(false));
        }
    }

    private void ApplyParsed(List<StoredResource> stored, PersonRecord?[] records)
    {
        for (int i = 0; i < stored.Count; i++)
        {
            if (stored[i].Type != "Patient")
            {
                continue;
            }

            if (stored[i].IsDeleted)
            {
                _index.Remove(stored[i].Id, stored[i].VersionId);
            }
            else if (records[i] is { } record)
            {
                _index.Upsert(record, stored[i].VersionId);
            }
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}

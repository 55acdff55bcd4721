using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Storage.Sqlite;
using OpenHip.Modules.Security.Features.Audit;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Benchmarks.Security;

/// <summary>
/// What the audit log costs a request on the hot path: the record as compact JSON, its SM3 link, the queue hop to the
/// group-commit writer and back. <c>Record*_InMemory</c> appends to a log that keeps nothing (pure CPU: one event at a
/// time, and 1,000 concurrent events grouped); <c>Record1000Concurrent_Sqlite</c> adds the real SQLite append with its
/// fsync, amortised over the group. <c>Record16ClosedLoop_Sqlite</c> is what a server under 16 closed-loop clients
/// sees: each of 16 callers records its next event only once its last is durable, so groups stay small.
/// <c>*_Journal</c> are the same through the node's journal (what a started server does): one file write and fsync per
/// group, and the move into SQLite inside the measured time (each iteration ends with a flush);
/// <c>*_JournalProcess</c> with <c>ReadDurability</c> Process (each caller appends its own record, the fsync follows);
/// <c>*_JournalProcessDiscarding</c> the same moved into a log that keeps nothing, which leaves the request's side alone
/// (<c>RecordOne_JournalProcessDiscarding</c>: one caller, the load driver's read).
/// The CPU per event is printed by cleanup for the SQLite cases and the journal cases apart: the process CPU time they
/// used divided by the events they recorded.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes the writers and the store")]
public class AuditLogBenchmarks
{
    private const int Concurrent = 1_000;
    private const int Callers = 16;
    private const int EventsPerCaller = 64;
    private const string Chain = "bench.0192f5a47b1e7c3d9a2b5e6f7a8b9c0d";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-bench-audit", Guid.NewGuid().ToString("n"));
    private readonly AuditRecord _record = new(
        DateTimeOffset.UtcNow, "read", "dr-zhang@clinic-12", "http://openhip.org/fhir/Organization/clinic-12",
        "Observation/0192f5a4-7b1e-7c3d-9a2b-5e6f7a8b9c0d", ["0192f5a4-1111-7c3d-9a2b-5e6f7a8b9c0d"], 200, "0HNQBHDDIK6L5:00000001");

    // What AuditGate records for the load driver's read (secure-mix): a system client's token from the loopback address.
    private readonly AuditRecord _serverRead = new(
        DateTimeOffset.UtcNow, "read", "bench-load", "urn:openhip:bench", "Patient/bench-0000190", ["bench-0000190"], 200, "0HNQDH6R1AI8D:00000001")
    {
        ClientId = "bench-load",
        NetworkAddress = "127.0.0.1",
    };

    // Reads of 20,000 different residents: each lands on its own place in the patient index, as in a real region.
    private readonly AuditRecord[] _residents;

    private AuditLogWriter _memory = null!;
    private AuditLogWriter _sqlite = null!;
    private AuditLogWriter _journal = null!;
    private AuditLogWriter _process = null!;
    private AuditLogWriter _processDiscarding = null!;
    private SqliteFhirStore _store = null!;
    private byte[] _payload = [];
    private byte[] _payloadVersion3 = [];
    private byte[] _serverReadPayload = [];
    private readonly byte[] _genesis = AuditRowHash.GenesisOf(Chain);
    private readonly byte[] _sixteenHashes = new byte[16 * AuditChainCrypto.HashSize];
    private ReadOnlyMemory<byte>[] _sixteenGeneses = [];
    private ReadOnlyMemory<byte>[] _sixteenPayloads = [];
    private readonly CpuTally _sqliteCpu = new("SQLite group commit");
    private readonly CpuTally _journalCpu = new("journal (fsync per group) and move into SQLite");
    private readonly CpuTally _processCpu = new("journal (ReadDurability Process: appended by the caller, fsync behind) and move into SQLite");
    private readonly CpuTally _processDiscardingCpu = new("journal (ReadDurability Process) moved into a log that keeps nothing");

    public AuditLogBenchmarks() =>
        _residents = [.. Enumerable.Range(0, 20_000).Select(n => _record with { Resource = $"Patient/bench-{n}", Patients = [$"bench-{n}"] })];

    [GlobalSetup]
    public void Setup()
    {
        var options = new AuditLogOptions { DataDirectory = _directory, NodeId = "bench", Lanes = 4 };
        _memory = new AuditLogWriter(new DiscardingAuditLog(), new AuditLanes(options), options, NullLogger<AuditLogWriter>.Instance);
        _store = SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(_directory, "openhip.db") }).GetAwaiter().GetResult();
        _sqlite = new AuditLogWriter(_store, new AuditLanes(options), options, NullLogger<AuditLogWriter>.Instance);
        var journaled = new AuditLogOptions { DataDirectory = _directory, NodeId = "bench-journal", Lanes = 4 };
        _journal = new AuditLogWriter(_store, new AuditLanes(journaled), journaled, NullLogger<AuditLogWriter>.Instance);
        _journal.StartJournalAsync(CancellationToken.None).GetAwaiter().GetResult();
        var process = new AuditLogOptions { DataDirectory = _directory, NodeId = "bench-process", Lanes = 4, ReadDurability = AuditReadDurability.Process };
        _process = new AuditLogWriter(_store, new AuditLanes(process), process, NullLogger<AuditLogWriter>.Instance);
        _process.StartJournalAsync(CancellationToken.None).GetAwaiter().GetResult();
        var discarding = new AuditLogOptions { DataDirectory = _directory, NodeId = "bench-discarding", Lanes = 4, ReadDurability = AuditReadDurability.Process };
        _processDiscarding = new AuditLogWriter(new DiscardingAuditLog(), new AuditLanes(discarding), discarding, NullLogger<AuditLogWriter>.Instance);
        _processDiscarding.StartJournalAsync(CancellationToken.None).GetAwaiter().GetResult();
        _payload = AuditPayload.Write(_record);
        _payloadVersion3 = [3, .. _payload.AsSpan(1)];
        _serverReadPayload = AuditPayload.Write(_serverRead);
        _sixteenGeneses = [.. Enumerable.Range(0, 16).Select(_ => (ReadOnlyMemory<byte>)_genesis)];
        _sixteenPayloads = [.. Enumerable.Range(0, 16).Select(_ => (ReadOnlyMemory<byte>)_serverReadPayload)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _memory.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _sqlite.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _journal.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _process.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _processDiscarding.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _sqliteCpu.Report();
        _journalCpu.Report();
        _processCpu.Report();
        _processDiscardingCpu.Report();

        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public byte[] Payload() => AuditPayload.Write(_record);

    [Benchmark]
    public byte[] ChainHash() => AuditRowHash.Compute(_genesis, Chain, 42, 1_767_225_600_000, _payload);

    [Benchmark]
    public byte[] Payload_ServerRead() => AuditPayload.Write(_serverRead);

    [Benchmark]
    public byte[] ChainHash_ServerRead() => AuditRowHash.Compute(_genesis, Chain, 42, 1_767_225_600_000, _serverReadPayload);

    // Sixteen such links at once, as the journal's mover chains a group's consecutive rows (per link).
    [Benchmark(OperationsPerInvoke = 16)]
    public byte[] ChainHash_ServerRead_SixteenLanes()
    {
        Sm3Lanes.Hash(_sixteenGeneses, _sixteenPayloads, _sixteenHashes);
        return _sixteenHashes;
    }

    // The link of rows written before version 4, with the chain id, sequence and time beside the payload.
    [Benchmark]
    public byte[] ChainHash_Version3() =>
        AuditRowHash.Compute(_genesis, Chain, 42, 1_767_225_600_000, _payloadVersion3);

    [Benchmark]
    public async Task RecordOne_InMemory() => await _memory.RecordAsync(_record, CancellationToken.None);

    [Benchmark]
    public async Task RecordOne_JournalProcessDiscarding() => await _processDiscarding.RecordAsync(_serverRead, CancellationToken.None);

    [Benchmark(OperationsPerInvoke = Concurrent)]
    public Task Record1000Concurrent_InMemory() => RecordConcurrentlyAsync(_memory);

    [Benchmark(OperationsPerInvoke = Concurrent)]
    public Task Record1000Concurrent_Sqlite() => _sqliteCpu.MeasureAsync(Concurrent, () => RecordConcurrentlyAsync(_sqlite));

    [Benchmark(OperationsPerInvoke = Callers * EventsPerCaller)]
    public Task Record16ClosedLoop_Sqlite() => _sqliteCpu.MeasureAsync(Callers * EventsPerCaller, () => RecordClosedLoopAsync(_sqlite));

    [Benchmark(OperationsPerInvoke = Concurrent)]
    public Task Record1000Concurrent_Journal() => _journalCpu.MeasureAsync(Concurrent, async () =>
    {
        await RecordConcurrentlyAsync(_journal);
        await _journal.FlushAsync(CancellationToken.None);
    });

    [Benchmark(OperationsPerInvoke = Callers * EventsPerCaller)]
    public Task Record16ClosedLoop_Journal() => _journalCpu.MeasureAsync(Callers * EventsPerCaller, async () =>
    {
        await RecordClosedLoopAsync(_journal);
        await _journal.FlushAsync(CancellationToken.None);
    });

    [Benchmark(OperationsPerInvoke = Callers * EventsPerCaller)]
    public Task Record16ClosedLoop_JournalProcess() => _processCpu.MeasureAsync(Callers * EventsPerCaller, async () =>
    {
        await RecordClosedLoopAsync(_process);
        await _process.FlushAsync(CancellationToken.None);
    });

    [Benchmark(OperationsPerInvoke = Callers * EventsPerCaller)]
    public Task Record16ClosedLoop_JournalProcessDiscarding() => _processDiscardingCpu.MeasureAsync(Callers * EventsPerCaller, async () =>
    {
        await RecordClosedLoopAsync(_processDiscarding);
        await _processDiscarding.FlushAsync(CancellationToken.None);
    });

    private Task RecordClosedLoopAsync(AuditLogWriter writer) =>
        Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < EventsPerCaller; i++)
            {
                await writer.RecordAsync(_residents[Random.Shared.Next(_residents.Length)], CancellationToken.None);
            }
        })));

    private Task RecordConcurrentlyAsync(AuditLogWriter writer)
    {
        var pending = new Task[Concurrent];
        for (int i = 0; i < pending.Length; i++)
        {
            pending[i] = writer.RecordAsync(_record, CancellationToken.None).AsTask();
        }

        return Task.WhenAll(pending);
    }

    /// <summary>Process CPU time (all threads) over the measured iterations of one kind of case, per event.</summary>
    private sealed class CpuTally(string name)
    {
        private TimeSpan _cpu;
        private long _events;

        public async Task MeasureAsync(int events, Func<Task> run)
        {
            TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
            await run();
            _cpu += Process.GetCurrentProcess().TotalProcessorTime - before;
            _events += events;
        }

        public void Report()
        {
            if (_events > 0)
            {
                Console.WriteLine($"// AuditLog: {name} used {_cpu.TotalMicroseconds / _events:F1} µs of process CPU per event ({_events} events)");
            }
        }
    }

    /// <summary>An audit log that keeps nothing: isolates the CPU of the hot path from the database.</summary>
    private sealed class DiscardingAuditLog : IAuditLog
    {
        public Task AppendAsync(IReadOnlyList<AuditRow> rows, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<StoredAuditRow?> ReadAuditAsync(long id, CancellationToken cancellationToken) => Task.FromResult<StoredAuditRow?>(null);

        public Task<AuditPage> SearchAuditAsync(AuditQuery query, CancellationToken cancellationToken) => Task.FromResult(new AuditPage([], null));

        public IAsyncEnumerable<StoredAuditRow> StreamChainAsync(string chainId, CancellationToken cancellationToken) => AsyncEnumerable.Empty<StoredAuditRow>();

        public Task<IReadOnlyList<AuditPatientEntry>> ReadPatientEntriesAsync(IReadOnlyList<(string Patient, long Id)> keys, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<AuditPatientEntry>>([]);

        public Task<long> CountPatientEntriesAsync(CancellationToken cancellationToken) => Task.FromResult(0L);

        public Task<IReadOnlyList<AuditChainHead>> ListChainsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<AuditChainHead>>([]);

        public Task AppendCheckpointAsync(AuditCheckpointRow checkpoint, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<AuditCheckpointRow>> ReadCheckpointsAsync(string? node, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<AuditCheckpointRow>>([]);
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OpenHip.Fhir.Faults;
using Xunit.Abstractions;

namespace OpenHip.Tests.Durability.Faults;

/// <summary>
/// Rounds of crash and restart on one store with authorization, the audit log and field encryption on: each round
/// starts the server (armed with a fault point or not), lets clients write, and ends with the server dead, killed
/// from outside or by its fault point. After each death the tables are checked directly; after each unarmed restart
/// the writes are read back over HTTP and `openhip audit verify` must pass.
/// </summary>
internal sealed class FaultRun(FaultStore store, ITestOutputHelper output)
{
    /// <summary>Rounds per store; raise it (e.g. in a nightly run) for more kills.</summary>
    public const string RoundsVariable = "OPENHIP_FAULT_ROUNDS";

    // 18 rounds kill 22 processes per store: every round's server, plus a start inside a migration and three key rotations.
    private const int DefaultRounds = 18;
    private const int Clients = 4;
    private const string ClientId = "fault-client";
    private const string KilledBySignal = "fault injection: killing the process at ";

    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DeathWithin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommandWithin = TimeSpan.FromSeconds(60);

    private readonly string _secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private readonly FaultWorkload _workload = new();
    private readonly Dictionary<FaultPlan, int> _deaths = [];
    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal)
    {
        // Checkpoints ten times a second, so that the checkpoint-signing point is reached within a short burst.
        ["OPENHIP__Security__Audit__CheckpointInterval"] = "00:00:00.100",
        // The workload's identifiers are encrypted at rest, so a kill during key rotation has data under both keys.
        ["OPENHIP__Security__FieldEncryption__Kek"] = "00112233445566778899aabbccddeeff",
        ["OPENHIP__Security__FieldEncryption__Systems__0"] = FaultWorkload.IdentifierSystem,
        ["OPENHIP__Security__FieldEncryption__KeyRefreshSeconds"] = "1",
        // MPI linking would commit a Person per Patient in the background: armed points would fire on its catch-up at
        // start rather than under the clients' writes.
        ["OPENHIP__Modules__Mpi__LinkOnWrite"] = "false",
    };

    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private long _auditedAfterSeq;
    private int _checkedThroughRound;
    private int _inFlightAtKills;
    private bool _rotated;

    /// <summary>Processes killed: servers (from outside or at a fault point) and `keys rotate` runs at theirs.</summary>
    public int Kills { get; private set; }

    public static int Rounds =>
        int.TryParse(Environment.GetEnvironmentVariable(RoundsVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int rounds) && rounds >= 3
            ? rounds
            : DefaultRounds;

    public async Task RunAsync(int rounds, int seed)
    {
        var random = new Random(seed);
        (int added, string addOutput) = await CommandAsync(
            ["auth", "client", "add", ClientId, "--secret", _secret, "--grant", "client_credentials", "--scope", "system/*.cruds", "--source", "urn:oid:1.2.3"]);
        Assert.True(added == 0, addOutput);

        for (int round = 1; round <= rounds; round++)
        {
            FaultPlan plan = FaultPlans.For(round);
            if (plan == FaultPlan.Migration)
            {
                await InterruptMigrationAsync();
            }

            string? point = plan.ServerPoint();
            using OpenHipProcess server = point is null
                ? await OpenHipProcess.StartAsync(store.DataDirectory, ReadyWithin, store.StoreArguments, auth: true, _settings)
                : OpenHipProcess.Serve(store.DataDirectory, store.StoreArguments, auth: true, Armed(point, point == FaultPoints.CheckpointSigning ? random.Next(1, 4) : random.Next(5, 30)));
            if (point is null)
            {
                await CheckRestartedAsync(server, round);
            }

            int acknowledged = _workload.Acknowledged;
            await BurstAsync(server, plan, round, random);
            Kills++;
            _deaths[plan] = _deaths.GetValueOrDefault(plan) + 1;
            output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s {store.Name} round {round} ({plan}): {_workload.Acknowledged - acknowledged} writes acknowledged, {_workload.Acknowledged} of {_workload.Attempted} so far");
            await CheckTablesAsync(round);
        }

        using OpenHipProcess last = await OpenHipProcess.StartAsync(store.DataDirectory, ReadyWithin, store.StoreArguments, auth: true, _settings);
        _checkedThroughRound = 0;
        await CheckRestartedAsync(last, rounds + 1);

        Assert.True(_inFlightAtKills > 0, "no request was in flight at any random kill");
        Assert.All(Enum.GetValues<FaultPlan>().Where(p => rounds >= 8 || p == FaultPlan.RandomKill), p => Assert.True(_deaths.GetValueOrDefault(p) > 0, $"no round ended by {p}"));
        Assert.True(_workload.Acknowledged >= rounds * 5, $"only {_workload.Acknowledged} writes acknowledged in {rounds} rounds");
        Assert.True(_workload.AcknowledgedReads.Count >= rounds, $"only {_workload.AcknowledgedReads.Count} reads answered in {rounds} rounds");
    }

    /// <summary>Writes until the round's death: a kill from outside, or the armed point firing.</summary>
    private async Task BurstAsync(OpenHipProcess server, FaultPlan plan, int round, Random random)
    {
        if (plan.ServerPoint() is { } point)
        {
            // The point may fire while the server starts (the outbox consumers commit too): that is its death as well.
            _workload.DeathExpected = true;
            try
            {
                if (await server.WaitReadyOrExitAsync(ReadyWithin))
                {
                    await WriteUntilAsync(server, round, () => server.HasExited, $"{point} was not reached");
                }
            }
            catch (HttpRequestException)
            {
                // It died while the client was getting its token; had it not, the wait for its death below fails.
            }

            int exit = await server.WaitForExitAsync(DeathWithin);
            Assert.True(server.RecentOutput.Contains(KilledBySignal + point, StringComparison.Ordinal), $"round {round}: the server died (exit {exit}) but not at {point}:{Environment.NewLine}{server.RecentOutput}");
            _workload.DeathExpected = false;
            return;
        }

        int killAt = _workload.Acknowledged + random.Next(10, 40);
        Func<Task>? rotate = plan != FaultPlan.KeyRotation ? null : async () =>
        {
            if (!_rotated && _workload.Acknowledged >= killAt - 5)
            {
                _rotated = true;
                await RotateKeysAsync();
            }
        };
        await WriteUntilAsync(server, round, () => _workload.Acknowledged >= killAt && _workload.InFlight > 0, "too few writes were acknowledged", rotate);
    }

    private async Task WriteUntilAsync(OpenHipProcess server, int round, Func<bool> done, string failure, Func<Task>? meanwhile = null)
    {
        using var stop = new CancellationTokenSource();
        using HttpClient http = await ClientAsync(server);
        _rotated = false;
        // One client while `keys rotate` runs: its two process starts take seconds, and four clients would fill them with writes.
        Task[] clients = _workload.Start(http, meanwhile is null ? Clients : 1, round, stop.Token);
        DateTime deadline = DateTime.UtcNow + DeathWithin;
        while (!done())
        {
            Assert.True(_workload.Unexpected.Count == 0, $"round {round}: {string.Join(Environment.NewLine, _workload.Unexpected)}{Environment.NewLine}{server.RecentOutput}");
            Assert.True(DateTime.UtcNow < deadline, $"round {round}: {failure} within {DeathWithin}:{Environment.NewLine}{server.RecentOutput}");
            if (meanwhile is not null)
            {
                await meanwhile();
            }

            await Task.Delay(10);
        }

        // Kill first and stop the clients after, so that requests in flight are cut off rather than allowed to finish.
        _workload.DeathExpected = true;
        if (!server.HasExited)
        {
            _inFlightAtKills += _workload.InFlight;
            await server.KillAsync();
        }

        await stop.CancelAsync();
        await Task.WhenAll(clients);
        _workload.DeathExpected = false;
        Assert.True(_workload.Unexpected.Count == 0, $"round {round}: {string.Join(Environment.NewLine, _workload.Unexpected)}{Environment.NewLine}{server.RecentOutput}");
    }

    /// <summary>A rotation killed between storing the new data key and making it current, then one that completes.</summary>
    private async Task RotateKeysAsync()
    {
        (int killed, string killedOutput) = await CommandAsync(["keys", "rotate"], Armed(FaultPoints.KeyRotation, 1));
        Assert.True(killed != 0 && killedOutput.Contains(KilledBySignal + FaultPoints.KeyRotation, StringComparison.Ordinal), $"keys rotate exited {killed}:{Environment.NewLine}{killedOutput}");
        Kills++;
        (int rotated, string rotatedOutput) = await CommandAsync(["keys", "rotate"], _settings);
        Assert.True(rotated == 0 && rotatedOutput.Contains("is now current", StringComparison.Ordinal), $"keys rotate after the killed one exited {rotated}:{Environment.NewLine}{rotatedOutput}");
    }

    /// <summary>Turns the database into an older release's and starts the server on it armed to die inside the migration.</summary>
    private async Task InterruptMigrationAsync()
    {
        await store.UndoAuditMigrationAsync();
        _auditedAfterSeq = await store.LastSeqAsync();
        using OpenHipProcess starting = OpenHipProcess.Serve(store.DataDirectory, store.StoreArguments, auth: true, Armed(FaultPoints.Migration, 1));
        await starting.WaitForExitAsync(ReadyWithin);
        Assert.Contains(KilledBySignal + FaultPoints.Migration, starting.RecentOutput, StringComparison.Ordinal);
        Kills++;
        _deaths[FaultPlan.Migration] = 1;
        Assert.DoesNotContain(store.AuditMigrationVersion, await store.AppliedMigrationsAsync());
    }

    /// <summary>After an unarmed restart: the writes since the last such check read back, and the audit log verifies.</summary>
    private async Task CheckRestartedAsync(OpenHipProcess server, int round)
    {
        output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s {store.Name} round {round}: restarted");
        await AuditVerifiesAsync(round);
        Assert.Contains(store.AuditMigrationVersion, await store.AppliedMigrationsAsync());

        // Reads answered before a kill were audited through the node's journal; its start moved what was left there.
        HashSet<string> readAudited = await store.ReadAuditedResourcesAsync();
        string[] unaudited = [.. _workload.AcknowledgedReads.Where(r => !readAudited.Contains(r))];
        Assert.True(unaudited.Length == 0, $"{store.Name} after the restart of round {round}: {unaudited.Length} of {_workload.AcknowledgedReads.Count} answered reads without an audit record, e.g. {string.Join(", ", unaudited.Take(10))}");
        using HttpClient http = await ClientAsync(server);
        IReadOnlyList<string> failures = await FaultWorkload.VerifyAsync(http, _workload.Writes.Where(w => w.Round > _checkedThroughRound));
        Assert.True(failures.Count == 0, $"{store.Name} after the restart of round {round}: {failures.Count} problems:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(20))}");
        _checkedThroughRound = round - 1;
    }

    /// <summary>`openhip audit verify` exits 0 against the restarted (live) server, the witness it recovered included.</summary>
    private async Task AuditVerifiesAsync(int round)
    {
        (int exit, string verified) = await CommandAsync(["audit", "verify"]);
        Assert.True(exit == 0, $"{store.Name} round {round}: openhip audit verify exited {exit}:{Environment.NewLine}{verified}");
    }

    /// <summary>Right after a death, from the tables themselves: nothing orphaned, lost, half written or unaudited.</summary>
    private async Task CheckTablesAsync(int round)
    {
        string when = $"{store.Name} after round {round}";
        Assert.Null(await store.IntegrityProblemAsync());
        IReadOnlyList<string> orphans = await store.OrphanRowsAsync();
        Assert.True(orphans.Count == 0, $"{when}: {string.Join("; ", orphans)}");
        IReadOnlyList<string> unindexed = await store.UnindexedAsync("Patient", "Observation");
        Assert.True(unindexed.Count == 0, $"{when}: live but not indexed: {string.Join(", ", unindexed.Take(10))}");

        HashSet<string> live = await store.LiveResourcesAsync();
        string[] lost = [.. _workload.AcknowledgedResources().Where(r => !live.Contains(r))];
        Assert.True(lost.Length == 0, $"{when}: acknowledged but gone: {string.Join(", ", lost.Take(10))}");
        string[] half = [.. _workload.Writes.Where(w => w.IsBundle && w.ObservationIds.Count(id => live.Contains($"Observation/{id}")) is not 0 and not 2).Select(w => $"write {w.Number}")];
        Assert.True(half.Length == 0, $"{when}: half-written transactions: {string.Join(", ", half.Take(10))}");

        // Every change committed since the audit log exists has its record, acknowledged or not (they commit together).
        HashSet<string> audited = await store.AuditedResourcesAsync();
        string[] unaudited = [.. (await store.VersionsAfterAsync(_auditedAfterSeq)).Where(v => !audited.Contains(v))];
        Assert.True(unaudited.Length == 0, $"{when}: {unaudited.Length} changes without an audit record, e.g. {string.Join(", ", unaudited.Take(10))}");
    }

    private Dictionary<string, string> Armed(string point, int after) => new(_settings, StringComparer.Ordinal)
    {
        [FaultInjection.PointVariable] = point,
        [FaultInjection.AfterVariable] = after.ToString(CultureInfo.InvariantCulture),
        // Held there a moment before the kill, so that an answer let out too early (before COMMIT) would reach a client.
        [FaultInjection.LingerVariable] = "100",
    };

    private Task<(int Exit, string Output)> CommandAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        OpenHipProcess.RunAsync(store.DataDirectory, [.. arguments, "--data-dir", store.DataDirectory, .. store.StoreArguments], CommandWithin, environment ?? _settings);

    private async Task<HttpClient> ClientAsync(OpenHipProcess server)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Root + "/auth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "system/*.cruds" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"{ClientId}:{_secret}")));
        using HttpResponseMessage response = await http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"token: {(int)response.StatusCode} {body}");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonNode.Parse(body)!["access_token"]!.GetValue<string>());
        return http;
    }
}

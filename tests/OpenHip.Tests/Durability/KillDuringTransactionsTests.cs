using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OpenHip.Tests.Http;
using Xunit.Abstractions;

namespace OpenHip.Tests.Durability;

/// <summary>
/// Issue 2's durability promise: every acknowledged write survives kill -9, and no transaction is ever half visible
/// after a restart. Several clients stream transaction Bundles at a real `openhip serve` process, which is SIGKILLed
/// while requests are in flight, restarted on the same data directory and checked; three rounds on one database.
/// </summary>
[Trait("Category", "Heavy")]
public sealed class KillDuringTransactionsTests(ITestOutputHelper output) : IDisposable
{
    private const int Rounds = 3;
    private const int Clients = 4;
    private const int ResourcesPerTransaction = 5;
    private const int Seed = 20_260_502;
    private const string IdentifierSystem = "http://openhip.test/sid/durability";

    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan KillPointWithin = TimeSpan.FromSeconds(30);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("n"));

    // Every transaction a client began sending, and the patient id of those the server acknowledged with 200.
    private readonly ConcurrentDictionary<int, bool> _attempted = new();
    private readonly ConcurrentDictionary<int, string> _acknowledged = new();
    private readonly ConcurrentQueue<string> _unexpected = new();
    private int _nextTransaction;
    private int _inFlight;

    // Set just before SIGKILL: from then on a failed request is the kill's doing, not a bug.
    private volatile bool _killIssued;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory does not affect results.
        }
    }

    [Fact]
    public async Task KillNine_DuringConcurrentTransactions_AcknowledgedSurviveAndNoneIsHalfWritten()
    {
        Directory.CreateDirectory(_dataDirectory);
        var random = new Random(Seed);
        int inFlightAtKills = 0;
        for (int round = 1; round <= Rounds; round++)
        {
            using OpenHipProcess server = await OpenHipProcess.StartAsync(_dataDirectory, ReadyWithin);
            await VerifyAsync(server, $"before round {round}");

            int killAfter = _acknowledged.Count + random.Next(15, 60);
            using var killing = new CancellationTokenSource();
            using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
            Task[] clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(() => StreamTransactionsAsync(http, killing.Token))).ToArray();

            await WaitForKillPointAsync(server, killAfter, clients);

            // Kill first and stop the clients after, so requests in flight are cut off rather than allowed to finish.
            _killIssued = true;
            int inFlightAtKill = Volatile.Read(ref _inFlight);
            await server.KillAsync();
            killing.Cancel();
            await Task.WhenAll(clients);
            _killIssued = false;
            inFlightAtKills += inFlightAtKill;
            output.WriteLine($"round {round}: killed with {inFlightAtKill} in flight; {_acknowledged.Count} acknowledged of {_attempted.Count} attempted so far");

            Assert.True(_unexpected.IsEmpty, $"round {round}: {string.Join(Environment.NewLine, _unexpected)}{Environment.NewLine}{server.RecentOutput}");
            AssertDatabaseIntact(round);
        }

        using OpenHipProcess last = await OpenHipProcess.StartAsync(_dataDirectory, ReadyWithin);
        await VerifyAsync(last, "after the last round");
        Assert.True(_acknowledged.Count >= Rounds * 15);
        Assert.True(inFlightAtKills > 0, "no request was in flight at any kill");
    }

    /// <summary>One client: transaction after transaction until the kill; a failure before the kill is a bug.</summary>
    private async Task StreamTransactionsAsync(HttpClient http, CancellationToken killing)
    {
        while (!killing.IsCancellationRequested)
        {
            int i = Interlocked.Increment(ref _nextTransaction);
            _attempted[i] = true;
            Interlocked.Increment(ref _inFlight);
            try
            {
                using HttpResponseMessage response = await http.PostAsync(string.Empty, ServerFixture.Json(TransactionBundle(i)), CancellationToken.None);
                string body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    _unexpected.Enqueue($"transaction {i}: {(int)response.StatusCode} {body}");
                    return;
                }

                _acknowledged[i] = InDoubtWrites.FirstPatientId(body);
            }
            catch (Exception e) when (InDoubtWrites.IsCutOff(e))
            {
                // In doubt: the kill cut this request off. Only a failure before the kill is unexpected.
                if (!_killIssued)
                {
                    _unexpected.Enqueue($"transaction {i}: {e.GetType().Name} {e.Message}");
                }

                return;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private async Task WaitForKillPointAsync(OpenHipProcess server, int killAfter, Task[] clients)
    {
        DateTime deadline = DateTime.UtcNow + KillPointWithin;
        while (_acknowledged.Count < killAfter || Volatile.Read(ref _inFlight) == 0)
        {
            Assert.True(_unexpected.IsEmpty, $"{string.Join(Environment.NewLine, _unexpected)}{Environment.NewLine}{server.RecentOutput}");
            Assert.False(clients.All(c => c.IsCompleted), "every client stopped before the kill");
            Assert.True(DateTime.UtcNow < deadline, $"only {_acknowledged.Count} of {killAfter} transactions acknowledged within {KillPointWithin}");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Transaction i: a POSTed Patient (urn:uuid) and K Observations PUT with client ids t{i}-{k}, each pointing at
    /// the Patient, so that after a restart the Observations and the Patient witness each other.
    /// </summary>
    private static string TransactionBundle(int i)
    {
        string patientUrn = $"urn:uuid:{Guid.NewGuid()}";
        var entries = new JsonArray
        {
            new JsonObject
            {
                ["fullUrl"] = patientUrn,
                ["resource"] = new JsonObject
                {
                    ["resourceType"] = "Patient",
                    ["identifier"] = new JsonArray { new JsonObject { ["system"] = IdentifierSystem, ["value"] = $"t{i}" } },
                },
                ["request"] = new JsonObject { ["method"] = "POST", ["url"] = "Patient" },
            },
        };
        for (int k = 0; k < ResourcesPerTransaction; k++)
        {
            string id = ObservationId(i, k);
            entries.Add(new JsonObject
            {
                ["resource"] = new JsonObject
                {
                    ["resourceType"] = "Observation",
                    ["id"] = id,
                    ["identifier"] = new JsonArray { new JsonObject { ["system"] = IdentifierSystem, ["value"] = id } },
                    ["status"] = "final",
                    ["code"] = new JsonObject { ["text"] = "durability probe" },
                    ["subject"] = new JsonObject { ["reference"] = patientUrn },
                    ["valueInteger"] = ProbeValue(i, k),
                },
                ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = $"Observation/{id}" },
            });
        }

        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries }.ToJsonString();
    }

    private static string ObservationId(int i, int k) => string.Create(CultureInfo.InvariantCulture, $"t{i}-{k}");

    private static int ProbeValue(int i, int k) => (i * 10) + k;

    /// <summary>Every acknowledged transaction is complete and correct; every attempted one is all or nothing.</summary>
    private async Task VerifyAsync(OpenHipProcess server, string when)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/") };
        var failures = new ConcurrentQueue<string>();
        int committedInDoubt = 0;
        await Parallel.ForEachAsync(_attempted.Keys, new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (i, ct) =>
        {
            string? acknowledgedPatient = _acknowledged.TryGetValue(i, out string? id) ? id : null;
            var subjects = new HashSet<string>(StringComparer.Ordinal);
            int present = 0;
            for (int k = 0; k < ResourcesPerTransaction; k++)
            {
                using HttpResponseMessage response = await http.GetAsync($"Observation/{ObservationId(i, k)}", ct);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    continue;
                }

                string body = await response.Content.ReadAsStringAsync(ct);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Enqueue($"Observation/{ObservationId(i, k)}: {(int)response.StatusCode} {body}");
                    continue;
                }

                present++;
                JsonNode observation = JsonNode.Parse(body)!;
                subjects.Add(observation["subject"]?["reference"]?.GetValue<string>() ?? "(none)");
                if (observation["id"]?.GetValue<string>() != ObservationId(i, k)
                    || observation["identifier"]?[0]?["value"]?.GetValue<string>() != ObservationId(i, k)
                    || observation["valueInteger"]?.GetValue<int>() != ProbeValue(i, k)
                    || observation["meta"]?["versionId"]?.GetValue<string>() != "1")
                {
                    failures.Enqueue($"Observation/{ObservationId(i, k)} has the wrong content: {body}");
                }
            }

            if (present != 0 && present != ResourcesPerTransaction)
            {
                failures.Enqueue($"transaction {i} is half written: {present} of {ResourcesPerTransaction} Observations");
            }
            else if (acknowledgedPatient is not null && present == 0)
            {
                failures.Enqueue($"transaction {i} was acknowledged but is lost");
            }
            else if (present == ResourcesPerTransaction)
            {
                if (acknowledgedPatient is null)
                {
                    Interlocked.Increment(ref committedInDoubt);
                }

                await VerifyPatientAsync(http, i, acknowledgedPatient, subjects, failures, ct);
            }
        });

        output.WriteLine($"{when}: {committedInDoubt} of {_attempted.Count - _acknowledged.Count} unacknowledged transactions had committed");
        Assert.True(failures.IsEmpty, $"{when}: {failures.Count} problems, first ones:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(20))}");
    }

    private static async Task VerifyPatientAsync(HttpClient http, int i, string? acknowledgedPatient, HashSet<string> subjects, ConcurrentQueue<string> failures, CancellationToken ct)
    {
        if (subjects.Count != 1 || !subjects.Single().StartsWith("Patient/", StringComparison.Ordinal))
        {
            failures.Enqueue($"transaction {i}: Observation subjects {string.Join(", ", subjects)}");
            return;
        }

        string subject = subjects.Single();
        if (acknowledgedPatient is not null && subject != $"Patient/{acknowledgedPatient}")
        {
            failures.Enqueue($"transaction {i}: subject {subject}, acknowledged Patient/{acknowledgedPatient}");
        }

        using HttpResponseMessage response = await http.GetAsync(subject, ct);
        string body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            failures.Enqueue($"transaction {i}: its Observations exist but {subject} answers {(int)response.StatusCode}");
        }
        else if (JsonNode.Parse(body)!["identifier"]?[0]?["value"]?.GetValue<string>() != $"t{i}")
        {
            failures.Enqueue($"transaction {i}: {subject} has the wrong content: {body}");
        }
    }

    /// <summary>SQLite's own check of the file the killed server left behind (this also replays its WAL).</summary>
    private void AssertDatabaseIntact(int round)
    {
        string database = Path.Combine(_dataDirectory, "openhip.db");
        Assert.True(File.Exists(database), $"round {round}: {database} is missing");
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadWrite;Pooling=False");
        connection.Open();
        using SqliteCommand check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", check.ExecuteScalar() as string);
    }
}

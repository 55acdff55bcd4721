using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Tests.Http;

namespace OpenHip.Tests.Durability.Faults;

/// <summary>
/// The writes of a fault run and what became of each: concurrent clients alternate transaction Bundles (a Patient and
/// Observations with fixed ids that point at it) and plain creates, every resource with its own identifier, so that
/// after a crash each write can be found again and judged: acknowledged ones complete, the others all or nothing.
/// </summary>
internal sealed class FaultWorkload
{
    public const string IdentifierSystem = "http://openhip.test/sid/fault";
    private const int ObservationsPerBundle = 2;

    private readonly ConcurrentDictionary<int, FaultWrite> _writes = new();
    private readonly ConcurrentQueue<string> _unexpected = new();
    private readonly ConcurrentBag<string> _reads = [];
    private int _next;
    private int _inFlight;

    public int Attempted => _writes.Count;

    public int Acknowledged => _writes.Values.Count(w => w.Acknowledged);

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Answers the server should not have given (an error status, or a dropped connection before any kill).</summary>
    public IReadOnlyCollection<string> Unexpected => _unexpected;

    /// <summary>Set from the moment the server may die: a dropped connection is then the crash's doing, not a bug.</summary>
    public bool DeathExpected { get; set; }

    public IEnumerable<FaultWrite> Writes => _writes.Values;

    /// <summary>Starts <paramref name="clients"/> writers in round <paramref name="round"/>; they stop at a dropped connection or on <paramref name="stop"/>.</summary>
    public Task[] Start(HttpClient http, int clients, int round, CancellationToken stop) =>
        [.. Enumerable.Range(0, clients).Select(_ => Task.Run(() => WriteUntilStoppedAsync(http, round, stop), CancellationToken.None))];

    /// <summary>"Type/id" of every resource the server answered a read of with 200 (each must have its audit record).</summary>
    public IReadOnlyCollection<string> AcknowledgedReads => _reads;

    /// <summary>"Type/id" of every resource the server acknowledged.</summary>
    public IEnumerable<string> AcknowledgedResources() => Writes.Where(w => w.Acknowledged).SelectMany(w => w.Resources());

    /// <summary>Reads every write of <paramref name="writes"/> back over HTTP and reports what is lost, half written or wrong.</summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(HttpClient http, IEnumerable<FaultWrite> writes)
    {
        var failures = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(writes, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (write, ct) =>
        {
            if (write.IsBundle)
            {
                await VerifyBundleAsync(http, write, failures, ct);
            }
            else if (write.Acknowledged)
            {
                await VerifyPatientAsync(http, write, $"Patient/{write.PatientId}", failures, ct);
            }
        });
        return [.. failures];
    }

    private async Task WriteUntilStoppedAsync(HttpClient http, int round, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            int number = Interlocked.Increment(ref _next);
            var write = new FaultWrite(number, number % 2 == 0, round);
            _writes[number] = write;
            Interlocked.Increment(ref _inFlight);
            try
            {
                using HttpResponseMessage response = write.IsBundle
                    ? await http.PostAsync(string.Empty, ServerFixture.Json(Bundle(write)), CancellationToken.None)
                    : await http.PostAsync("Patient", ServerFixture.Json(Patient(write.Identifier).ToJsonString()), CancellationToken.None);
                string body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                HttpStatusCode expected = write.IsBundle ? HttpStatusCode.OK : HttpStatusCode.Created;
                if (response.StatusCode != expected)
                {
                    _unexpected.Enqueue($"write {number}: {(int)response.StatusCode} {body}");
                    return;
                }

                write.Acknowledge(write.IsBundle ? InDoubtWrites.FirstPatientId(body) : JsonNode.Parse(body)!["id"]!.GetValue<string>());
                if (!write.IsBundle)
                {
                    // A read right after the create: audited through the node's journal, which a kill may catch unmoved.
                    string read = $"Patient/{write.PatientId}";
                    using HttpResponseMessage answer = await http.GetAsync(read, CancellationToken.None);
                    if (answer.StatusCode == HttpStatusCode.OK)
                    {
                        await answer.Content.ReadAsByteArrayAsync(CancellationToken.None);
                        _reads.Add(read);
                    }
                    else
                    {
                        _unexpected.Enqueue($"read {read}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync(CancellationToken.None)}");
                        return;
                    }
                }
            }
            catch (Exception e) when (InDoubtWrites.IsCutOff(e))
            {
                // Only a dropped connection nobody caused is unexpected; otherwise the write stays in doubt.
                if (!DeathExpected)
                {
                    _unexpected.Enqueue($"write {number}: {e.GetType().Name} {e.Message}");
                }

                return;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private static JsonObject Patient(string identifier) => new()
    {
        ["resourceType"] = "Patient",
        ["identifier"] = new JsonArray { new JsonObject { ["system"] = IdentifierSystem, ["value"] = identifier } },
    };

    private static string Bundle(FaultWrite write)
    {
        string patientUrn = $"urn:uuid:{Guid.NewGuid()}";
        var entries = new JsonArray
        {
            new JsonObject
            {
                ["fullUrl"] = patientUrn,
                ["resource"] = Patient(write.Identifier),
                ["request"] = new JsonObject { ["method"] = "POST", ["url"] = "Patient" },
            },
        };
        foreach (string id in write.ObservationIds)
        {
            entries.Add(new JsonObject
            {
                ["resource"] = new JsonObject
                {
                    ["resourceType"] = "Observation",
                    ["id"] = id,
                    ["identifier"] = new JsonArray { new JsonObject { ["system"] = IdentifierSystem, ["value"] = id } },
                    ["status"] = "final",
                    ["code"] = new JsonObject { ["text"] = "fault probe" },
                    ["subject"] = new JsonObject { ["reference"] = patientUrn },
                },
                ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = $"Observation/{id}" },
            });
        }

        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries }.ToJsonString();
    }

    private static async Task VerifyBundleAsync(HttpClient http, FaultWrite write, ConcurrentQueue<string> failures, CancellationToken ct)
    {
        var subjects = new HashSet<string>(StringComparer.Ordinal);
        int present = 0;
        foreach (string id in write.ObservationIds)
        {
            using HttpResponseMessage response = await http.GetAsync($"Observation/{id}", ct);
            string body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                continue;
            }

            if (response.StatusCode != HttpStatusCode.OK || Identifier(body) != id)
            {
                failures.Enqueue($"write {write.Number}: Observation/{id} answers {(int)response.StatusCode} {body}");
                return;
            }

            present++;
            subjects.Add(JsonNode.Parse(body)!["subject"]?["reference"]?.GetValue<string>() ?? "(none)");
        }

        if (present == 0)
        {
            if (write.Acknowledged)
            {
                failures.Enqueue($"write {write.Number} (round {write.Round}) was acknowledged but is lost");
            }

            return;
        }

        // All of a transaction or none of it; and its Observations all name its one Patient.
        if (present != write.ObservationIds.Length || subjects.Count != 1)
        {
            failures.Enqueue($"write {write.Number} (round {write.Round}) is half written: {present} of {write.ObservationIds.Length} Observations, subjects {string.Join(", ", subjects)}");
            return;
        }

        string subject = subjects.Single();
        if (write.Acknowledged && subject != $"Patient/{write.PatientId}")
        {
            failures.Enqueue($"write {write.Number}: subject {subject}, acknowledged Patient/{write.PatientId}");
            return;
        }

        await VerifyPatientAsync(http, write, subject, failures, ct);
    }

    private static async Task VerifyPatientAsync(HttpClient http, FaultWrite write, string reference, ConcurrentQueue<string> failures, CancellationToken ct)
    {
        using HttpResponseMessage response = await http.GetAsync(reference, ct);
        string body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            failures.Enqueue($"write {write.Number} (round {write.Round}): {reference} answers {(int)response.StatusCode} {body}");
        }
        else if (Identifier(body) != write.Identifier)
        {
            failures.Enqueue($"write {write.Number}: {reference} has the wrong content: {body}");
        }
    }

    private static string? Identifier(string body) => JsonNode.Parse(body)?["identifier"]?[0]?["value"]?.GetValue<string>();
}

/// <summary>One write of a fault run: a transaction Bundle or a plain create, and whether the server acknowledged it.</summary>
internal sealed class FaultWrite(int number, bool isBundle, int round)
{
    public int Number { get; } = number;

    public bool IsBundle { get; } = isBundle;

    public int Round { get; } = round;

    public string Identifier { get; } = string.Create(CultureInfo.InvariantCulture, $"{(isBundle ? 'b' : 'c')}{number}");

    public string[] ObservationIds { get; } = isBundle
        ? [.. Enumerable.Range(0, 2).Select(k => string.Create(CultureInfo.InvariantCulture, $"f{number}-{k}"))]
        : [];

    public string? PatientId { get; private set; }

    public bool Acknowledged => Volatile.Read(ref _acknowledged);

    private bool _acknowledged;

    public void Acknowledge(string patientId)
    {
        PatientId = patientId;
        Volatile.Write(ref _acknowledged, true);
    }

    public IEnumerable<string> Resources() => [$"Patient/{PatientId}", .. ObservationIds.Select(id => $"Observation/{id}")];
}

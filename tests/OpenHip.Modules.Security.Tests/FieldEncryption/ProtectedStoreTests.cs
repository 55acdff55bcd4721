using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.Sqlite;
using OpenHip.Modules.Security.Features.FieldEncryption;

namespace OpenHip.Modules.Security.Tests.FieldEncryption;

/// <summary>The protected store over a real SQLite store: rotation, tampering, and values moved between resources.</summary>
public sealed class ProtectedStoreTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-protected-store", Guid.NewGuid().ToString("n"));
    private readonly ManualTime _time = new();
    private readonly FieldEncryptionOptions _options = new() { Kek = EncryptedServer.Kek, KeyRefreshSeconds = 30 };
    private SqliteFhirStore _inner = null!;
    private ProtectedFhirStore _store = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _inner = await SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(_directory, "store.db") });
        _store = await OpenProtectedAsync();
    }

    public async Task DisposeAsync()
    {
        await _inner.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Rotate_NewWritesUseNewKey_OldValuesStayReadable()
    {
        ProtectedPatient before = ProtectedPatient.NewUnique();
        await WriteAsync("p1", before);
        string oldKey = KeyIdIn(await RawAsync("p1"));

        (string previous, string current) = await FieldKeyRing.RotateAsync(_inner, KeyFromOptions(), CancellationToken.None);
        Assert.Equal(oldKey, previous);

        // Until the refresh interval passes this server still writes with the old key; then it follows.
        _time.Advance(TimeSpan.FromSeconds(31));
        ProtectedPatient after = ProtectedPatient.NewUnique();
        await WriteAsync("p2", after);

        Assert.Equal(current, KeyIdIn(await RawAsync("p2")));
        Assert.NotEqual(oldKey, current);
        Assert.Equal(before.ResidentId, ResidentIdIn(await _store.ReadCurrentAsync("Patient", "p1", CancellationToken.None)));
        Assert.Equal(after.ResidentId, ResidentIdIn(await _store.ReadCurrentAsync("Patient", "p2", CancellationToken.None)));

        // A server started after the rotation reads both, and the blind index (never rotated) still finds both.
        ProtectedFhirStore restarted = await OpenProtectedAsync();
        Assert.Equal(before.ResidentId, ResidentIdIn(await restarted.ReadCurrentAsync("Patient", "p1", CancellationToken.None)));
        Assert.Single(await FindAsync(restarted, before.ResidentId));
        Assert.Single(await FindAsync(restarted, after.ResidentId));
    }

    [Fact]
    public async Task ReadVersions_ProtectedValuesComeBackDecrypted_MissingVersionsLeftOut()
    {
        ProtectedPatient first = ProtectedPatient.NewUnique();
        ProtectedPatient second = ProtectedPatient.NewUnique();
        await WriteAsync("p1", first);
        await WriteAsync("p2", second);
        Assert.NotEqual(first.ResidentId, (string)(await RawAsync("p1"))["identifier"]![0]!["value"]!);

        IReadOnlyList<StoredResource> read = await _store.ReadVersionsAsync(
            [new("Patient", "p1", 1), new("Patient", "p2", 1), new("Patient", "p1", 2), new("Observation", "p1", 1)], CancellationToken.None);

        Assert.Equal(2, read.Count);
        Assert.Equal(first.ResidentId, ResidentIdIn(read.Single(r => r.Id == "p1")));
        Assert.Equal(second.ResidentId, ResidentIdIn(read.Single(r => r.Id == "p2")));
    }

    [Fact]
    public async Task Commit_KeepsTheChangesetsAuditRows()
    {
        var write = new ResourceWrite("Patient", "p1", 1, 0, DateTimeOffset.UnixEpoch, WriteMethod.Create, Encoding.UTF8.GetBytes(ProtectedPatient.NewUnique().ToJson().ToJsonString()), null, [], []);
        var row = new OpenHip.Fhir.Audit.AuditRow("chain-1", 1, DateTimeOffset.UnixEpoch, "client a", ["p1"], "{}"u8.ToArray(), new byte[32], new byte[32]);

        await _store.CommitAsync(new Changeset([write]) { AuditRows = [row] }, CancellationToken.None);

        OpenHip.Fhir.Audit.AuditChainHead head = Assert.Single(await _inner.ListChainsAsync(CancellationToken.None));
        Assert.Equal(("chain-1", 1L), (head.ChainId, head.Sequence));
    }

    [Fact]
    public async Task Read_ValueUnderKeyThisNodeHasNotSeen_LoadsTheKey()
    {
        ProtectedFhirStore otherNode = await OpenProtectedAsync();
        await FieldKeyRing.RotateAsync(_inner, KeyFromOptions(), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(31));
        ProtectedPatient patient = ProtectedPatient.NewUnique();
        await WriteAsync("p1", patient, otherNode);

        Assert.Equal(patient.ResidentId, ResidentIdIn(await _store.ReadCurrentAsync("Patient", "p1", CancellationToken.None)));
    }

    [Fact]
    public async Task Read_TamperedCiphertext_ThrowsNotGarbage()
    {
        await WriteAsync("p1", ProtectedPatient.NewUnique());
        JsonObject raw = await RawAsync("p1");
        string value = (string)raw["identifier"]![0]!["value"]!;
        char[] chars = value.ToCharArray();
        chars[^3] = chars[^3] == 'A' ? 'B' : 'A';
        raw["identifier"]![0]!["value"] = new string(chars);
        await OverwriteRawAsync("p1", raw);

        await Assert.ThrowsAsync<CryptographicException>(() => _store.ReadCurrentAsync("Patient", "p1", CancellationToken.None));
    }

    [Fact]
    public async Task Read_CiphertextCopiedToAnotherResource_Throws()
    {
        await WriteAsync("p1", ProtectedPatient.NewUnique());
        await WriteAsync("p2", ProtectedPatient.NewUnique());
        JsonObject first = await RawAsync("p1");
        JsonObject second = await RawAsync("p2");
        second["identifier"]![0]!["value"] = (string)first["identifier"]![0]!["value"]!;
        await OverwriteRawAsync("p2", second);

        await Assert.ThrowsAsync<CryptographicException>(() => _store.ReadCurrentAsync("Patient", "p2", CancellationToken.None));
    }

    [Fact]
    public async Task Read_CiphertextMovedToAnotherSystem_Throws()
    {
        await WriteAsync("p1", ProtectedPatient.NewUnique());
        JsonObject raw = await RawAsync("p1");
        raw["identifier"]![1]!["value"] = (string)raw["identifier"]![0]!["value"]!;
        await OverwriteRawAsync("p1", raw);

        await Assert.ThrowsAsync<CryptographicException>(() => _store.ReadCurrentAsync("Patient", "p1", CancellationToken.None));
    }

    [Fact]
    public async Task Read_UnknownKeyId_Throws()
    {
        await WriteAsync("p1", ProtectedPatient.NewUnique());
        JsonObject raw = await RawAsync("p1");
        string value = (string)raw["identifier"]![0]!["value"]!;
        raw["identifier"]![0]!["value"] = value.Replace(KeyIdIn(raw), "deadbeef", StringComparison.Ordinal);
        await OverwriteRawAsync("p1", raw);

        await Assert.ThrowsAsync<CryptographicException>(() => _store.ReadCurrentAsync("Patient", "p1", CancellationToken.None));
    }

    [Fact]
    public async Task Index_ProtectedCodesAreBlind_OtherCodesUntouched()
    {
        ProtectedPatient patient = ProtectedPatient.NewUnique();
        await WriteAsync("p1", patient);

        Assert.Single(await FindAsync(_store, patient.ResidentId));
        Assert.Empty(await _inner.FindByTokensAsync(Query(ProtectedPatient.ResidentSystem, patient.ResidentId), CancellationToken.None));
        Assert.Single(await _inner.FindByTokensAsync(Query("http://openhip.org/sid/mrn/org-1", "MRN-" + patient.Family), CancellationToken.None));
    }

    private async Task<ProtectedFhirStore> OpenProtectedAsync()
    {
        var runtime = new FieldEncryptionRuntime(_inner, _options, _time);
        await runtime.StartAsync(CancellationToken.None);
        return new ProtectedFhirStore(_inner, runtime);
    }

    [Fact]
    public async Task Open_NodesStartingTogetherOnAnEmptyStore_AgreeOnOneBlindIndexKey()
    {
        await using SqliteFhirStore empty = await SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(_directory, "empty.db") });

        FieldKeyRing[] rings = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            FieldKeyRing.OpenAsync(empty, KeyFromOptions(), TimeProvider.System, TimeSpan.FromSeconds(1), CancellationToken.None)));

        Assert.Single(rings.Select(r => r.BlindIndex.Of("33010619870312017X")).Distinct());
    }

    private KeyEncryptionKey KeyFromOptions() => KeyEncryptionKey.From(_options);

    private async Task WriteAsync(string id, ProtectedPatient patient, ProtectedFhirStore? store = null)
    {
        JsonObject json = patient.ToJson();
        json["id"] = id;
        List<IndexEntry> index =
        [
            new TokenIndexEntry("identifier", ProtectedPatient.ResidentSystem, patient.ResidentId),
            new TokenIndexEntry("identifier", ProtectedPatient.PassportSystem, patient.Passport),
            new TokenIndexEntry("identifier", "http://openhip.org/sid/mrn/org-1", "MRN-" + patient.Family),
            new TokenIndexEntry("identifier:of-type", ProtectedPatient.V2_0203, "NI|" + patient.ResidentId),
            new TokenIndexEntry("phone", null, patient.Phone),
            new StringIndexEntry("family", patient.Family.ToLowerInvariant(), patient.Family),
        ];
        var write = new ResourceWrite("Patient", id, 1, 0, DateTimeOffset.UnixEpoch, WriteMethod.Create, Encoding.UTF8.GetBytes(json.ToJsonString()), null, index, []);
        await (store ?? _store).CommitAsync(Changeset.Of(write), CancellationToken.None);
    }

    private async Task<JsonObject> RawAsync(string id)
    {
        StoredResource stored = (await _inner.ReadCurrentAsync("Patient", id, CancellationToken.None))!;
        return JsonNode.Parse(stored.Json.Span)!.AsObject();
    }

    /// <summary>What an attacker with write access to the database does: a new version with altered stored bytes.</summary>
    private async Task OverwriteRawAsync(string id, JsonObject json)
    {
        StoredResource current = (await _inner.ReadCurrentAsync("Patient", id, CancellationToken.None))!;
        var write = new ResourceWrite("Patient", id, current.VersionId + 1, current.VersionId, DateTimeOffset.UnixEpoch, WriteMethod.Update, Encoding.UTF8.GetBytes(json.ToJsonString()), null, [], []);
        await _inner.CommitAsync(Changeset.Of(write), CancellationToken.None);
    }

    private static Task<IReadOnlyList<string>> FindAsync(ProtectedFhirStore store, string residentId) =>
        store.FindByTokensAsync(Query(ProtectedPatient.ResidentSystem, residentId), CancellationToken.None);

    private static TokenQuery Query(string system, string code) =>
        new("Patient", [new TokenClause("identifier", [new TokenValue(system, code)])], 10);

    private static string KeyIdIn(JsonObject raw) => EncryptedValue.KeyIdOf((string)raw["identifier"]![0]!["value"]!);

    private static string ResidentIdIn(StoredResource? stored) => (string)JsonNode.Parse(stored!.Json.Span)!["identifier"]![0]!["value"]!;
}

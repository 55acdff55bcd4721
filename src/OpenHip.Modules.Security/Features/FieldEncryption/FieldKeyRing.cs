using System.Collections.Concurrent;
using System.Security.Cryptography;
using OpenHip.Fhir.Faults;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>
/// The envelope keys of field encryption, kept in the store's durable settings wrapped by the key-encryption key:
/// one data key per id (never overwritten, so any value ever written stays readable), a pointer to the current one (what
/// new writes use), and the blind-index key. <c>openhip keys rotate</c> adds a data key and moves the pointer; running
/// servers follow within <see cref="FieldEncryptionOptions.KeyRefreshSeconds"/>, and a value under a key a server has not
/// seen yet loads that key on first read.
/// </summary>
internal sealed class FieldKeyRing
{
    public const string CurrentKeyState = "field-encryption:current";
    public const string BlindIndexKeyState = "field-encryption:blind-index-key";
    private const string DataKeyStatePrefix = "field-encryption:dek:";
    private const string BlindIndexKeyLabel = "openhip:field-encryption:blind-index-key";
    private const int BlindIndexKeySize = 32;

    private readonly IFhirStore _store;
    private readonly KeyEncryptionKey _kek;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refresh;
    private readonly ConcurrentDictionary<string, DataKey> _keys = new(StringComparer.Ordinal);
    private DataKey _current;
    private long _checkedAt;

    private FieldKeyRing(IFhirStore store, KeyEncryptionKey kek, TimeProvider time, TimeSpan refresh, DataKey current, BlindIndex blindIndex)
    {
        _store = store;
        _kek = kek;
        _time = time;
        _refresh = refresh;
        _current = current;
        _keys[current.Id] = current;
        _checkedAt = time.GetTimestamp();
        BlindIndex = blindIndex;
    }

    public BlindIndex BlindIndex { get; }

    public DataKey Current => _current;

    /// <summary>
    /// Opens the keys of <paramref name="store"/>, creating the first data key and the blind-index key on a store that
    /// has none (first start with field encryption on).
    /// </summary>
    /// <exception cref="CryptoStartupException">The key-encryption key does not open the stored keys.</exception>
    public static async Task<FieldKeyRing> OpenAsync(IFhirStore store, KeyEncryptionKey kek, TimeProvider time, TimeSpan refresh, CancellationToken ct)
    {
        string? wrappedBlind = await store.GetStateAsync(BlindIndexKeyState, ct).ConfigureAwait(false);
        string? currentId = await store.GetStateAsync(CurrentKeyState, ct).ConfigureAwait(false);
        if (wrappedBlind is null)
        {
            // First start. Nodes starting together on an empty database each make a key, and the first stored wins for
            // all: blind codes written with a losing key could never be searched. (Each also stores a data key; only one
            // becomes current, and both stay readable.)
            byte[] blindKey = RandomNumberGenerator.GetBytes(BlindIndexKeySize);
            wrappedBlind = await store.AddStateIfAbsentAsync(BlindIndexKeyState, kek.Wrap(blindKey, BlindIndexKeyLabel), ct).ConfigureAwait(false);
        }

        byte[] blind = Unwrap(kek, wrappedBlind!, BlindIndexKeyLabel);
        DataKey current = currentId is null
            ? await CreateDataKeyAsync(store, kek, ct).ConfigureAwait(false)
            : await LoadAsync(store, kek, currentId, ct).ConfigureAwait(false)
                ?? throw new CryptoStartupException($"field encryption: the current data key {currentId} is missing from the store.");
        return new FieldKeyRing(store, kek, time, refresh, current, new BlindIndex(blind));
    }

    /// <summary>Adds a data key and makes it current; the previous ones stay for reading. Returns (previous, new) ids.</summary>
    public static async Task<(string Previous, string Current)> RotateAsync(IFhirStore store, KeyEncryptionKey kek, CancellationToken ct)
    {
        // Opening first checks that this key-encryption key is the one the store's keys were made with.
        FieldKeyRing ring = await OpenAsync(store, kek, TimeProvider.System, TimeSpan.MaxValue, ct).ConfigureAwait(false);
        DataKey created = await StoreDataKeyAsync(store, kek, ct).ConfigureAwait(false);

        // A crash here leaves a stored key that nothing points at: harmless, the next rotation makes another.
        FaultInjection.Hit(FaultPoints.KeyRotation);
        await store.SetStateAsync(CurrentKeyState, created.Id, ct).ConfigureAwait(false);
        return (ring.Current.Id, created.Id);
    }

    /// <summary>Follows a rotation made elsewhere, at most once per refresh interval.</summary>
    public async ValueTask<DataKey> CurrentForWriteAsync(CancellationToken ct)
    {
        if (_time.GetElapsedTime(Interlocked.Read(ref _checkedAt)) < _refresh)
        {
            return _current;
        }

        Interlocked.Exchange(ref _checkedAt, _time.GetTimestamp());
        string? id = await _store.GetStateAsync(CurrentKeyState, ct).ConfigureAwait(false);
        if (id is not null && id != _current.Id)
        {
            _current = await GetAsync(id, ct).ConfigureAwait(false);
        }

        return _current;
    }

    public bool TryGet(string id, out DataKey key) => _keys.TryGetValue(id, out key!);

    /// <exception cref="CryptographicException">No data key of that id in the store (or it does not open).</exception>
    public async ValueTask<DataKey> GetAsync(string id, CancellationToken ct)
    {
        if (_keys.TryGetValue(id, out DataKey? key))
        {
            return key;
        }

        key = await LoadAsync(_store, _kek, id, ct).ConfigureAwait(false)
            ?? throw new CryptographicException($"Field encryption: data key {id} is not in the store.");
        return _keys.GetOrAdd(id, key);
    }

    private static async Task<DataKey> CreateDataKeyAsync(IFhirStore store, KeyEncryptionKey kek, CancellationToken ct)
    {
        DataKey created = await StoreDataKeyAsync(store, kek, ct).ConfigureAwait(false);
        await store.SetStateAsync(CurrentKeyState, created.Id, ct).ConfigureAwait(false);
        return created;
    }

    /// <summary>A new data key, stored (and so readable by every node) but not yet current.</summary>
    private static async Task<DataKey> StoreDataKeyAsync(IFhirStore store, KeyEncryptionKey kek, CancellationToken ct)
    {
        // Random ids: two rotations at once make two keys, and neither overwrites the other.
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        byte[] material = RandomNumberGenerator.GetBytes(Sm4Gcm.KeySize);
        await store.SetStateAsync(DataKeyStatePrefix + id, kek.Wrap(material, DataKeyLabel(id)), ct).ConfigureAwait(false);
        return new DataKey(id, material);
    }

    private static async Task<DataKey?> LoadAsync(IFhirStore store, KeyEncryptionKey kek, string id, CancellationToken ct)
    {
        string? wrapped = await store.GetStateAsync(DataKeyStatePrefix + id, ct).ConfigureAwait(false);
        return wrapped is null ? null : new DataKey(id, Unwrap(kek, wrapped, DataKeyLabel(id)));
    }

    private static byte[] Unwrap(KeyEncryptionKey kek, string wrapped, string label)
    {
        try
        {
            return kek.Unwrap(wrapped, label);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            throw new CryptoStartupException(
                $"field encryption: the key-encryption key does not open the keys in the store ({label}); is {FieldEncryptionOptions.KekKey} the key they were made with?",
                ex);
        }
    }

    private static string DataKeyLabel(string id) => "openhip:field-encryption:dek:" + id;
}

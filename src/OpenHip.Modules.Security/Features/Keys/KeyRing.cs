using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenHip.Modules.Security.Persistence;

namespace OpenHip.Modules.Security.Features.Keys;

/// <summary>
/// The server's keys, read from the shared database so every node signs and validates the same tokens. The first
/// start creates them under fixed ids, so two nodes starting at once agree on one set (the second insert conflicts
/// and that node reads the winner's keys). A token signed with a key this node has not loaded yet makes it reload.
/// </summary>
public sealed class KeyRing(IServiceScopeFactory scopes, TimeProvider time) : IDisposable
{
    internal const string InitialSigningKeyId = "initial-sig";
    internal const string InitialEncryptionKeyId = "initial-enc";

    // An unknown kid reloads at most this often: a flood of tokens with random kids must not hammer the database.
    private static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(10);

    private volatile Snapshot _current = new([], [], DateTimeOffset.MinValue);
    private CancellationTokenSource _changed = new();

    /// <summary>Fires when a reload finds a different set of keys (OpenIddict then rebuilds its options).</summary>
    public Microsoft.Extensions.Primitives.IChangeToken ChangeToken => new Microsoft.Extensions.Primitives.CancellationChangeToken(_changed.Token);

    /// <summary>Signing keys, newest first: the first one signs.</summary>
    public IReadOnlyList<SecurityKey> SigningKeys => _current.Signing;

    public IReadOnlyList<SecurityKey> EncryptionKeys => _current.Encryption;

    /// <summary>Reads the keys, creating the first ones when the database has none.</summary>
    public async Task LoadAsync(string signingAlgorithm, CancellationToken ct)
    {
        await using AsyncServiceScope scope = scopes.CreateAsyncScope();
        AuthDbContext db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        if (!await db.Keys.AnyAsync(k => k.Use == KeyUses.Signing, ct).ConfigureAwait(false))
        {
            await TryAddAsync(db, Create(InitialSigningKeyId, signingAlgorithm, time.GetUtcNow()), ct).ConfigureAwait(false);
        }

        if (!await db.Keys.AnyAsync(k => k.Use == KeyUses.Encryption, ct).ConfigureAwait(false))
        {
            await TryAddAsync(db, Create(InitialEncryptionKeyId, "A256KW", time.GetUtcNow()), ct).ConfigureAwait(false);
        }

        await ReloadAsync(db, ct).ConfigureAwait(false);
    }

    /// <summary>The periodic reload: picks up keys rotated by the CLI or another node.</summary>
    public async Task ReloadAsync(CancellationToken ct)
    {
        await using AsyncServiceScope scope = scopes.CreateAsyncScope();
        await ReloadAsync(scope.ServiceProvider.GetRequiredService<AuthDbContext>(), ct).ConfigureAwait(false);
    }

    /// <summary>Reloads when a token names a key this node does not know (rotated on another node), at most every few seconds.</summary>
    public async Task<bool> TryRefreshForUnknownKeyAsync(CancellationToken ct)
    {
        if (time.GetUtcNow() - _current.LoadedAt < ReloadInterval)
        {
            return false;
        }

        await using AsyncServiceScope scope = scopes.CreateAsyncScope();
        await ReloadAsync(scope.ServiceProvider.GetRequiredService<AuthDbContext>(), ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>A new signing key (RS256 or ES256) for <c>auth key rotate</c>; older ones retire after <paramref name="overlap"/>.</summary>
    public static async Task<StoredKey> RotateAsync(AuthDbContext db, string algorithm, TimeSpan overlap, DateTimeOffset now, CancellationToken ct)
    {
        foreach (StoredKey old in await db.Keys.Where(k => k.Use == KeyUses.Signing && k.RetiresAt == null).ToListAsync(ct).ConfigureAwait(false))
        {
            old.RetiresAt = now + overlap;
        }

        StoredKey key = Create("k-" + Guid.NewGuid().ToString("n")[..16], algorithm, now);
        db.Keys.Add(key);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return key;
    }

    internal static StoredKey Create(string id, string algorithm, DateTimeOffset now)
    {
        string material;
        string use = KeyUses.Signing;
        switch (algorithm)
        {
            case "ES256":
                using (var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    material = ec.ExportPkcs8PrivateKeyPem();
                }

                break;
            case "A256KW":
                material = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                use = KeyUses.Encryption;
                break;
            default:
                using (var rsa = RSA.Create(2048))
                {
                    material = rsa.ExportPkcs8PrivateKeyPem();
                }

                algorithm = "RS256";
                break;
        }

        return new StoredKey { Id = id, Use = use, Algorithm = algorithm, Material = material, CreatedAt = now };
    }

    internal static SecurityKey ToSecurityKey(StoredKey key)
    {
        switch (key.Algorithm)
        {
            case "A256KW":
                return new SymmetricSecurityKey(Convert.FromBase64String(key.Material)) { KeyId = key.Id };
            case "ES256":
                var ec = ECDsa.Create();
                ec.ImportFromPem(key.Material);
                return new ECDsaSecurityKey(ec) { KeyId = key.Id };
            default:
                var rsa = RSA.Create();
                rsa.ImportFromPem(key.Material);
                return new RsaSecurityKey(rsa) { KeyId = key.Id };
        }
    }

    private async Task ReloadAsync(AuthDbContext db, CancellationToken ct)
    {
        DateTimeOffset now = time.GetUtcNow();
        List<StoredKey> keys = await db.Keys.AsNoTracking().ToListAsync(ct).ConfigureAwait(false);
        SecurityKey[] signing = [.. keys
            .Where(k => k.Use == KeyUses.Signing && (k.RetiresAt is null || k.RetiresAt > now))
            .OrderByDescending(k => k.CreatedAt)
            .ThenBy(k => k.Id, StringComparer.Ordinal)
            .Select(ToSecurityKey)];
        SecurityKey[] encryption = [.. keys.Where(k => k.Use == KeyUses.Encryption).OrderByDescending(k => k.CreatedAt).Select(ToSecurityKey)];
        Snapshot previous = _current;
        _current = new Snapshot(signing, encryption, now);
        if (!previous.Signing.Select(k => k.KeyId).SequenceEqual(signing.Select(k => k.KeyId), StringComparer.Ordinal)
            || !previous.Encryption.Select(k => k.KeyId).SequenceEqual(encryption.Select(k => k.KeyId), StringComparer.Ordinal))
        {
            CancellationTokenSource fired = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
            await fired.CancelAsync().ConfigureAwait(false);
            fired.Dispose();
        }
    }

    private static async Task TryAddAsync(AuthDbContext db, StoredKey key, CancellationToken ct)
    {
        db.Keys.Add(key);
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another node created the first key at the same moment: its key wins, ours is dropped.
            db.Entry(key).State = EntityState.Detached;
        }
    }

    public void Dispose() => _changed.Dispose();

    private sealed record Snapshot(SecurityKey[] Signing, SecurityKey[] Encryption, DateTimeOffset LoadedAt);
}

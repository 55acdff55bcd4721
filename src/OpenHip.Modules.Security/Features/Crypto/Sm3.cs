using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace OpenHip.Modules.Security.Features.Crypto;

/// <summary>SM3 (GB/T 32905-2016), the 256-bit hash of the Chinese commercial cryptography suite, and HMAC-SM3.</summary>
public static class Sm3
{
    public const int HashSize = 32;

    // Every audit record is chained with one hash: the digest (its message schedule arrays) is kept per thread.
    [ThreadStatic]
    private static SM3Digest? _digest;

    public static byte[] Hash(ReadOnlySpan<byte> data) => Hash(data, []);

    /// <summary>The hash of <paramref name="first"/> followed by <paramref name="second"/>, without joining them first.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        SM3Digest digest = _digest ??= new SM3Digest();
        digest.Reset();
        digest.BlockUpdate(first);
        digest.BlockUpdate(second);
        byte[] hash = new byte[HashSize];
        digest.DoFinal(hash);
        return hash;
    }

    /// <summary>HMAC (RFC 2104) over SM3; the full 32 bytes, never truncated.</summary>
    public static byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        byte[] result = new byte[HashSize];
        Hmac(key, data, result);
        return result;
    }

    /// <summary>HMAC-SM3 into <paramref name="destination"/> (32 bytes), for callers that encode it at once.</summary>
    public static void Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < HashSize)
        {
            throw new ArgumentException($"An HMAC-SM3 is {HashSize} bytes.", nameof(destination));
        }

        // Keying an HMAC hashes the padded key twice; blind indexes use one key for every code, so this thread's last
        // keyed HMAC is reused (BouncyCastle's DoFinal resets it to the keyed state, not to empty).
        CachedHmac? cached = _cached;
        _cached = null; // a failure half-way leaves no HMAC of unknown state behind
        if (cached is null || !CryptographicOperations.FixedTimeEquals(cached.Key, key))
        {
            var created = new HMac(new SM3Digest());
            created.Init(new KeyParameter(key));
            cached = new CachedHmac(key.ToArray(), created);
        }

        cached.Mac.BlockUpdate(data);
        cached.Mac.DoFinal(destination);
        _cached = cached;
    }

    [ThreadStatic]
    private static CachedHmac? _cached;

    private sealed record CachedHmac(byte[] Key, HMac Mac);
}

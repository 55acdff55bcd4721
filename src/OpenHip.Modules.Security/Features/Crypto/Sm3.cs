using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace OpenHip.Modules.Security.Features.Crypto;

/// <summary>SM3 (GB/T 32905-2016), the 256-bit hash of the Chinese commercial cryptography suite, and HMAC-SM3.</summary>
public static class Sm3
{
    public const int HashSize = 32;

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var digest = new SM3Digest();
        digest.BlockUpdate(data);
        byte[] hash = new byte[HashSize];
        digest.DoFinal(hash);
        return hash;
    }

    /// <summary>HMAC (RFC 2104) over SM3; the full 32 bytes, never truncated.</summary>
    public static byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        var mac = new HMac(new SM3Digest());
        mac.Init(new KeyParameter(key));
        mac.BlockUpdate(data);
        byte[] result = new byte[HashSize];
        mac.DoFinal(result);
        return result;
    }
}

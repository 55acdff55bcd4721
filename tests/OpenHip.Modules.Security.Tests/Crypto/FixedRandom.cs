using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Security;

namespace OpenHip.Modules.Security.Tests.Crypto;

/// <summary>
/// A "random" source that yields given bytes, so a published SM2 vector's k (or a key generator's d) reproduces
/// the published output. BouncyCastle draws a 256-bit scalar as exactly 32 bytes, so each value is one request.
/// </summary>
internal sealed class FixedRandom(params byte[][] values) : IRandomGenerator
{
    private int _next;

    public static SecureRandom Of(params string[] hexValues) =>
        new(new FixedRandom([.. hexValues.Select(Convert.FromHexString)]));

    public void AddSeedMaterial(byte[] seed)
    {
    }

    public void AddSeedMaterial(ReadOnlySpan<byte> seed)
    {
    }

    public void AddSeedMaterial(long seed)
    {
    }

    public void NextBytes(byte[] bytes) => NextBytes(bytes.AsSpan());

    public void NextBytes(byte[] bytes, int start, int len) => NextBytes(bytes.AsSpan(start, len));

    public void NextBytes(Span<byte> bytes)
    {
        byte[] value = values[_next++];
        Assert.Equal(value.Length, bytes.Length);
        value.CopyTo(bytes);
    }
}

using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace OpenHip.Modules.Security.Features.Crypto;

/// <summary>
/// The raw SM4 block function (ECB on one block). Only the known-answer tests use it: GB/T 32907's vectors are
/// single-block, and a failure there pinpoints the cipher rather than the GCM mode around it. Never for data.
/// </summary>
internal static class Sm4Block
{
    public const int BlockSize = 16;

    /// <summary>Encrypts (or decrypts) one block <paramref name="rounds"/> times in place, as GB/T 32907's iterated vector does.</summary>
    public static byte[] Apply(ReadOnlySpan<byte> key, ReadOnlySpan<byte> block, bool encrypt, int rounds = 1)
    {
        var engine = new SM4Engine();
        engine.Init(encrypt, new KeyParameter(key));
        byte[] buffer = block.ToArray();
        for (int i = 0; i < rounds; i++)
        {
            engine.ProcessBlock(buffer, buffer);
        }

        return buffer;
    }
}

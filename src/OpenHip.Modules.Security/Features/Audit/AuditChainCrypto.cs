using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// The audit chain's cryptography, on the module's provider (checked by the start-up self-tests): SM3 for the chain
/// hashes, SM2 (sm2p256v1, default user id, DER signatures) for checkpoint signatures.
/// </summary>
internal static class AuditChainCrypto
{
    public const int HashSize = 32;

    public static byte[] Hash(ReadOnlySpan<byte> data) => Sm3.Hash(data);

    public static byte[] Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second) => Sm3.Hash(first, second);

    /// <summary>A new key pair: the private scalar (32 bytes, big-endian) and the uncompressed public point (65 bytes).</summary>
    public static (byte[] PrivateKey, byte[] PublicKey) GenerateKeyPair()
    {
        Sm2KeyPair pair = Sm2KeyPair.Generate();
        return (pair.ExportPrivateKey(), pair.PublicKey);
    }

    public static byte[] Sign(Sm2KeyPair pair, ReadOnlySpan<byte> data) => pair.Sign(data);

    /// <summary>False for a wrong signature or a malformed key or signature, never an exception.</summary>
    public static bool Verify(byte[] publicKey, ReadOnlySpan<byte> data, byte[] signature) => Sm2.Verify(publicKey, data, signature);
}

using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// The audit chain's only cryptography: SM3 for the chain hashes, SM2 (sm2p256v1, default user id) for checkpoint
/// signatures. Kept in this one file on BouncyCastle directly so that switching to the module's crypto provider
/// (Features/Crypto: Sm3.Hash, Sm2KeyPair.Sign, Sm2.Verify) is a change here and nowhere else.
/// </summary>
internal static class AuditChainCrypto
{
    public const int HashSize = 32;

    private static readonly ECDomainParameters Curve = DomainOf("sm2p256v1");
    private static readonly SecureRandom Random = new();

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var digest = new SM3Digest();
        digest.BlockUpdate(data);
        byte[] hash = new byte[HashSize];
        digest.DoFinal(hash);
        return hash;
    }

    /// <summary>A new key pair: the private scalar (32 bytes, big-endian) and the uncompressed public point (65 bytes).</summary>
    public static (byte[] PrivateKey, byte[] PublicKey) GenerateKeyPair()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(Curve, Random));
        AsymmetricCipherKeyPair pair = generator.GenerateKeyPair();
        byte[] privateKey = ((ECPrivateKeyParameters)pair.Private).D.ToByteArrayUnsigned();
        return (LeftPad(privateKey), ((ECPublicKeyParameters)pair.Public).Q.GetEncoded(compressed: false));
    }

    public static byte[] PublicKeyOf(byte[] privateKey) =>
        Curve.G.Multiply(new BigInteger(1, privateKey)).Normalize().GetEncoded(compressed: false);

    public static byte[] Sign(byte[] privateKey, ReadOnlySpan<byte> data)
    {
        var signer = new SM2Signer();
        signer.Init(true, new ParametersWithRandom(new ECPrivateKeyParameters(new BigInteger(1, privateKey), Curve), Random));
        signer.BlockUpdate(data);
        return signer.GenerateSignature();
    }

    /// <summary>False for a wrong signature or a malformed key or signature, never an exception.</summary>
    public static bool Verify(byte[] publicKey, ReadOnlySpan<byte> data, byte[] signature)
    {
        try
        {
            var signer = new SM2Signer();
            signer.Init(false, new ECPublicKeyParameters(Curve.Curve.DecodePoint(publicKey), Curve));
            signer.BlockUpdate(data);
            return signer.VerifySignature(signature);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or CryptoException)
        {
            return false;
        }
    }

    private static ECDomainParameters DomainOf(string name)
    {
        Org.BouncyCastle.Asn1.X9.X9ECParameters curve = GMNamedCurves.GetByName(name);
        return new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
    }

    private static byte[] LeftPad(byte[] value)
    {
        if (value.Length >= 32)
        {
            return value;
        }

        byte[] padded = new byte[32];
        value.CopyTo(padded, 32 - value.Length);
        return padded;
    }
}

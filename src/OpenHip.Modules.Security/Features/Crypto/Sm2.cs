using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace OpenHip.Modules.Security.Features.Crypto;

/// <summary>
/// SM2 (GB/T 32918-2016) on the recommended curve sm2p256v1. Signatures use the default user id
/// "1234567812345678" (GM/T 0009-2012 §10) and are DER <c>SEQUENCE { r INTEGER, s INTEGER }</c> (GM/T 0009 §7.2,
/// what GmSSL, OpenSSL and X.509 exchange), 70–72 bytes. Ciphertexts are raw C1||C3||C2 (GB/T 32918.4-2016 order)
/// with C1 an uncompressed point: 97 bytes plus the plaintext length.
/// </summary>
public static class Sm2
{
    /// <summary>The default signer identity of GM/T 0009-2012 when the parties agree on none.</summary>
    public const string DefaultUserId = "1234567812345678";

    /// <summary>An uncompressed public key: 0x04 || x || y.</summary>
    public const int PublicKeySize = 65;

    public const int PrivateKeySize = 32;

    internal static ECDomainParameters Domain { get; } = CreateDomain();

    internal static byte[] DefaultUserIdBytes { get; } = "1234567812345678"u8.ToArray();

    /// <summary>Checks an SM2 signature (DER) made with the default user id; false for any malformed key or signature.</summary>
    public static bool Verify(byte[] publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        ECPublicKeyParameters key;
        try
        {
            key = ImportPublicKey(publicKey);
        }
        catch (ArgumentException)
        {
            return false;
        }

        return Verify(key, data, signature, DefaultUserIdBytes);
    }

    /// <summary>Encrypts to <paramref name="publicKey"/> (uncompressed point); output C1||C3||C2.</summary>
    public static byte[] Encrypt(byte[] publicKey, ReadOnlySpan<byte> plaintext) =>
        Encrypt(ImportPublicKey(publicKey), plaintext, new SecureRandom());

    /// <exception cref="ArgumentException">Not an uncompressed point on sm2p256v1.</exception>
    internal static ECPublicKeyParameters ImportPublicKey(byte[] publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.Length != PublicKeySize || publicKey[0] != 0x04)
        {
            throw new ArgumentException("An SM2 public key is 65 bytes: 0x04 || x || y.", nameof(publicKey));
        }

        // DecodePoint rejects coordinates off the curve, so an invalid-curve point never reaches the arithmetic.
        return new ECPublicKeyParameters(Domain.Curve.DecodePoint(publicKey), Domain);
    }

    internal static bool Verify(ECPublicKeyParameters key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, byte[] userId)
    {
        var signer = new SM2Signer();
        signer.Init(false, new ParametersWithID(key, userId));
        signer.BlockUpdate(data);
        try
        {
            return signer.VerifySignature(signature.ToArray());
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
        {
            // Not DER, or integers out of range: simply not a valid signature.
            return false;
        }
    }

    /// <param name="random">The source of the per-signature k; tests pass a fixed one to reproduce published vectors.</param>
    internal static byte[] Sign(ECPrivateKeyParameters key, ReadOnlySpan<byte> data, byte[] userId, SecureRandom random)
    {
        SM2Signer signer = Signer(key, userId, random);
        signer.BlockUpdate(data);
        return signer.GenerateSignature();
    }

    internal static SM2Signer Signer(ECPrivateKeyParameters key, byte[] userId, SecureRandom random)
    {
        var signer = new SM2Signer();
        signer.Init(true, new ParametersWithID(new ParametersWithRandom(key, random), userId));
        return signer;
    }

    internal static byte[] Encrypt(ECPublicKeyParameters key, ReadOnlySpan<byte> plaintext, SecureRandom random)
    {
        var engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
        engine.Init(true, new ParametersWithRandom(key, random));
        return engine.ProcessBlock(plaintext.ToArray(), 0, plaintext.Length);
    }

    /// <exception cref="CryptographicException">Wrong key or altered ciphertext (C3 does not match).</exception>
    internal static byte[] Decrypt(ECPrivateKeyParameters key, ReadOnlySpan<byte> ciphertext)
    {
        var engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
        engine.Init(false, key);
        try
        {
            return engine.ProcessBlock(ciphertext.ToArray(), 0, ciphertext.Length);
        }
        catch (Exception ex) when (ex is InvalidCipherTextException or ArgumentException or DataLengthException)
        {
            throw new CryptographicException("SM2 decryption failed (wrong key or altered ciphertext).", ex);
        }
    }

    private static ECDomainParameters CreateDomain()
    {
        // The custom curve's field arithmetic, not GMNamedCurves' generic one: a signature costs ~0.2 instead of ~1.6 ms
        // (docs/performance.md, "Fifteenth look"); same curve, same points and signatures.
        X9ECParameters curve = CustomNamedCurves.GetByName("sm2p256v1");
        return new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H, curve.GetSeed());
    }
}

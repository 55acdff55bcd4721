using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace OpenHip.Modules.Security.Features.Crypto;

/// <summary>An SM2 key pair on sm2p256v1: signs (DER, default user id) and decrypts; see <see cref="Sm2"/> for the formats.</summary>
public sealed class Sm2KeyPair
{
    private readonly ECPrivateKeyParameters _privateKey;

    // Initialising a signer derives the public point from d to compute Z (a curve multiplication, as costly as the
    // signature itself), so one signer is kept per key pair; it restores Z after each signature.
    private readonly Lock _signing = new();
    private SM2Signer? _signer;

    private Sm2KeyPair(ECPrivateKeyParameters privateKey)
    {
        _privateKey = privateKey;
        PublicKeyParameters = new ECPublicKeyParameters(Sm2.Domain.G.Multiply(privateKey.D).Normalize(), Sm2.Domain);
        PublicKey = PublicKeyParameters.Q.GetEncoded(compressed: false);
    }

    /// <summary>The uncompressed public key 0x04 || x || y (65 bytes).</summary>
    public byte[] PublicKey { get; }

    internal ECPublicKeyParameters PublicKeyParameters { get; }

    internal ECPrivateKeyParameters PrivateKeyParameters => _privateKey;

    public static Sm2KeyPair Generate()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(Sm2.Domain, new SecureRandom()));
        return new Sm2KeyPair((ECPrivateKeyParameters)generator.GenerateKeyPair().Private);
    }

    /// <param name="d">The private scalar, big-endian (32 bytes as <see cref="ExportPrivateKey"/> writes it).</param>
    /// <exception cref="ArgumentException">d is not in [1, n-2] as GB/T 32918.1 requires.</exception>
    public static Sm2KeyPair FromPrivateKey(byte[] d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var scalar = new BigInteger(1, d);
        if (scalar.SignValue <= 0 || scalar.CompareTo(Sm2.Domain.N.Subtract(BigInteger.One)) >= 0)
        {
            throw new ArgumentException("An SM2 private key lies in [1, n-2].", nameof(d));
        }

        return new Sm2KeyPair(new ECPrivateKeyParameters(scalar, Sm2.Domain));
    }

    /// <summary>The private scalar d, big-endian, 32 bytes: keep it where only the key owner reads it.</summary>
    public byte[] ExportPrivateKey() => Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(Sm2.PrivateKeySize, _privateKey.D);

    /// <summary>An SM2 signature (DER) over <paramref name="data"/> with the default user id; randomised (a fresh k each time).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        lock (_signing)
        {
            _signer ??= Sm2.Signer(_privateKey, Sm2.DefaultUserIdBytes, new SecureRandom());
            try
            {
                _signer.BlockUpdate(data);
                return _signer.GenerateSignature();
            }
            catch
            {
                // A signer that failed half-way may still hold part of the message.
                _signer = null;
                throw;
            }
        }
    }

    /// <summary>Encrypts to this pair's own public key (C1||C3||C2).</summary>
    public byte[] Encrypt(ReadOnlySpan<byte> plaintext) => Sm2.Encrypt(PublicKeyParameters, plaintext, new SecureRandom());

    /// <exception cref="System.Security.Cryptography.CryptographicException">Not encrypted to this key, or altered.</exception>
    public byte[] Decrypt(ReadOnlySpan<byte> ciphertext) => Sm2.Decrypt(_privateKey, ciphertext);
}

using System.Security.Cryptography;
using OpenHip.Modules.Security.Features.Crypto;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace OpenHip.Modules.Security.Tests.Crypto;

public sealed class Sm2Tests
{
    private static readonly byte[] Message = "patient 42 was read by practitioner 7"u8.ToArray();

    [Fact]
    public void Domain_IsTheCurveWithItsOwnFieldArithmetic()
    {
        // GMNamedCurves gives the same curve on generic arithmetic: every checkpoint signature ~7 times slower.
        Assert.Equal(Org.BouncyCastle.Crypto.EC.CustomNamedCurves.GetByName("sm2p256v1").Curve.GetType(), Sm2.Domain.Curve.GetType());
        Assert.IsNotType<FpCurve>(Sm2.Domain.Curve);
    }

    [Fact]
    public void Sign_PublishedVectorWithFixedK_ProducesPublishedRAndS()
    {
        Sm2KeyPair pair = Sm2KeyPair.FromPrivateKey(KnownAnswerTests.Sm2Signature.PrivateKey);

        byte[] signature = Sm2.Sign(
            pair.PrivateKeyParameters,
            KnownAnswerTests.Sm2Signature.Message,
            KnownAnswerTests.Sm2Signature.UserId,
            FixedRandom.Of(Convert.ToHexString(KnownAnswerTests.Sm2Signature.K)));

        var sequence = (Asn1Sequence)Asn1Object.FromByteArray(signature);
        Assert.Equal(new BigInteger(1, KnownAnswerTests.Sm2Signature.R), DerInteger.GetInstance(sequence[0]).Value);
        Assert.Equal(new BigInteger(1, KnownAnswerTests.Sm2Signature.S), DerInteger.GetInstance(sequence[1]).Value);
        Assert.Equal(KnownAnswerTests.Sm2Signature.Der(), signature);
    }

    [Fact]
    public void Sign_UsesDefaultUserId1234567812345678()
    {
        Sm2KeyPair pair = Sm2KeyPair.Generate();
        byte[] explicitId = Sm2.Sign(pair.PrivateKeyParameters, Message, "1234567812345678"u8.ToArray(), new Org.BouncyCastle.Security.SecureRandom());
        byte[] otherId = Sm2.Sign(pair.PrivateKeyParameters, Message, "ALICE123@YAHOO.COM"u8.ToArray(), new Org.BouncyCastle.Security.SecureRandom());

        Assert.True(Sm2.Verify(pair.PublicKey, Message, explicitId));
        Assert.False(Sm2.Verify(pair.PublicKey, Message, otherId));
    }

    [Fact]
    public void Sign_GeneratedPair_VerifiesAndIsDer()
    {
        Sm2KeyPair pair = Sm2KeyPair.Generate();

        byte[] signature = pair.Sign(Message);

        Assert.True(Sm2.Verify(pair.PublicKey, Message, signature));
        Assert.Equal(0x30, signature[0]);
        Assert.InRange(signature.Length, 8, 72);
        Assert.Equal(Sm2.PublicKeySize, pair.PublicKey.Length);
        Assert.Equal(0x04, pair.PublicKey[0]);
    }

    [Fact]
    public void Verify_ModifiedMessage_False()
    {
        Sm2KeyPair pair = Sm2KeyPair.Generate();
        byte[] signature = pair.Sign(Message);
        byte[] altered = (byte[])Message.Clone();
        altered[0] ^= 1;

        Assert.False(Sm2.Verify(pair.PublicKey, altered, signature));
    }

    [Fact]
    public void Verify_ModifiedSignature_False()
    {
        Sm2KeyPair pair = Sm2KeyPair.Generate();
        byte[] signature = pair.Sign(Message);

        for (int i = 0; i < signature.Length; i++)
        {
            byte[] altered = (byte[])signature.Clone();
            altered[i] ^= 0x01;
            Assert.False(Sm2.Verify(pair.PublicKey, Message, altered), $"byte {i}");
        }

        Assert.False(Sm2.Verify(pair.PublicKey, Message, signature.AsSpan(0, signature.Length - 1)));
        Assert.False(Sm2.Verify(pair.PublicKey, Message, []));
    }

    [Fact]
    public void Sign_ManyMessagesWithOneKeyPair_EachSignatureVerifiesForItsOwnMessageOnly()
    {
        // The key pair keeps one signer for all its signatures: each must start from Z again, not from the last message.
        Sm2KeyPair pair = Sm2KeyPair.Generate();
        byte[][] messages = [.. Enumerable.Range(0, 5).Select(i => System.Text.Encoding.UTF8.GetBytes($"checkpoint {i}"))];
        byte[][] signatures = [.. messages.Select(m => pair.Sign(m))];

        for (int i = 0; i < messages.Length; i++)
        {
            Assert.True(Sm2.Verify(pair.PublicKey, messages[i], signatures[i]));
            Assert.False(Sm2.Verify(pair.PublicKey, messages[(i + 1) % messages.Length], signatures[i]));
        }
    }

    [Fact]
    public void Verify_WrongPublicKey_False()
    {
        Sm2KeyPair signer = Sm2KeyPair.Generate();
        Sm2KeyPair other = Sm2KeyPair.Generate();

        Assert.False(Sm2.Verify(other.PublicKey, Message, signer.Sign(Message)));
    }

    [Fact]
    public void Verify_PublicKeyOffTheCurveOrMalformed_False()
    {
        Sm2KeyPair pair = Sm2KeyPair.Generate();
        byte[] signature = pair.Sign(Message);
        byte[] offCurve = (byte[])pair.PublicKey.Clone();
        offCurve[64] ^= 1;

        Assert.False(Sm2.Verify(offCurve, Message, signature));
        Assert.False(Sm2.Verify(pair.PublicKey[..33], Message, signature));
        Assert.False(Sm2.Verify(new byte[65], Message, signature));
    }

    [Fact]
    public void FromPrivateKey_ExportedKey_SamePublicKeyAndSignaturesVerify()
    {
        Sm2KeyPair pair = Sm2KeyPair.Generate();

        Sm2KeyPair restored = Sm2KeyPair.FromPrivateKey(pair.ExportPrivateKey());

        Assert.Equal(Sm2.PrivateKeySize, pair.ExportPrivateKey().Length);
        Assert.Equal(pair.PublicKey, restored.PublicKey);
        Assert.True(Sm2.Verify(pair.PublicKey, Message, restored.Sign(Message)));
    }

    [Fact]
    public void FromPrivateKey_OutOfRange_Throws()
    {
        byte[] n = Sm2.Domain.N.ToByteArrayUnsigned();
        byte[] nMinusOne = Sm2.Domain.N.Subtract(BigInteger.One).ToByteArrayUnsigned();

        Assert.Throws<ArgumentException>(() => Sm2KeyPair.FromPrivateKey(new byte[32]));
        Assert.Throws<ArgumentException>(() => Sm2KeyPair.FromPrivateKey(n));
        Assert.Throws<ArgumentException>(() => Sm2KeyPair.FromPrivateKey(nMinusOne));
    }

    [Fact]
    public void Encrypt_GbT32918Part4ExampleOnTestCurve_ProducesPublishedC1C3C2()
    {
        // GB/T 32918.4-2016 Appendix A (the Fp-256 example curve), ciphertext in C1||C3||C2 order.
        var p = new BigInteger("8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3", 16);
        var a = new BigInteger("787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498", 16);
        var b = new BigInteger("63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A", 16);
        var n = new BigInteger("8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7", 16);
        var curve = new FpCurve(p, a, b, n, BigInteger.One);
        Org.BouncyCastle.Math.EC.ECPoint g = curve.CreatePoint(
            new BigInteger("421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D", 16),
            new BigInteger("0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2", 16));
        var domain = new ECDomainParameters(curve, g, n);
        var privateKey = new ECPrivateKeyParameters(new BigInteger("1649AB77A00637BD5E2EFE283FBF353534AA7F7CB89463F208DDBC2920BB0DA0", 16), domain);
        var publicKey = new ECPublicKeyParameters(g.Multiply(privateKey.D).Normalize(), domain);
        byte[] message = "encryption standard"u8.ToArray();

        byte[] ciphertext = Sm2.Encrypt(publicKey, message, FixedRandom.Of("4C62EEFD6ECFC2B95B92FD6C3D9575148AFA17425546D49018E5388D49DD7B4F"));

        Assert.Equal(
            "04245C26FB68B1DDDDB12C4B6BF9F2B6D5FE60A383B0D18D1C4144ABF17F6252E776CB9264C2A7E88E52B19903FDC47378F605E36811F5C07423A24B84400F01B8"
            + "9C3D7360C30156FAB7C80A0276712DA9D8094A634B766D3A285E07480653426D"
            + "650053A89B41C418B0C3AAD00D886C00286467",
            Convert.ToHexString(ciphertext));
        Assert.Equal(message, Sm2.Decrypt(privateKey, ciphertext));
    }

    [Fact]
    public void Encrypt_GeneratedPair_RoundTripsAndHasC1C3C2Length()
    {
        Sm2KeyPair pair = Sm2KeyPair.Generate();

        byte[] ciphertext = Sm2.Encrypt(pair.PublicKey, Message);

        Assert.Equal(65 + 32 + Message.Length, ciphertext.Length);
        Assert.Equal(Message, pair.Decrypt(ciphertext));
        Assert.Equal(Message, pair.Decrypt(pair.Encrypt(Message)));
    }

    [Fact]
    public void Decrypt_AlteredCiphertext_Throws()
    {
        Sm2KeyPair pair = Sm2KeyPair.Generate();
        byte[] ciphertext = pair.Encrypt(Message);
        ciphertext[^1] ^= 1; // C2
        byte[] alteredHash = pair.Encrypt(Message);
        alteredHash[70] ^= 1; // C3

        Assert.Throws<CryptographicException>(() => pair.Decrypt(ciphertext));
        Assert.Throws<CryptographicException>(() => pair.Decrypt(alteredHash));
    }

    [Fact]
    public void Decrypt_WrongKey_Throws()
    {
        Sm2KeyPair pair = Sm2KeyPair.Generate();
        Sm2KeyPair other = Sm2KeyPair.Generate();

        Assert.Throws<CryptographicException>(() => other.Decrypt(pair.Encrypt(Message)));
    }
}

using System.Security.Cryptography;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Modules.Security.Tests.Crypto;

public sealed class Sm4Tests
{
    private static readonly byte[] Key = Convert.FromHexString("0123456789abcdeffedcba9876543210");

    [Fact]
    public void Block_GbT32907Example1_EncryptsAndDecrypts()
    {
        byte[] cipher = Sm4Block.Apply(Key, Key, encrypt: true);

        Assert.Equal("681edf34d206965e86b3e94f536e4246", Convert.ToHexStringLower(cipher));
        Assert.Equal(Key, Sm4Block.Apply(Key, cipher, encrypt: false));
    }

    [Fact]
    public void Block_GbT32907Example2_MillionRounds()
    {
        byte[] cipher = Sm4Block.Apply(Key, Key, encrypt: true, rounds: 1_000_000);

        Assert.Equal("595298c7c6fd271f0402f804c33d3f66", Convert.ToHexStringLower(cipher));
        Assert.Equal(Key, Sm4Block.Apply(Key, cipher, encrypt: false, rounds: 1_000_000));
    }

    [Fact]
    public void Gcm_Rfc8998AppendixA1_EncryptsToPublishedCiphertextAndTag()
    {
        byte[] output = Sm4Gcm.Encrypt(
            KnownAnswerTests.Rfc8998.Key, KnownAnswerTests.Rfc8998.Nonce, KnownAnswerTests.Rfc8998.Plaintext, KnownAnswerTests.Rfc8998.Aad);

        Assert.Equal(
            "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
            + "83DE3541E4C2B58177E065A9BF7B62EC",
            Convert.ToHexString(output));
    }

    [Fact]
    public void Gcm_Rfc8998AppendixA1_Decrypts()
    {
        byte[] plaintext = Sm4Gcm.Decrypt(
            KnownAnswerTests.Rfc8998.Key, KnownAnswerTests.Rfc8998.Nonce, KnownAnswerTests.Rfc8998.CiphertextAndTag, KnownAnswerTests.Rfc8998.Aad);

        Assert.Equal(KnownAnswerTests.Rfc8998.Plaintext, plaintext);
    }

    [Theory]
    [InlineData(0)] // first ciphertext byte
    [InlineData(63)] // last ciphertext byte
    [InlineData(64)] // first tag byte
    [InlineData(79)] // last tag byte
    public void Gcm_AlteredByte_Throws(int index)
    {
        byte[] altered = (byte[])KnownAnswerTests.Rfc8998.CiphertextAndTag.Clone();
        altered[index] ^= 0x80;

        Assert.Throws<CryptographicException>(() =>
            Sm4Gcm.Decrypt(KnownAnswerTests.Rfc8998.Key, KnownAnswerTests.Rfc8998.Nonce, altered, KnownAnswerTests.Rfc8998.Aad));
    }

    [Fact]
    public void Gcm_WrongAad_Throws()
    {
        byte[] aad = (byte[])KnownAnswerTests.Rfc8998.Aad.Clone();
        aad[0] ^= 1;

        Assert.Throws<CryptographicException>(() =>
            Sm4Gcm.Decrypt(KnownAnswerTests.Rfc8998.Key, KnownAnswerTests.Rfc8998.Nonce, KnownAnswerTests.Rfc8998.CiphertextAndTag, aad));
    }

    [Fact]
    public void Gcm_MissingAad_Throws()
    {
        Assert.Throws<CryptographicException>(() =>
            Sm4Gcm.Decrypt(KnownAnswerTests.Rfc8998.Key, KnownAnswerTests.Rfc8998.Nonce, KnownAnswerTests.Rfc8998.CiphertextAndTag, []));
    }

    [Fact]
    public void Gcm_WrongKey_Throws()
    {
        byte[] key = (byte[])KnownAnswerTests.Rfc8998.Key.Clone();
        key[15] ^= 1;

        Assert.Throws<CryptographicException>(() =>
            Sm4Gcm.Decrypt(key, KnownAnswerTests.Rfc8998.Nonce, KnownAnswerTests.Rfc8998.CiphertextAndTag, KnownAnswerTests.Rfc8998.Aad));
    }

    [Fact]
    public void Gcm_WrongNonce_Throws()
    {
        byte[] nonce = (byte[])KnownAnswerTests.Rfc8998.Nonce.Clone();
        nonce[11] ^= 1;

        Assert.Throws<CryptographicException>(() =>
            Sm4Gcm.Decrypt(KnownAnswerTests.Rfc8998.Key, nonce, KnownAnswerTests.Rfc8998.CiphertextAndTag, KnownAnswerTests.Rfc8998.Aad));
    }

    [Fact]
    public void Gcm_TruncatedToLessThanTag_Throws()
    {
        Assert.Throws<CryptographicException>(() =>
            Sm4Gcm.Decrypt(KnownAnswerTests.Rfc8998.Key, KnownAnswerTests.Rfc8998.Nonce, new byte[15], KnownAnswerTests.Rfc8998.Aad));
    }

    [Fact]
    public void Gcm_KeyOfWrongSize_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => Sm4Gcm.Encrypt(new byte[32], Sm4Gcm.NewNonce(), "x"u8, []));
    }

    [Fact]
    public void Gcm_RandomKeyAndNonce_RoundTrips()
    {
        byte[] key = RandomNumberGenerator.GetBytes(Sm4Gcm.KeySize);
        byte[] nonce = Sm4Gcm.NewNonce();

        byte[] sealedBytes = Sm4Gcm.Encrypt(key, nonce, "110101199003077777"u8, "Patient.identifier"u8);

        Assert.Equal(18 + Sm4Gcm.TagSize, sealedBytes.Length);
        Assert.Equal("110101199003077777"u8.ToArray(), Sm4Gcm.Decrypt(key, nonce, sealedBytes, "Patient.identifier"u8));
    }

    [Fact]
    public void Gcm_ManyValuesUnderOneKey_EachDecryptsWithItsOwnNonceAndAad()
    {
        // One thread keeps its cipher for a key and re-initialises it per value: no state may leak between values.
        byte[] key = RandomNumberGenerator.GetBytes(Sm4Gcm.KeySize);
        var sealedValues = Enumerable.Range(0, 20)
            .Select(i => (Nonce: Sm4Gcm.NewNonce(), Aad: BitConverter.GetBytes(i), Plaintext: BitConverter.GetBytes(i * 7919L)))
            .Select(v => (v.Nonce, v.Aad, v.Plaintext, Sealed: Sm4Gcm.Encrypt(key, v.Nonce, v.Plaintext, v.Aad)))
            .ToList();

        Assert.All(sealedValues, v => Assert.Equal(v.Plaintext, Sm4Gcm.Decrypt(key, v.Nonce, v.Sealed, v.Aad)));
        Assert.Equal(sealedValues.Count, sealedValues.Select(v => Convert.ToHexString(v.Sealed)).Distinct().Count());
    }

    [Fact]
    public void Gcm_KnownAnswerRepeated_GivesTheSameOutput()
    {
        // A deliberate repeat of key and nonce (the start-up self-test runs again) is not refused as a reused nonce.
        byte[] first = Sm4Gcm.Encrypt(KnownAnswerTests.Rfc8998.Key, KnownAnswerTests.Rfc8998.Nonce, KnownAnswerTests.Rfc8998.Plaintext, KnownAnswerTests.Rfc8998.Aad);
        byte[] second = Sm4Gcm.Encrypt(KnownAnswerTests.Rfc8998.Key, KnownAnswerTests.Rfc8998.Nonce, KnownAnswerTests.Rfc8998.Plaintext, KnownAnswerTests.Rfc8998.Aad);

        Assert.Equal(KnownAnswerTests.Rfc8998.CiphertextAndTag, first);
        Assert.Equal(first, second);
    }
}

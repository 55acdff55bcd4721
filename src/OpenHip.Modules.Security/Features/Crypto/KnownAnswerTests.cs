using System.Security.Cryptography;

namespace OpenHip.Modules.Security.Features.Crypto;

/// <summary>
/// The start-up self-tests (GB/T 39786 asks that cryptographic modules check themselves before use): published
/// vectors where they exist, pairwise checks where a vector would need a fixed random in production code.
/// They take a few milliseconds; GB/T 32907's million-round SM4 vector runs in the test suite only.
/// </summary>
internal static class KnownAnswerTests
{
    public static IReadOnlyList<KnownAnswerTest> StartUp { get; } =
    [
        new("SM3 hash of \"abc\" (GB/T 32905-2016 A.1)", () => Sm3.Hash("abc"u8).AsSpan().SequenceEqual(Hex("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"))),
        new("SM3 hash of \"abcd\"x16 (GB/T 32905-2016 A.2)", () => Sm3.Hash(Repeat("abcd"u8, 16)).AsSpan().SequenceEqual(Hex("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"))),
        new("SM3 in lanes: both GB/T 32905-2016 vectors, split and side by side", Sm3LanesHashVectors),
        new("HMAC-SM3 (RFC 2202 case 1 inputs)", () => Sm3.Hmac(Hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), "Hi There"u8).AsSpan().SequenceEqual(Hex("12d66c84b4a40ad8035c263e419bd43c7e52fb438b930eba0c94e34cdb9b63f3"))),
        new("SM4 block encryption (GB/T 32907-2016 A.1)", Sm4BlockRoundTrip),
        new("SM4-GCM encryption (RFC 8998 A.1)", Sm4GcmEncrypts),
        new("SM4-GCM decryption and tag check (RFC 8998 A.1)", Sm4GcmDecryptsAndRejectsAlteredTag),
        new("SM2 signature verification (sm2p256v1 known signature)", Sm2VerifiesKnownSignature),
        new("SM2 sign/verify pairwise consistency", Sm2SignsPairwise),
        new("SM2 encrypt/decrypt pairwise consistency", Sm2EncryptsPairwise),
    ];

    internal static class Rfc8998
    {
        public static readonly byte[] Key = Hex("0123456789ABCDEFFEDCBA9876543210");
        public static readonly byte[] Nonce = Hex("00001234567800000000ABCD");
        public static readonly byte[] Aad = Hex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2");
        public static readonly byte[] Plaintext = Hex(
            "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD" +
            "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA");
        public static readonly byte[] CiphertextAndTag = Hex(
            "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735" +
            "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D" +
            "83DE3541E4C2B58177E065A9BF7B62EC");
    }

    /// <summary>An SM2 signature on sm2p256v1 with a fixed k (the vector BouncyCastle's SM2 tests share with GmSSL).</summary>
    internal static class Sm2Signature
    {
        public static readonly byte[] PrivateKey = Hex("110E7973206F68C19EE5F7328C036F26911C8C73B4E4F36AE3291097F8984FFC");
        public static readonly byte[] K = Hex("3174C6FFC3C279D2422F3FC0A9F3E574674A4490FE45A5325CAF7D3EC4C8F96C");
        public static readonly byte[] UserId = "sm2test@example.com"u8.ToArray();
        public static readonly byte[] Message = "hi chappy"u8.ToArray();
        public static readonly byte[] R = Hex("05890B9077B92E47B17A1FF42A814280E556AFD92B4A98B9670BF8B1A274C2FA");
        public static readonly byte[] S = Hex("E3ABBB8DB2B6ECD9B24ECCEA7F679FB9A4B1DB52F4AA985E443AD73237FA1993");

        public static byte[] Der() =>
            new Org.BouncyCastle.Asn1.DerSequence(
                new Org.BouncyCastle.Asn1.DerInteger(new Org.BouncyCastle.Math.BigInteger(1, R)),
                new Org.BouncyCastle.Asn1.DerInteger(new Org.BouncyCastle.Math.BigInteger(1, S))).GetDerEncoded();
    }

    internal static byte[] Hex(string hex) => Convert.FromHexString(hex);

    private static byte[] Repeat(ReadOnlySpan<byte> unit, int times)
    {
        byte[] result = new byte[unit.Length * times];
        for (int i = 0; i < times; i++)
        {
            unit.CopyTo(result.AsSpan(i * unit.Length));
        }

        return result;
    }

    // The journal's chains are hashed sixteen at a time: the standard's two messages, each split in two parts and in
    // lanes of their own among others, must give the standard's digests (on a machine without AVX-512 this checks the
    // fallback).
    private static bool Sm3LanesHashVectors()
    {
        byte[] abcd = Repeat("abcd"u8, 16);
        ReadOnlyMemory<byte>[] firsts = [.. Enumerable.Range(0, Sm3Lanes.Width).Select(i => i % 2 == 0 ? (ReadOnlyMemory<byte>)"ab"u8.ToArray() : abcd.AsMemory(0, 32))];
        ReadOnlyMemory<byte>[] seconds = [.. Enumerable.Range(0, Sm3Lanes.Width).Select(i => i % 2 == 0 ? (ReadOnlyMemory<byte>)"c"u8.ToArray() : abcd.AsMemory(32))];
        byte[] output = new byte[Sm3Lanes.Width * Sm3.HashSize];
        Sm3Lanes.Hash(firsts, seconds, output);
        byte[] abc = Hex("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
        byte[] repeated = Hex("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
        return Enumerable.Range(0, Sm3Lanes.Width).All(i => output.AsSpan(i * Sm3.HashSize, Sm3.HashSize).SequenceEqual(i % 2 == 0 ? abc : repeated));
    }

    private static bool Sm4BlockRoundTrip()
    {
        byte[] key = Hex("0123456789abcdeffedcba9876543210");
        byte[] cipher = Sm4Block.Apply(key, key, encrypt: true);
        return cipher.AsSpan().SequenceEqual(Hex("681edf34d206965e86b3e94f536e4246"))
            && Sm4Block.Apply(key, cipher, encrypt: false).AsSpan().SequenceEqual(key);
    }

    private static bool Sm4GcmEncrypts() =>
        Sm4Gcm.Encrypt(Rfc8998.Key, Rfc8998.Nonce, Rfc8998.Plaintext, Rfc8998.Aad).AsSpan().SequenceEqual(Rfc8998.CiphertextAndTag);

    private static bool Sm4GcmDecryptsAndRejectsAlteredTag()
    {
        if (!Sm4Gcm.Decrypt(Rfc8998.Key, Rfc8998.Nonce, Rfc8998.CiphertextAndTag, Rfc8998.Aad).AsSpan().SequenceEqual(Rfc8998.Plaintext))
        {
            return false;
        }

        byte[] altered = (byte[])Rfc8998.CiphertextAndTag.Clone();
        altered[^1] ^= 0x01;
        try
        {
            Sm4Gcm.Decrypt(Rfc8998.Key, Rfc8998.Nonce, altered, Rfc8998.Aad);
            return false;
        }
        catch (CryptographicException)
        {
            return true;
        }
    }

    private static bool Sm2VerifiesKnownSignature()
    {
        Sm2KeyPair pair = Sm2KeyPair.FromPrivateKey(Sm2Signature.PrivateKey);
        byte[] signature = Sm2Signature.Der();
        byte[] otherMessage = [.. Sm2Signature.Message, (byte)'!'];
        return Sm2.Verify(pair.PublicKeyParameters, Sm2Signature.Message, signature, Sm2Signature.UserId)
            && !Sm2.Verify(pair.PublicKeyParameters, otherMessage, signature, Sm2Signature.UserId);
    }

    private static bool Sm2SignsPairwise()
    {
        Sm2KeyPair pair = Sm2KeyPair.Generate();
        byte[] message = "OpenHIP start-up self-test"u8.ToArray();
        byte[] signature = pair.Sign(message);
        return Sm2.Verify(pair.PublicKey, message, signature) && !Sm2.Verify(pair.PublicKey, [.. message, 0], signature);
    }

    private static bool Sm2EncryptsPairwise()
    {
        Sm2KeyPair pair = Sm2KeyPair.Generate();
        byte[] message = "OpenHIP start-up self-test"u8.ToArray();
        byte[] ciphertext = Sm2.Encrypt(pair.PublicKey, message);
        return ciphertext.AsSpan().IndexOf(message) < 0 && pair.Decrypt(ciphertext).AsSpan().SequenceEqual(message);
    }
}

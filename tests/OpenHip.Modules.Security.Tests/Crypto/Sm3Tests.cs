using System.Text;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Modules.Security.Tests.Crypto;

public sealed class Sm3Tests
{
    [Theory]
    // GB/T 32905-2016 Appendix A, examples 1 and 2.
    [InlineData("abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")]
    [InlineData("abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd", "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")]
    // Common extra vectors (GmSSL, BouncyCastle).
    [InlineData("", "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b")]
    [InlineData("a", "623476ac18f65a2909e43c7fec61b49c7e764a91a18ccb82f1917a29c86c5e88")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "b80fe97a4da24afc277564f66a359ef440462ad28dcc6d63adb24d5c20a61595")]
    public void Hash_PublishedVector_MatchesDigest(string message, string digest)
    {
        byte[] hash = Sm3.Hash(Encoding.ASCII.GetBytes(message));

        Assert.Equal(digest, Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void Hash_MillionA_MatchesDigest()
    {
        byte[] million = new byte[1_000_000];
        million.AsSpan().Fill((byte)'a');

        Assert.Equal("c8aaf89429554029e231941a2acc0ad61ff2a5acd8fadd25847a3a732b3b02c3", Convert.ToHexStringLower(Sm3.Hash(million)));
    }

    [Theory]
    // RFC 2202/4231 inputs with SM3 (full 32-byte output).
    [InlineData("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265", "12d66c84b4a40ad8035c263e419bd43c7e52fb438b930eba0c94e34cdb9b63f3")]
    [InlineData("4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "2e87f1d16862e6d964b50a5200bf2b10b764faa9680a296a2405f24bec39f882")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd", "7bfeba1b1518329f73aad171e89009fc41d43b66de11e779b5615bfbf0b85973")]
    [InlineData("0102030405060708090a0b0c0d0e0f10111213141516171819", "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd", "b57c79be03472aeb8cada581dea332cb2ba83d19cb1b052dd07194def75fb8cd")]
    public void Hmac_KnownInputs_MatchesMac(string key, string data, string mac)
    {
        byte[] result = Sm3.Hmac(Convert.FromHexString(key), Convert.FromHexString(data));

        Assert.Equal(mac, Convert.ToHexStringLower(result));
    }

    [Fact]
    public void Hmac_KeyLongerThanBlock_IsHashedFirst()
    {
        byte[] key = new byte[80]; // RFC 2202 case 6: 80 bytes, more than SM3's 64-byte block
        key.AsSpan().Fill(0xaa);

        byte[] result = Sm3.Hmac(key, "Test Using Larger Than Block-Size Key - Hash Key First"u8);

        Assert.Equal("c794651f5455f80546855f744ff50146d5286e1cb677d5088c059cd8b03bb9ce", Convert.ToHexStringLower(result));
    }

    [Fact]
    public void Hmac_DifferentKey_DifferentMac()
    {
        Assert.NotEqual(Sm3.Hmac("key-1"u8, "110101199003077777"u8), Sm3.Hmac("key-2"u8, "110101199003077777"u8));
    }

    [Fact]
    public void Hmac_AlternatingKeys_EachMatchesAFreshMac()
    {
        // The keyed HMAC a thread keeps must reset to its keyed state after each value, and follow a change of key.
        byte[] one = Sm3.Hmac("key-1"u8, "a"u8);
        byte[] two = Sm3.Hmac("key-2"u8, "a"u8);

        Assert.Equal(one, Sm3.Hmac("key-1"u8, "a"u8));
        Assert.Equal(one, Sm3.Hmac("key-1"u8, "a"u8));
        Assert.Equal(two, Sm3.Hmac("key-2"u8, "a"u8));
    }
}

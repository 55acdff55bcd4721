using OpenHip.Modules.Security.Features.Crypto;
using OpenHip.Modules.Security.Features.FieldEncryption;

namespace OpenHip.Modules.Security.Tests.FieldEncryption;

/// <summary>The block-buffered nonces: drawing them a block at a time must never hand the same bytes out twice.</summary>
public sealed class NonceSourceTests
{
    [Fact]
    public void Fill_ManyBlocksOnSeveralThreads_NoNonceRepeats()
    {
        const int PerThread = 2000; // about 31 blocks each, so block boundaries are crossed many times
        string[][] drawn = new string[4][];

        Parallel.For(0, drawn.Length, t =>
        {
            drawn[t] = new string[PerThread];
            Span<byte> nonce = stackalloc byte[Sm4Gcm.NonceSize];
            for (int i = 0; i < PerThread; i++)
            {
                NonceSource.Fill(nonce);
                drawn[t][i] = Convert.ToHexString(nonce);
            }
        });

        string[] all = [.. drawn.SelectMany(d => d)];
        Assert.Equal(all.Length, all.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Encrypt_SameValueTwice_DifferentNoncesAndBothDecrypt()
    {
        var key = new DataKey("0a1b2c3d", Convert.FromHexString("00112233445566778899aabbccddeeff"));

        string first = EncryptedValue.Encrypt(key, "110105194912310021", "Patient", "p1", ProtectedPatient.ResidentSystem);
        string second = EncryptedValue.Encrypt(key, "110105194912310021", "Patient", "p1", ProtectedPatient.ResidentSystem);

        Assert.NotEqual(first, second);
        Assert.Equal("110105194912310021", EncryptedValue.Decrypt(key, first, "Patient", "p1", ProtectedPatient.ResidentSystem));
        Assert.Equal("110105194912310021", EncryptedValue.Decrypt(key, second, "Patient", "p1", ProtectedPatient.ResidentSystem));
    }
}

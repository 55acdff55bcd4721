using OpenHip.Modules.Security.Features.Crypto;
using Org.BouncyCastle.Crypto.Digests;

namespace OpenHip.Modules.Security.Tests.Crypto;

public sealed class OpenSslSm3Tests
{
    private const string Unavailable = "no OpenSSL 3 libcrypto with SM3 here; Sm3 hashes with BouncyCastle, which Sm3Tests cover";

    [SkippableFact]
    public void Hash_RandomInputsSplitAnywhere_EqualsBouncyCastle()
    {
        OpenSslSm3? openSsl = OpenSslSm3.Load();
        Skip.If(openSsl is null, Unavailable);
        var random = new Random(32905);
        var digest = new SM3Digest();
        byte[] ours = new byte[Sm3.HashSize];
        byte[] reference = new byte[Sm3.HashSize];

        for (int i = 0; i < 3000; i++)
        {
            byte[] input = new byte[random.Next(0, 600)];
            random.NextBytes(input);
            int split = random.Next(0, input.Length + 1);
            openSsl.Hash(input.AsSpan(0, split), input.AsSpan(split), ours);
            digest.BlockUpdate(input);
            digest.DoFinal(reference);

            Assert.True(ours.AsSpan().SequenceEqual(reference), $"input {i} of {input.Length} bytes split at {split}");
        }
    }

    [SkippableFact]
    public async Task Hash_ManyThreadsAtOnce_EachGetsItsOwnContext()
    {
        OpenSslSm3? openSsl = OpenSslSm3.Load();
        Skip.If(openSsl is null, Unavailable);

        int mismatches = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
        {
            var digest = new SM3Digest();
            byte[] input = new byte[111];
            byte[] ours = new byte[Sm3.HashSize];
            byte[] reference = new byte[Sm3.HashSize];
            for (int i = 0; i < 2000; i++)
            {
                input[0] = (byte)thread;
                BitConverter.TryWriteBytes(input.AsSpan(1), i);
                openSsl.Hash(input.AsSpan(0, 32), input.AsSpan(32), ours);
                digest.BlockUpdate(input);
                digest.DoFinal(reference);
                if (!ours.AsSpan().SequenceEqual(reference))
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        })));

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Choose_BouncyCastleAsked_LeavesOpenSslOut()
    {
        Assert.Null(OpenSslSm3.Choose("BouncyCastle"));
    }
}

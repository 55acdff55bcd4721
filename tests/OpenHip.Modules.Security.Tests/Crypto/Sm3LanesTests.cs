using System.Runtime.Intrinsics.X86;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Modules.Security.Tests.Crypto;

public sealed class Sm3LanesTests
{
    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void Hash_ManyMessagesOfEveryLength_MatchesOneAtATime(bool lanes)
    {
        Skip.If(lanes && !Avx512F.IsSupported, "this machine has no AVX-512: the lanes fall back to one message at a time");
        var random = new Random(32905);
        bool enabled = Sm3Lanes.Enabled;
        try
        {
            Sm3Lanes.Enabled = lanes;

            // Lengths from empty to past the lanes' limit (one to three blocks, then hashed alone), in groups of every size.
            for (int round = 0; round < 60; round++)
            {
                int count = 1 + (round % Sm3Lanes.Width);
                var firsts = new ReadOnlyMemory<byte>[count];
                var seconds = new ReadOnlyMemory<byte>[count];
                for (int i = 0; i < count; i++)
                {
                    int length = random.Next(0, Sm3Lanes.MaxLength + 40);
                    byte[] message = new byte[length];
                    random.NextBytes(message);
                    int split = random.Next(0, length + 1);
                    firsts[i] = message.AsMemory(0, split);
                    seconds[i] = message.AsMemory(split);
                }

                byte[] output = new byte[count * Sm3.HashSize];
                Sm3Lanes.Hash(firsts, seconds, output);

                for (int i = 0; i < count; i++)
                {
                    Assert.Equal(Sm3.Hash(firsts[i].Span, seconds[i].Span), output.AsSpan(i * Sm3.HashSize, Sm3.HashSize).ToArray());
                }
            }
        }
        finally
        {
            Sm3Lanes.Enabled = enabled;
        }
    }

    [Fact]
    public void Hash_PublishedVectorInEveryLane_MatchesDigest()
    {
        ReadOnlyMemory<byte>[] firsts = [.. Enumerable.Range(0, Sm3Lanes.Width).Select(_ => (ReadOnlyMemory<byte>)"a"u8.ToArray())];
        ReadOnlyMemory<byte>[] seconds = [.. Enumerable.Range(0, Sm3Lanes.Width).Select(_ => (ReadOnlyMemory<byte>)"bc"u8.ToArray())];
        byte[] output = new byte[Sm3Lanes.Width * Sm3.HashSize];

        Sm3Lanes.Hash(firsts, seconds, output);

        Assert.All(Enumerable.Range(0, Sm3Lanes.Width), i => Assert.Equal(
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", Convert.ToHexStringLower(output.AsSpan(i * Sm3.HashSize, Sm3.HashSize))));
    }

    [Fact]
    public void Hash_MoreMessagesThanLanes_Throws()
    {
        ReadOnlyMemory<byte>[] seventeen = new ReadOnlyMemory<byte>[Sm3Lanes.Width + 1];

        Assert.Throws<ArgumentException>(() => Sm3Lanes.Hash(seventeen, seventeen, new byte[seventeen.Length * Sm3.HashSize]));
    }
}

using BenchmarkDotNet.Attributes;
using OpenHip.Modules.Security.Features.Crypto;
using Org.BouncyCastle.Crypto.Digests;

namespace OpenHip.Benchmarks.Security;

/// <summary>
/// One audited read's chain link, SM3(previous hash || payload) over 32 + 79 bytes, by BouncyCastle and by OpenSSL's
/// libcrypto (what <see cref="Sm3"/> uses where the platform has it): the ratio of the two in one run.
/// </summary>
[MemoryDiagnoser]
public class ChainLinkHashBenchmarks
{
    private readonly byte[] _previous = new byte[32];
    private readonly byte[] _payload = new byte[79];
    private readonly byte[] _hash = new byte[Sm3.HashSize];
    private readonly SM3Digest _digest = new();
    private OpenSslSm3? _openSsl;

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_previous);
        Random.Shared.NextBytes(_payload);
        _openSsl = OpenSslSm3.Load() ?? throw new InvalidOperationException("No OpenSSL 3 libcrypto with SM3 here");
    }

    [Benchmark(Baseline = true)]
    public byte[] BouncyCastle()
    {
        _digest.Reset();
        _digest.BlockUpdate(_previous);
        _digest.BlockUpdate(_payload);
        _digest.DoFinal(_hash);
        return _hash;
    }

    [Benchmark]
    public byte[] OpenSsl()
    {
        _openSsl!.Hash(_previous, _payload, _hash);
        return _hash;
    }
}

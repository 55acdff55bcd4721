using BenchmarkDotNet.Attributes;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Benchmarks.Security;

/// <summary>
/// An audit checkpoint's SM2 signature and its check (`audit verify` checks every one): signed every 1,000 events or
/// every second, so a signature's cost divided by 1,000 is what it adds to each audited read under load.
/// </summary>
[MemoryDiagnoser]
public class CheckpointSignatureBenchmarks
{
    private readonly Sm2KeyPair _key = Sm2KeyPair.Generate();

    // About the size of a checkpoint's canonical bytes with four chain heads.
    private readonly byte[] _checkpoint = new byte[400];
    private byte[] _signature = [];

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_checkpoint);
        _signature = _key.Sign(_checkpoint);
    }

    [Benchmark]
    public byte[] Sign() => _key.Sign(_checkpoint);

    [Benchmark]
    public bool Verify() => Sm2.Verify(_key.PublicKey, _checkpoint, _signature);
}

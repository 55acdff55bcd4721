using BenchmarkDotNet.Attributes;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;

namespace OpenHip.Benchmarks;

/// <summary>
/// Strict parsing of a request body and compact serialisation at rest: the two Firely calls every write makes.
/// BenchmarkDotNet derives from benchmark classes, so they are public and unsealed.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private byte[] _json = [];
    private Resource _resource = null!;

    [Params("Patient", "Observation")]
    public string ResourceType { get; set; } = "Patient";

    [GlobalSetup]
    public void Setup()
    {
        _json = SyntheaSample.FirstResource(ResourceType);
        _resource = FhirCodec.ParseJson(_json);
        Console.WriteLine($"// {ResourceType}: {_json.Length} bytes");
    }

    [Benchmark]
    public Resource ParseJson() => FhirCodec.ParseJson(_json);

    [Benchmark]
    public byte[] ToJsonBytes() => FhirCodec.ToJsonBytes(_resource);
}

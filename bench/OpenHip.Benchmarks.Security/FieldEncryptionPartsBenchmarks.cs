using System.Text;
using BenchmarkDotNet.Attributes;
using OpenHip.Modules.Security.Features.Crypto;
using OpenHip.Modules.Security.Features.FieldEncryption;

namespace OpenHip.Benchmarks.Security;

/// <summary>
/// The pieces of field protection one at a time, to tell where a protected write spends its time: one SM4-GCM value,
/// one blind index code, and the JSON splice of a Patient around them (protect and reveal).
/// </summary>
[MemoryDiagnoser]
public class FieldEncryptionPartsBenchmarks
{
    private readonly DataKey _key = new("0a1b2c3d", Convert.FromHexString("00112233445566778899aabbccddeeff"));
    private readonly ProtectedSystems _systems = new(FieldEncryptionOptions.DefaultSystems);
    private readonly byte[] _patientJson = Encoding.UTF8.GetBytes(
        """{"resourceType":"Patient","id":"p1","identifier":[{"system":"http://openhip.org/sid/cn-resident-id","value":"11010519491231002X"},{"system":"http://openhip.org/sid/passport/CHN","value":"E12345678"},{"system":"http://openhip.org/sid/mrn/org-1","value":"MRN-000123"}],"name":[{"text":"王明","family":"王","given":["明"]}],"telecom":[{"system":"phone","value":"13912345678"}],"gender":"male","birthDate":"1949-12-31"}""");

    private readonly BlindIndex _blind = new(new byte[32]);
    private byte[] _protectedJson = null!;

    [GlobalSetup]
    public void Setup() => _protectedJson = JsonFieldProtector.Protect(_patientJson, _systems, _key, "Patient", "p1")!.Value.Json;

    [Benchmark]
    public string EncryptOneValue() => EncryptedValue.Encrypt(_key, "11010519491231002X", "Patient", "p1", "http://openhip.org/sid/cn-resident-id");

    [Benchmark]
    public string BlindOneCode() => _blind.Of("11010519491231002X");

    [Benchmark]
    public byte[]? ProtectPatientJson() => JsonFieldProtector.Protect(_patientJson, _systems, _key, "Patient", "p1")?.Json;

    [Benchmark]
    public byte[] RevealPatientJson() => JsonFieldProtector.Reveal(_protectedJson, _ => _key, "Patient", "p1").Json;
}

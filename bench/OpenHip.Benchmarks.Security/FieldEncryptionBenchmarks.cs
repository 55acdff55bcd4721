using System.Text;
using BenchmarkDotNet.Attributes;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenHip.Fhir;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.Sqlite;
using OpenHip.Modules.Security.Features.FieldEncryption;

namespace OpenHip.Benchmarks.Security;

/// <summary>
/// The engine's write path for one typical Patient (resident ID, passport, MRN, Han and pinyin names, phone, address):
/// serialise + index as the engine does, then the same with field protection (JSON values encrypted with SM4-GCM,
/// index codes blinded with HMAC-SM3). An Observation (nothing protected) shows the cost of the byte scan alone, and
/// the read side shows decrypting a stored Patient.
/// </summary>
[MemoryDiagnoser]
public class FieldEncryptionBenchmarks
{
    private static readonly FhirRequestContext Context = new("http://openhip.test/fhir");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-bench-fields", Guid.NewGuid().ToString("n"));
    private ServiceProvider _services = null!;
    private SqliteFhirStore _store = null!;
    private ResourceWriteFactory _writes = null!;
    private FieldProtection _protection = null!;
    private DataKey _key = null!;
    private Patient _patient = null!;
    private Observation _observation = null!;
    private StoredResource _storedPatient = null!;

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_directory);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(new FhirEngineOptions()));
        services.AddFhirEngine();
        _services = services.BuildServiceProvider();
        _writes = _services.GetRequiredService<ResourceWriteFactory>();

        _store = SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(_directory, "keys.db") }).GetAwaiter().GetResult();
        var runtime = new FieldEncryptionRuntime(_store, new FieldEncryptionOptions { Kek = "00112233445566778899aabbccddeeff" }, TimeProvider.System);
        runtime.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        _protection = runtime.Protection;
        _key = _protection.Keys.Current;

        _patient = (Patient)FhirCodec.ParseJson(Encoding.UTF8.GetBytes(PatientJson));
        _observation = (Observation)FhirCodec.ParseJson(Encoding.UTF8.GetBytes(ObservationJson));
        ResourceWrite written = _protection.Protect(_writes.ForUpsert(_patient, "p1", 0, WriteMethod.Create, Context), _key);
        _storedPatient = new StoredResource("Patient", "p1", 1, written.LastUpdated, false, WriteMethod.Create, written.Json);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _services.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public ResourceWrite PatientWrite() => _writes.ForUpsert(_patient, "p1", 0, WriteMethod.Create, Context);

    [Benchmark]
    public ResourceWrite PatientWriteProtected() => _protection.Protect(_writes.ForUpsert(_patient, "p1", 0, WriteMethod.Create, Context), _key);

    [Benchmark]
    public ResourceWrite ObservationWrite() => _writes.ForUpsert(_observation, "o1", 0, WriteMethod.Create, Context);

    [Benchmark]
    public ResourceWrite ObservationWriteProtected() => _protection.Protect(_writes.ForUpsert(_observation, "o1", 0, WriteMethod.Create, Context), _key);

    [Benchmark]
    public StoredResource PatientReveal() => _protection.RevealAsync(_storedPatient, CancellationToken.None).AsTask().GetAwaiter().GetResult().Resource;

    private const string PatientJson = """
        {"resourceType":"Patient",
         "identifier":[
           {"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"NI"}]},"system":"http://openhip.org/sid/cn-resident-id","value":"11010519491231002X"},
           {"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},"system":"http://openhip.org/sid/mrn/org-1","value":"MRN-000123"},
           {"system":"http://openhip.org/sid/passport/CHN","value":"E12345678"}],
         "name":[
           {"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation","valueCode":"IDE"}],"text":"王明","family":"王","given":["明"]},
           {"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation","valueCode":"SYL"}],"text":"Wang Ming","family":"Wang","given":["Ming"]}],
         "telecom":[{"system":"phone","value":"13912345678","use":"mobile"}],
         "gender":"male","birthDate":"1949-12-31",
         "address":[{"extension":[{"url":"http://openhip.org/fhir/StructureDefinition/division-code","valueCode":"110105"}],
           "line":["朝阳路 1 号"],"city":"北京市","district":"朝阳区","state":"北京市","postalCode":"100020"}],
         "managingOrganization":{"reference":"Organization/org-1"}}
        """;

    private const string ObservationJson = """
        {"resourceType":"Observation","status":"final",
         "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
         "code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},
         "subject":{"reference":"Patient/p1"},"effectiveDateTime":"2026-01-05T10:30:00+08:00",
         "valueQuantity":{"value":72,"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}}
        """;
}

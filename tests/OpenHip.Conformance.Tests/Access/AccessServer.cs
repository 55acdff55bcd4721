using System.Text;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Tests.Http;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Conformance.Tests.Access;

/// <summary>
/// A real server holding a small region: residents pa and pc registered at hospital A, pb at hospital B, each with
/// records of ten types, written by the hospitals named in meta.source. The suites drive its engine with policies.
/// </summary>
public class AccessServer : ServerFixture
{
    private readonly Dictionary<string, string?> _settings = [];

    public const string HospitalA = "http://openhip.test/org/hospA";
    public const string HospitalB = "http://openhip.test/org/hospB";
    public const string Category = "http://terminology.hl7.org/CodeSystem/observation-category";
    public const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => _settings;

    /// <summary>Store settings, decided before the server starts (a PostgreSQL schema of its own).</summary>
    protected virtual Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>());

    public ResourceService Resources => Services.GetRequiredService<ResourceService>();

    public FhirRequestContext Writer(string source) => new(BaseUrl, "seed", source);

    public override async Task InitializeAsync()
    {
        foreach ((string key, string? value) in await StoreSettingsAsync())
        {
            _settings[key] = value;
        }

        await base.InitializeAsync();
        await SeedAsync();
    }

    public async Task PutAsync(string source, string json)
    {
        Resource resource = FhirCodec.ParseJson(Encoding.UTF8.GetBytes(json));
        await Resources.UpdateAsync(resource.TypeName, resource.Id!, resource, null, Writer(source), CancellationToken.None);
    }

    private async Task SeedAsync()
    {
        await PutAsync(HospitalA, """{"resourceType":"Organization","id":"hospA","name":"Hospital A"}""");
        await PutAsync(HospitalB, """{"resourceType":"Organization","id":"hospB","name":"Hospital B"}""");
        await PutAsync(HospitalA, """{"resourceType":"Practitioner","id":"drA","name":[{"family":"Li"}]}""");
        await PutAsync(HospitalA, """{"resourceType":"Patient","id":"pa","name":[{"family":"Zhang"}],"managingOrganization":{"reference":"Organization/hospA"}}""");
        await PutAsync(HospitalB, """{"resourceType":"Patient","id":"pb","name":[{"family":"Wang"}],"managingOrganization":{"reference":"Organization/hospB"}}""");
        await PutAsync(HospitalA, """{"resourceType":"Patient","id":"pc","name":[{"family":"Chen"}]}""");
        await PutAsync(HospitalA, """{"resourceType":"Patient","id":"pw","name":[{"family":"Wu"}]}""");
        foreach ((string p, string source) in new[] { ("pa", HospitalA), ("pb", HospitalB) })
        {
            string subject = $$"""{"reference":"Patient/{{p}}"}""";
            await PutAsync(source, $$"""{"resourceType":"Observation","id":"o{{p}}-lab","status":"final","category":[{"coding":[{"system":"{{Category}}","code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"2345-7"}]},"subject":{{subject}},"performer":[{"reference":"Practitioner/drA"}]}""");
            await PutAsync(source, $$"""{"resourceType":"Observation","id":"o{{p}}-vital","status":"final","category":[{"coding":[{"system":"{{Category}}","code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"subject":{{subject}}}""");
            await PutAsync(source, $$"""{"resourceType":"Condition","id":"c{{p}}","meta":{"security":[{"system":"{{ActCode}}","code":"PSY"}]},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"F32"}]},"subject":{{subject}}}""");
            await PutAsync(source, $$"""{"resourceType":"Encounter","id":"e{{p}}","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"subject":{{subject}}}""");
            await PutAsync(source, $$"""{"resourceType":"MedicationRequest","id":"m{{p}}","status":"active","intent":"order","medicationCodeableConcept":{"text":"aspirin"},"subject":{{subject}}}""");
            await PutAsync(source, $$"""{"resourceType":"AllergyIntolerance","id":"a{{p}}","patient":{{subject}}}""");
            await PutAsync(source, $$"""{"resourceType":"Immunization","id":"i{{p}}","status":"completed","vaccineCode":{"text":"BCG"},"patient":{{subject}},"occurrenceDateTime":"2020-01-01"}""");
            await PutAsync(source, $$"""{"resourceType":"Procedure","id":"pr{{p}}","status":"completed","subject":{{subject}}}""");
            await PutAsync(source, $$"""{"resourceType":"DiagnosticReport","id":"dr{{p}}","status":"final","code":{"text":"panel"},"subject":{{subject}},"result":[{"reference":"Observation/o{{p}}-lab"}]}""");
        }

        // Written by hospital A about the resident registered at B (a referral): consent decides who else sees it.
        await PutAsync(HospitalA, """{"resourceType":"Observation","id":"opb-referral","status":"final","code":{"text":"referral note"},"subject":{"reference":"Patient/pb"}}""");

        // Filed under pb first, then corrected to pa: pa's callers must never see version 1.
        await PutAsync(HospitalA, """{"resourceType":"Observation","id":"moved","status":"final","code":{"text":"misfiled"},"subject":{"reference":"Patient/pb"}}""");
        await PutAsync(HospitalA, """{"resourceType":"Observation","id":"moved","status":"final","code":{"text":"misfiled"},"subject":{"reference":"Patient/pa"}}""");
    }
}

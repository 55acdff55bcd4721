using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Fhir.Access;
using OpenHip.Modules.Security.Tests.Http;
using OpenHip.Modules.Security.Tests.Policy;

namespace OpenHip.Modules.Security.Tests.BreakGlass;

public class BreakGlassHttpTests(SecurityServerFixture server) : SecurityHttpTests(server)
{
    private const string Body = """{"resourceType":"Parameters","parameter":[{"name":"reason","valueString":"unconscious in the emergency department"},{"name":"purpose","valueCode":"ETREAT"}]}""";

    private async Task<string> OptedOutPatientAsync()
    {
        string patient = await CreatePatientAsync();
        await CreateAsync($$$"""{"resourceType":"Consent","status":"active","scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},"category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],"patient":{"reference":"Patient/{{{patient}}}"},"policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTOUT"}]},"provision":{"type":"deny"}}""", Callers.Setup);
        return patient;
    }

    [Fact]
    public async Task BreakTheGlass_Clinician_GetsATimeBoxedReadGrantAndAStatReviewTask()
    {
        string patient = await OptedOutPatientAsync();
        string clinician = Callers.Clinician("doc-grant", Callers.HospitalB);
        Assert.True(await EventuallyAsync(() => Task.FromResult(PolicyOf(clinician).Restrictions.Count == 1)));

        using HttpResponseMessage response = await Server.SendAsync(HttpMethod.Post, $"Patient/{patient}/$break-the-glass", clinician, Body);

        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        JsonArray parameters = JsonNode.Parse(text)!["parameter"]!.AsArray();
        string Value(string name, string kind) => parameters.First(p => p!["name"]!.GetValue<string>() == name)![kind]!.ToString();
        DateTimeOffset start = DateTimeOffset.Parse(Value("start", "valueInstant"), System.Globalization.CultureInfo.InvariantCulture);
        DateTimeOffset end = DateTimeOffset.Parse(Value("end", "valueInstant"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromMinutes(60), end - start);

        // The review Task: stat, for the patient, requested by the practitioner, over the grant window.
        string taskReference = JsonNode.Parse(Value("grant", "valueReference"))!["reference"]!.GetValue<string>();
        using HttpResponseMessage read = await Server.SendAsync(HttpMethod.Get, taskReference, Callers.Setup);
        JsonNode task = JsonNode.Parse(await read.Content.ReadAsStringAsync())!;
        Assert.Equal("stat", task["priority"]!.GetValue<string>());
        Assert.Equal("Patient/" + patient, task["for"]!["reference"]!.GetValue<string>());
        Assert.Equal("Practitioner/doc-grant", task["requester"]!["reference"]!.GetValue<string>());
        Assert.Equal("unconscious in the emergency department", task["reasonCode"]!["text"]!.GetValue<string>());
        Assert.Equal("urn:openhip:security", task["meta"]!["source"]!.GetValue<string>());
        Assert.Equal(start, DateTimeOffset.Parse(task["executionPeriod"]!["start"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));

        // The grant lifts this patient's consent for this clinician's reads only; another clinician is still restricted.
        AccessPolicy granted = PolicyOf(clinician);
        Assert.DoesNotContain(granted.Restrictions, r => ExpressionText.Of(r.Condition).Contains(patient, StringComparison.Ordinal));
        Assert.Contains(PolicyOf(Callers.Clinician("doc-other", Callers.HospitalB)).Restrictions, r => ExpressionText.Of(r.Condition).Contains(patient, StringComparison.Ordinal));
    }

    [Fact]
    public async Task BreakTheGlass_ReadOnlyToken_GainsNoWriteRight()
    {
        string patient = await OptedOutPatientAsync();
        string readOnly = Callers.Of(("sub", "doc-ro"), ("fhirUser", "Practitioner/doc-ro"), ("role", "clinician"), ("scope", "user/*.rs"), ("openhip_source", Callers.HospitalB));

        using HttpResponseMessage response = await Server.SendAsync(HttpMethod.Post, $"Patient/{patient}/$break-the-glass", readOnly, Body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AccessPolicy policy = PolicyOf(readOnly);
        Assert.False(policy.For("Observation", AccessRights.Update).Allowed);
        Assert.False(policy.For("Observation", AccessRights.Create).Allowed);
        Assert.All(policy.Restrictions, r => Assert.Equal(AccessRights.Read | AccessRights.Search, r.Rights));
    }

    [Fact]
    public async Task BreakTheGlass_SystemClient_Is403()
    {
        string patient = await CreatePatientAsync();

        using HttpResponseMessage response = await Server.SendAsync(HttpMethod.Post, $"Patient/{patient}/$break-the-glass", Callers.SystemClient(Callers.HospitalB), Body);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task BreakTheGlass_UserWithoutClinicianRole_Is403()
    {
        string patient = await CreatePatientAsync();
        string clerk = Callers.Of(("sub", "clerk"), ("fhirUser", "Practitioner/clerk"), ("role", "registrar"), ("scope", "user/*.rs"));

        using HttpResponseMessage response = await Server.SendAsync(HttpMethod.Post, $"Patient/{patient}/$break-the-glass", clerk, Body);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"resourceType":"Parameters","parameter":[{"name":"purpose","valueCode":"ETREAT"}]}""")]
    [InlineData("""{"resourceType":"Parameters","parameter":[{"name":"reason","valueString":"x"},{"name":"purpose","valueCode":"TREAT"}]}""")]
    public async Task BreakTheGlass_WithoutReasonOrWithAnotherPurpose_Is400(string body)
    {
        string patient = await CreatePatientAsync();

        using HttpResponseMessage response = await Server.SendAsync(HttpMethod.Post, $"Patient/{patient}/$break-the-glass", Callers.Clinician("doc-400", Callers.HospitalB), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task BreakTheGlass_UnknownPatient_Is404()
    {
        using HttpResponseMessage response = await Server.SendAsync(HttpMethod.Post, "Patient/no-such-patient/$break-the-glass", Callers.Clinician("doc-404", Callers.HospitalB), Body);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ForgedGrant_ClientCreatingABreakTheGlassTask_Is403()
    {
        string patient = await CreatePatientAsync();
        string forged = $$"""{"resourceType":"Task","status":"requested","intent":"order","priority":"stat","code":{"coding":[{"system":"http://openhip.org/fhir/CodeSystem/security-task","code":"break-the-glass"}]},"for":{"reference":"Patient/{{patient}}"},"executionPeriod":{"start":"2026-01-01T00:00:00Z","end":"2099-01-01T00:00:00Z"},"input":[{"type":{"coding":[{"code":"grantee"}]},"valueString":"doc-forger"}]}""";

        using HttpResponseMessage response = await Server.SendAsync(HttpMethod.Post, "Task", Callers.Setup, forged);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ForgedGrant_ClientWritingWithTheModulesSource_Is403()
    {
        // A client registered without an institution keeps the meta.source it sends: the module's own is refused.
        string noInstitution = Callers.Of(("client_id", "no-institution"), ("openhip_client_kind", "system"), ("scope", "system/*.cruds"));
        using HttpResponseMessage response = await Server.SendAsync(HttpMethod.Post, "Patient", noInstitution, """{"resourceType":"Patient","meta":{"source":"urn:openhip:security"}}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ClaimedSource_ClientWithAnInstitution_IsRecordedAsThatInstitution()
    {
        using HttpResponseMessage response = await Server.SendAsync(HttpMethod.Post, "Patient", Callers.Setup, """{"resourceType":"Patient","meta":{"source":"urn:openhip:security"}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(Callers.HospitalA, System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["meta"]!["source"]!.GetValue<string>());
    }
}

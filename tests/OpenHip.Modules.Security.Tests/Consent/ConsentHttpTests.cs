using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Modules.Security.Tests.Http;
using OpenHip.Modules.Security.Tests.Policy;

namespace OpenHip.Modules.Security.Tests.Consent;

public class ConsentHttpTests(SecurityServerFixture server) : SecurityHttpTests(server)
{
    private async Task<string> OptOutAsync(string patient) =>
        (await CreateAsync($$$"""{"resourceType":"Consent","status":"active","scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},"category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],"patient":{"reference":"Patient/{{{patient}}}"},"provision":{"type":"deny"}}""", Callers.Setup))["id"]!.GetValue<string>();

    private async Task<string> ObservationAsync(string patient, string source) =>
        (await CreateAsync($$$"""{"resourceType":"Observation","meta":{"source":"{{{source}}}"},"status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"subject":{"reference":"Patient/{{{patient}}}"}}""", Callers.Setup))["id"]!.GetValue<string>();

    private async Task<int> SearchCountAsync(string patient, string claims)
    {
        using HttpResponseMessage response = await Server.SendAsync(HttpMethod.Get, $"Observation?subject=Patient/{patient}", claims);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["entry"]?.AsArray().Count ?? 0;
    }

    [Fact]
    public async Task OptOut_StoredConsent_RestrictsAnotherInstitutionsPolicyWithinTheDeadline()
    {
        string patient = await CreatePatientAsync();
        string hospitalB = Callers.Clinician("doc-b", Callers.HospitalB);

        await OptOutAsync(patient);

        Assert.True(await EventuallyAsync(() => Task.FromResult(PolicyOf(hospitalB).Restrictions.Any(r =>
            ExpressionText.Of(r.Condition).Contains(patient, StringComparison.Ordinal) && ExpressionText.Of(r.Condition).Contains("_source=" + Callers.HospitalB, StringComparison.Ordinal)))));
    }

    [Fact]
    public async Task OptOut_ConsentDeleted_RestrictionLifted()
    {
        string patient = await CreatePatientAsync();
        string hospitalB = Callers.Clinician("doc-b2", Callers.HospitalB);
        string consent = await OptOutAsync(patient);
        Assert.True(await EventuallyAsync(() => Task.FromResult(PolicyOf(hospitalB).Restrictions.Any(r => ExpressionText.Of(r.Condition).Contains(patient, StringComparison.Ordinal)))));

        using HttpResponseMessage deleted = await Server.SendAsync(HttpMethod.Delete, "Consent/" + consent, Callers.Setup);

        Assert.True(deleted.IsSuccessStatusCode);
        Assert.True(await EventuallyAsync(() => Task.FromResult(!PolicyOf(hospitalB).Restrictions.Any(r => ExpressionText.Of(r.Condition).Contains(patient, StringComparison.Ordinal)))));
    }

    [Fact]
    public async Task OptOut_PatientsOwnToken_IsNeverRestricted()
    {
        string patient = await CreatePatientAsync();
        await OptOutAsync(patient);

        // Other residents' consents may restrict this token too (harmlessly, outside its compartment); none names this one.
        Assert.DoesNotContain(
            PolicyOf(Callers.Of(("sub", "resident"), ("patient", patient), ("scope", "patient/*.rs"), ("openhip_source", Callers.HospitalB))).Restrictions,
            r => ExpressionText.Of(r.Condition).Contains(patient, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OptOut_SearchByAnotherInstitution_HidesDataTheWriterStillSees()
    {
        string patient = await CreatePatientAsync();
        await ObservationAsync(patient, Callers.HospitalA);
        string hospitalA = Callers.Clinician("doc-a3", Callers.HospitalA);
        string hospitalB = Callers.Clinician("doc-b3", Callers.HospitalB);
        Assert.Equal(1, await SearchCountAsync(patient, hospitalB));

        await OptOutAsync(patient);

        Assert.True(await EventuallyAsync(async () => await SearchCountAsync(patient, hospitalB) == 0));
        Assert.Equal(1, await SearchCountAsync(patient, hospitalA));
    }

    [Fact]
    public async Task LabelRestriction_WithheldMentalHealthCondition_HiddenFromAnotherInstitution()
    {
        string patient = await CreatePatientAsync();
        await CreateAsync($$$"""{"resourceType":"Condition","meta":{"source":"{{{Callers.HospitalA}}}"},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"F32.1"}]},"subject":{"reference":"Patient/{{{patient}}}"}}""", Callers.Setup);
        await CreateAsync($$$"""{"resourceType":"Condition","meta":{"source":"{{{Callers.HospitalA}}}"},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"J45"}]},"subject":{"reference":"Patient/{{{patient}}}"}}""", Callers.Setup);
        await CreateAsync($$$"""{"resourceType":"Consent","status":"active","scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},"category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],"patient":{"reference":"Patient/{{{patient}}}"},"provision":{"type":"permit","provision":[{"type":"deny","securityLabel":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"PSY"}]}]}}""", Callers.Setup);
        string hospitalB = Callers.Clinician("doc-b4", Callers.HospitalB);

        Assert.True(await EventuallyAsync(async () =>
        {
            using HttpResponseMessage response = await Server.SendAsync(HttpMethod.Get, $"Condition?subject=Patient/{patient}", hospitalB);
            string body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK && body.Contains("J45", StringComparison.Ordinal) && !body.Contains("F32", StringComparison.Ordinal);
        }));
    }
}

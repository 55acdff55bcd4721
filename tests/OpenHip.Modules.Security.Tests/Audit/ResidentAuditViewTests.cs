using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Modules.Security.Tests.Attacks;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>
/// Issue #9: the resident sees who saw their record (AuditEvent search from the audit log with a patient-scoped token),
/// and a search is recorded once per patient whose data it returned (IHE BALP).
/// </summary>
public sealed class ResidentAuditViewTests(AttackFixture fixture) : IClassFixture<AttackFixture>
{
    private static readonly string A = Attack.A;
    private static readonly string B = Attack.B;

    [Fact]
    public async Task Resident_SeesTheHospitalThatReadTheirObservation_WithWhenAndWho()
    {
        string observation = Attack.Ref(A, "Observation");
        (HttpStatusCode read, _) = await fixture.SendAsync(Caller.HospitalB, HttpMethod.Get, observation);
        Assert.Equal(HttpStatusCode.OK, read);

        List<JsonObject> events = await AllEventsAsync(Caller.Patient, "AuditEvent");

        JsonObject seen = Assert.Single(events, e => Interaction(e) == "read" && Entities(e).Contains(observation) && Agents(e).Contains(AttackFixture.HospitalB));
        Assert.Contains($"Patient/{A}", Entities(seen));
        Assert.True(DateTimeOffset.TryParse((string?)seen["recorded"], out DateTimeOffset recorded));
        Assert.InRange(recorded, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.All(events, e => Assert.Contains($"Patient/{A}", Entities(e)));
    }

    [Fact]
    public async Task Resident_AskingForAnotherResident_GetsNothing()
    {
        (HttpStatusCode read, _) = await fixture.SendAsync(Caller.HospitalB, HttpMethod.Get, Attack.Ref(B, "Patient"));
        Assert.Equal(HttpStatusCode.OK, read);

        (HttpStatusCode status, string body) = await fixture.SendAsync(Caller.Patient, HttpMethod.Get, $"AuditEvent?patient={B}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(Entries(body));
        (HttpStatusCode officer, string all) = await fixture.SendAsync(Caller.HospitalB, HttpMethod.Get, $"AuditEvent?patient=Patient/{B}");
        Assert.Equal(HttpStatusCode.OK, officer);
        Assert.NotEmpty(Entries(all));
    }

    [Fact]
    public async Task Search_IsRecordedOncePerPatientInTheResults()
    {
        string marker = "atk-search-" + Guid.NewGuid().ToString("N")[..8];
        (HttpStatusCode status, string body) = await fixture.SendAsync(Caller.HospitalA, HttpMethod.Get, $"Patient?_id={A},{B}&_tag:not={marker}");
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(2, Entries(body).Count);

        foreach (string patient in new[] { A, B })
        {
            List<JsonObject> events = await AllEventsAsync(Caller.HospitalB, $"AuditEvent?patient={patient}&agent={AttackFixture.HospitalA}");
            JsonObject search = Assert.Single(events, e => Interaction(e) == "search-type" && Queries(e).Any(q => q.Contains(marker, StringComparison.Ordinal)));
            Assert.Equal([$"Patient/{patient}"], Entities(search).Where(e => e.StartsWith("Patient/", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task DateWindowAndPaging_ReturnEachEventOnce_OldestOrNewestFirst()
    {
        for (int i = 0; i < 3; i++)
        {
            (HttpStatusCode read, _) = await fixture.SendAsync(Caller.HospitalA, HttpMethod.Get, Attack.Ref(A, "Condition"));
            Assert.Equal(HttpStatusCode.OK, read);
        }

        string today = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        List<JsonObject> paged = await AllEventsAsync(Caller.Patient, $"AuditEvent?date=ge{today}&_count=2");
        List<JsonObject> whole = await AllEventsAsync(Caller.Patient, $"AuditEvent?date=ge{today}&_count=1000");

        List<JsonObject> newest = await AllEventsAsync(Caller.Patient, $"AuditEvent?date=ge{today}&_sort=-date&_count=2");

        Assert.True(paged.Count >= 3);
        Assert.Equal(whole.Select(e => (string?)e["id"]), paged.Select(e => (string?)e["id"]));
        Assert.Equal(whole.Select(e => (string?)e["id"]).Reverse(), newest.Select(e => (string?)e["id"]));
        (HttpStatusCode status, string body) = await fixture.SendAsync(Caller.Patient, HttpMethod.Get, "AuditEvent?date=lt2000-01-01");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(Entries(body));
    }

    [Theory]
    [InlineData("AuditEvent?subtype=read")]
    [InlineData("AuditEvent?date=yesterday")]
    [InlineData("AuditEvent?date=ap2026-01-01")]
    [InlineData("AuditEvent?_count=none")]
    [InlineData("AuditEvent?patient=a&patient=b")]
    [InlineData("AuditEvent?_cursor=not-ours")]
    [InlineData("AuditEvent?_sort=agent")]
    [InlineData("AuditEvent?_sort=date&_sort=-date")]
    public async Task UnsupportedOrMalformedParameters_Answer400(string query)
    {
        (HttpStatusCode status, string body) = await fixture.SendAsync(Caller.HospitalA, HttpMethod.Get, query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("OperationOutcome", (string?)JsonNode.Parse(body)!["resourceType"]);
    }

    /// <summary>Every AuditEvent the query returns, following next links.</summary>
    private async Task<List<JsonObject>> AllEventsAsync(string caller, string query)
    {
        var events = new List<JsonObject>();
        string? next = query;
        for (int page = 0; next is not null; page++)
        {
            Assert.True(page < 100, "AuditEvent paging did not end");
            (HttpStatusCode status, string body) = await fixture.SendAsync(caller, HttpMethod.Get, next);
            Assert.True(status == HttpStatusCode.OK, body);
            JsonNode bundle = JsonNode.Parse(body)!;
            events.AddRange(Entries(body));
            string? link = bundle["link"]?.AsArray().FirstOrDefault(l => (string?)l!["relation"] == "next")?["url"]?.GetValue<string>();
            next = link is null ? null : link[(link.IndexOf("/fhir/", StringComparison.Ordinal) + "/fhir/".Length)..];
        }

        return events;
    }

    private static List<JsonObject> Entries(string body) =>
        [.. (JsonNode.Parse(body)!["entry"]?.AsArray() ?? []).Select(e => e!["resource"]!.AsObject())];

    private static string? Interaction(JsonObject auditEvent) =>
        auditEvent["subtype"]?.AsArray().Select(s => (string?)s!["code"]).FirstOrDefault();

    private static List<string> Entities(JsonObject auditEvent) =>
        [.. (auditEvent["entity"]?.AsArray() ?? []).Select(e => (string?)e!["what"]?["reference"]).OfType<string>()];

    private static List<string> Queries(JsonObject auditEvent) =>
        [.. (auditEvent["entity"]?.AsArray() ?? []).Select(e => (string?)e!["query"]).OfType<string>().Select(q => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(q)))];

    private static List<string> Agents(JsonObject auditEvent) =>
        [.. (auditEvent["agent"]?.AsArray() ?? []).SelectMany(a => new[] { (string?)a!["who"]?["identifier"]?["value"], (string?)a!["who"]?["display"], (string?)a!["altId"] }).OfType<string>()];
}

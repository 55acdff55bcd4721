using System.Net;
using OpenHip.Fhir.Audit;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>The audit log as the server's audit sink: one record per interaction, writes with their data, fail-closed.</summary>
public sealed class AuditHttpTests(AuditServerFixture server) : IClassFixture<AuditServerFixture>
{
    private const string Patient = """{"resourceType":"Patient","name":[{"family":"Li"}]}""";

    [Fact]
    public async Task Create_ThenRead_RecordsTheCreateOnceWithItsPatientAndTheRead()
    {
        string who = Who();
        using HttpResponseMessage created = await server.SendAsync(HttpMethod.Post, "Patient", "sub=" + who, Patient);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string id = created.Headers.Location!.Segments[^3].TrimEnd('/');

        using HttpResponseMessage read = await server.SendAsync(HttpMethod.Get, $"Patient/{id}", "sub=" + who);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);

        IReadOnlyList<AuditRecord> events = await server.EventsByAsync(who);
        Assert.Collection(
            events,
            create =>
            {
                Assert.Equal(("create", $"Patient/{id}/_history/1", 201), (create.Interaction, create.Resource, create.Outcome));
                Assert.Equal([id], create.Patients);
            },
            r =>
            {
                Assert.Equal(("read", $"Patient/{id}", 200), (r.Interaction, r.Resource, r.Outcome));
                Assert.Equal([id], r.Patients);
            });
    }

    // The patient index orders ids as text and finds them through SQLite's byte comparison; the two agree for FHIR ids
    // only. Such ids (U+E000 against U+1F600) left a resident's lookup short and made `audit verify` report tampering.
    [Theory]
    [InlineData("%EE%80%80")]
    [InlineData("%F0%9F%98%80")]
    [InlineData("two%20words")]
    public async Task Read_OfAnIdThatIsNotAFhirId_IsRecordedWithoutNamingAPatient(string id)
    {
        string who = Who();
        using HttpResponseMessage read = await server.SendAsync(HttpMethod.Get, $"Patient/{id}", "sub=" + who);
        Assert.False(read.IsSuccessStatusCode);

        AuditRecord attempt = Assert.Single(await server.EventsByAsync(who));
        Assert.Equal(("read", "Patient/" + Uri.UnescapeDataString(id)), (attempt.Interaction, attempt.Resource));
        Assert.Empty(attempt.Patients);
    }

    [Fact]
    public async Task PatientQuery_FindsTheWriteByPatientId()
    {
        string who = Who();
        string id = await CreatePatientAsync(who);

        await server.Writer.FlushAsync(CancellationToken.None);
        AuditPage page = await server.Store.SearchAuditAsync(new AuditQuery(Patient: id), CancellationToken.None);

        StoredAuditRow row = Assert.Single(page.Rows);
        Assert.Equal(who, row.Row.Agent);
        Assert.Equal("create", AuditPayload.Read(row.Row.Payload.Span).Interaction);
    }

    [Fact]
    public async Task Transaction_RecordsEachEntryWithTheDataAndTheBundleAtTheEdge()
    {
        string who = Who();
        const string bundle =
            """
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:6f1c1f0e-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","active":true},"request":{"method":"POST","url":"Patient"}},
              {"fullUrl":"urn:uuid:6f1c1f0e-0000-4000-8000-000000000002","resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"urn:uuid:6f1c1f0e-0000-4000-8000-000000000001"}},"request":{"method":"POST","url":"Observation"}}]}
            """;

        using HttpResponseMessage response = await server.SendAsync(HttpMethod.Post, string.Empty, "sub=" + who, bundle);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        IReadOnlyList<AuditRecord> events = await server.EventsByAsync(who);
        Assert.Equal(["create", "create", "transaction"], events.Select(e => e.Interaction));
        Assert.Single(events[1].Patients);
        Assert.Equal(events[0].Patients, events[1].Patients);
    }

    [Fact]
    public async Task FailedWrite_LeavesNoDataAuditButRecordsTheAttempt()
    {
        string who = Who();
        using HttpResponseMessage response = await server.SendAsync(HttpMethod.Put, "Patient/nope", "sub=" + who, """{"resourceType":"Patient","id":"other"}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        AuditRecord attempt = Assert.Single(await server.EventsByAsync(who));
        Assert.Equal(("update", 400), (attempt.Interaction, attempt.Outcome));
    }

    [Theory]
    [InlineData("POST", "AuditEvent")]
    [InlineData("PUT", "AuditEvent/a1")]
    [InlineData("PATCH", "AuditEvent/a1")]
    [InlineData("DELETE", "AuditEvent/a1")]
    [InlineData("DELETE", "AuditEvent?type=rest")]
    public async Task AuditEvent_ChangeThroughTheApi_IsMethodNotAllowed(string method, string path)
    {
        string? body = method is "POST" or "PUT"
            ? """{"resourceType":"AuditEvent","id":"a1","type":{"code":"rest"},"recorded":"2026-01-01T00:00:00Z","agent":[{"requestor":true}],"source":{"observer":{"display":"x"}}}"""
            : method == "PATCH" ? """[{"op":"replace","path":"/recorded","value":"2020-01-01T00:00:00Z"}]""" : null;
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add(Http.TestAuthentication.Header, "sub=" + Who());
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, method == "PATCH" ? "application/json-patch+json" : "application/fhir+json");
        }

        using HttpResponseMessage response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("OperationOutcome", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditEvent_InTransaction_IsMethodNotAllowedAndNothingWritten()
    {
        string who = Who();
        const string bundle =
            """
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:6f1c1f0e-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","active":true},"request":{"method":"POST","url":"Patient"}},
              {"fullUrl":"urn:uuid:6f1c1f0e-0000-4000-8000-000000000002","resource":{"resourceType":"AuditEvent","type":{"code":"rest"},"recorded":"2026-01-01T00:00:00Z","agent":[{"requestor":true}],"source":{"observer":{"display":"x"}}},"request":{"method":"POST","url":"AuditEvent"}}]}
            """;

        using HttpResponseMessage response = await server.SendAsync(HttpMethod.Post, string.Empty, "sub=" + who, bundle);

        Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, await response.Content.ReadAsStringAsync());
        Assert.Equal(["transaction"], (await server.EventsByAsync(who)).Select(e => e.Interaction));
    }

    [Fact]
    public async Task Read_WhenTheAuditJournalCannotWrite_Fails500WithoutTheData()
    {
        string who = Who();
        using HttpResponseMessage created = await server.SendAsync(HttpMethod.Post, "Patient", "sub=" + who, """{"resourceType":"Patient","name":[{"family":"Secret"}]}""");
        string id = created.Headers.Location!.Segments[^3].TrimEnd('/');

        string body;
        HttpStatusCode status;
        using (server.JournalUnwritable())
        {
            using HttpResponseMessage read = await server.SendAsync(HttpMethod.Get, $"Patient/{id}", "sub=" + who);
            status = read.StatusCode;
            body = await read.Content.ReadAsStringAsync();
        }

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("OperationOutcome", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret", body, StringComparison.Ordinal);
        Assert.Equal(["create"], (await server.EventsByAsync(who)).Select(e => e.Interaction));

        using HttpResponseMessage again = await server.SendAsync(HttpMethod.Get, $"Patient/{id}", "sub=" + who);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(["create", "read"], (await server.EventsByAsync(who)).Select(e => e.Interaction));
    }

    [Fact]
    public async Task Read_WhileTheDatabaseRefusesAudits_IsServedFromTheJournalAndMovedLater()
    {
        string who = Who();
        string id = await CreatePatientAsync(who);

        server.Log.Failing = true;
        try
        {
            using HttpResponseMessage read = await server.SendAsync(HttpMethod.Get, $"Patient/{id}", "sub=" + who);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.InRange(server.Writer.Unmoved, 1, long.MaxValue);
            AuditPage stored = await server.Store.SearchAuditAsync(new AuditQuery(Agent: who), CancellationToken.None);
            Assert.Equal(["create"], stored.Rows.Select(r => AuditPayload.Read(r.Row.Payload.Span).Interaction));
        }
        finally
        {
            server.Log.Failing = false;
        }

        Assert.Equal(["create", "read"], (await server.EventsByAsync(who)).Select(e => e.Interaction));
    }

    [Fact]
    public async Task ConcurrentReads_AreGroupedIntoFewerAppends()
    {
        string who = Who();
        string id = await CreatePatientAsync(who);
        long before = ((AuditLogWriter)server.Services.GetService(typeof(AuditLogWriter))!).BatchCount;

        HttpResponseMessage[] reads = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => server.SendAsync(HttpMethod.Get, $"Patient/{id}", "sub=" + who)));

        Assert.All(reads, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(65, (await server.EventsByAsync(who)).Count);
        long batches = ((AuditLogWriter)server.Services.GetService(typeof(AuditLogWriter))!).BatchCount - before;
        Assert.InRange(batches, 1, 64);
        foreach (HttpResponseMessage read in reads)
        {
            read.Dispose();
        }
    }

    [Fact]
    public async Task AuditEventRead_ServesTheLogRowAsAnAuditEvent()
    {
        string who = Who();
        string id = await CreatePatientAsync(who);
        StoredAuditRow row = Assert.Single((await server.Store.SearchAuditAsync(new AuditQuery(Agent: who), CancellationToken.None)).Rows);

        using HttpResponseMessage read = await server.SendAsync(HttpMethod.Get, $"AuditEvent/{row.Id}", "sub=" + who);
        using HttpResponseMessage missing = await server.SendAsync(HttpMethod.Get, "AuditEvent/999999999", "sub=" + who);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var audit = (Hl7.Fhir.Model.AuditEvent)Fhir.Resources.FhirCodec.ParseStored(await read.Content.ReadAsByteArrayAsync());
        Assert.Equal(("create", Hl7.Fhir.Model.AuditEvent.AuditEventAction.C, who), (audit.Subtype[0].Code, audit.Action, audit.Agent.Single(a => a.Requestor == true).Who?.Identifier?.Value));
        Assert.Contains(audit.Entity, e => e.What?.Reference == $"Patient/{id}" && e.Role?.Code == "1");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static string Who() => "user-" + Guid.NewGuid().ToString("n")[..8];

    private async Task<string> CreatePatientAsync(string who)
    {
        using HttpResponseMessage created = await server.SendAsync(HttpMethod.Post, "Patient", "sub=" + who, Patient);
        return created.Headers.Location!.Segments[^3].TrimEnd('/');
    }
}

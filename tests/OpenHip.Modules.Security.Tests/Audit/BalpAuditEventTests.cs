using System.Text;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Validation;
using OpenHip.Modules.Security.Features.Audit;

// Firely's model declares every element nullable; these tests walk elements that the assertions themselves require,
// and a missing one fails the test with a NullReferenceException as clearly as an assertion would.
#pragma warning disable CS8602, CS8604

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>
/// The rendered AuditEvent checked element by element against the IHE BALP patterns
/// (https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.*), and validated against R4 core with Firely.
/// </summary>
public sealed class BalpAuditEventTests
{
    private static readonly DateTimeOffset When = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private static AuditRecord Practitioner(string interaction, string? resource, string[] patients, int outcome = 200, string? query = null) =>
        new(When, interaction, "dr-wang", "org-clinic-1", resource, patients, outcome, "trace-1")
        {
            ClientId = "ehr-app",
            User = "Practitioner/p1",
            PurposeOfUse = ["TREAT"],
            NetworkAddress = "10.0.0.7",
            Query = query,
        };

    private static AuditEvent Render(AuditRecord record)
    {
        byte[] payload = AuditPayload.Write(record);
        var row = new AuditRow("node-a/3", 1, When, record.Who, record.Patients, payload, new byte[32], new byte[32]);
        AuditEvent audit = BalpAuditEvent.Render("42", row, AuditPayload.Read(payload));
        ProfileValidationResult result = ProfileValidator.Shared.Validate(audit);

        // Errors only: the BALP profiles are not in the offline core specification (a warning says so). ref-1 is
        // skipped: Firely's validator reports it on logical references (identifier/display only, no literal
        // reference), which R4 allows and which BALP's agents use for clients and organisations.
        string[] errors = [.. result.Issues
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => i.Diagnostics)
            .Where(d => !d.Contains("ref-1", StringComparison.Ordinal))];
        Assert.Empty(errors);
        return audit;
    }

    // IHE.BasicAudit.PatientRead: type rest, subtype read, action R, client/server/user agents, data + patient entities.
    [Fact]
    public void PatientRead_FollowsThePatientReadPattern()
    {
        AuditEvent audit = Render(Practitioner("read", "Observation/o1/_history/3", ["pat-1"]));

        Assert.Equal([BalpAuditEvent.ProfileBase + "PatientRead"], audit.Meta.Profile);
        Assert.Equal(("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest"), (audit.Type.System, audit.Type.Code));
        Coding subtype = Assert.Single(audit.Subtype);
        Assert.Equal(("http://hl7.org/fhir/restful-interaction", "read"), (subtype.System, subtype.Code));
        Assert.Equal(AuditEvent.AuditEventAction.R, audit.Action);
        Assert.Equal(When, audit.Recorded);
        Assert.Equal(AuditEvent.AuditEventOutcome.N0, audit.Outcome);
        Assert.Equal("node-a/3", audit.Source.Observer.Identifier.Value);

        AuditEvent.AgentComponent client = Agent(audit, BalpAuditEvent.Dicom, "110153");
        Assert.Equal("ehr-app", client.Who.Identifier.Value);
        Assert.False(client.Requestor);
        Assert.Equal(("10.0.0.7", AuditEvent.AuditEventAgentNetworkType.N2), (client.Network.Address, client.Network.Type));

        AuditEvent.AgentComponent server = Agent(audit, BalpAuditEvent.Dicom, "110152");
        Assert.False(server.Requestor);

        AuditEvent.AgentComponent user = Agent(audit, BalpAuditEvent.ParticipationType, "IRCP");
        Assert.True(user.Requestor);
        Assert.Equal("Practitioner/p1", user.Who.Reference);
        Assert.Equal("dr-wang", user.Who.Identifier.Value);
        CodeableConcept purpose = Assert.Single(user.PurposeOfUse);
        Assert.Equal((BalpAuditEvent.ActReason, "TREAT"), (purpose.Coding[0].System, purpose.Coding[0].Code));

        AuditEvent.AgentComponent organisation = Agent(audit, BalpAuditEvent.RoleClass, "PROV");
        Assert.Equal("org-clinic-1", organisation.Who.Identifier.Value);

        AuditEvent.EntityComponent data = Entity(audit, "4");
        Assert.Equal("Observation/o1/_history/3", data.What.Reference);
        Assert.Equal((BalpAuditEvent.EntityType, "2"), (data.Type.System, data.Type.Code));
        AuditEvent.EntityComponent patient = Entity(audit, "1");
        Assert.Equal("Patient/pat-1", patient.What.Reference);
        Assert.Equal((BalpAuditEvent.EntityType, "1"), (patient.Type.System, patient.Type.Code));
    }

    // IHE.BasicAudit.Read / Create / Update / Delete (and Patient* with a patient): action and profile per interaction.
    [Theory]
    [InlineData("read", "R", "Read")]
    [InlineData("vread", "R", "Read")]
    [InlineData("create", "C", "Create")]
    [InlineData("update", "U", "Update")]
    [InlineData("patch", "U", "Update")]
    [InlineData("delete", "D", "Delete")]
    public void RestfulInteractions_MapToTheirBalpPattern(string interaction, string action, string pattern)
    {
        AuditEvent withPatient = Render(Practitioner(interaction, "Observation/o1/_history/2", ["pat-1"]));
        AuditEvent without = Render(Practitioner(interaction, "Device/d1/_history/2", []));

        Assert.Equal(action, withPatient.Action.ToString());
        Assert.Equal(interaction, withPatient.Subtype[0].Code);
        Assert.Equal([BalpAuditEvent.ProfileBase + "Patient" + pattern], withPatient.Meta.Profile);
        Assert.Equal([BalpAuditEvent.ProfileBase + pattern], without.Meta.Profile);
        Assert.DoesNotContain(without.Entity, e => e.Role?.Code == "1");
        Assert.Equal("Device/d1/_history/2", Entity(without, "4").What.Reference);
    }

    // IHE.BasicAudit.PatientQuery: action E, the query string base64 in entity[query] (role 24), the patient entity.
    [Fact]
    public void Search_FollowsThePatientQueryPattern()
    {
        AuditEvent audit = Render(Practitioner("search-type", "Observation", ["pat-1"], query: "subject=Patient/pat-1&code=8867-4"));

        Assert.Equal([BalpAuditEvent.ProfileBase + "PatientQuery"], audit.Meta.Profile);
        Assert.Equal(AuditEvent.AuditEventAction.E, audit.Action);
        AuditEvent.EntityComponent query = Entity(audit, "24");
        Assert.Equal("subject=Patient/pat-1&code=8867-4", Encoding.UTF8.GetString(query.Query));
        Assert.Equal((BalpAuditEvent.EntityType, "2"), (query.Type.System, query.Type.Code));
        Assert.Equal("Patient/pat-1", Entity(audit, "1").What.Reference);
        Assert.DoesNotContain(audit.Entity, e => e.Role?.Code == "4");
    }

    // IHE.BasicAudit.Query without a patient; a system (backend services) client is the requestor itself.
    [Fact]
    public void SystemSearch_FollowsTheQueryPatternWithTheClientAsRequestor()
    {
        var record = new AuditRecord(When, "search-system", "lab-system", null, null, [], 200, null) { ClientId = "lab-system", PurposeOfUse = ["HOPERAT"], Query = "_lastUpdated=gt2026" };
        AuditEvent audit = Render(record);

        Assert.Equal([BalpAuditEvent.ProfileBase + "Query"], audit.Meta.Profile);
        AuditEvent.AgentComponent client = Agent(audit, BalpAuditEvent.Dicom, "110153");
        Assert.True(client.Requestor);
        Assert.Equal("HOPERAT", Assert.Single(client.PurposeOfUse).Coding[0].Code);
        Assert.DoesNotContain(audit.Agent, a => a.Type.Coding[0].Code == "IRCP");
        Assert.DoesNotContain(audit.Agent, a => a.Type.Coding[0].Code == "PROV");
    }

    // BALP profiles are for successful interactions: a refused one keeps the shape, with outcome 4 and no profile.
    [Theory]
    [InlineData(403, "4")]
    [InlineData(404, "4")]
    [InlineData(500, "8")]
    [InlineData(0, "12")]
    public void Failures_CarryTheOutcomeAndClaimNoProfile(int status, string outcome)
    {
        AuditEvent audit = Render(Practitioner("read", "Observation/o1", ["pat-1"], status));

        Assert.Equal(outcome, EnumUtilityCode(audit.Outcome));
        Assert.Empty(audit.Meta.Profile);
    }

    // History, batch, transaction and operations have no BALP RESTful pattern: rendered alike, no profile claimed.
    [Theory]
    [InlineData("history-instance", "R")]
    [InlineData("history-type", "R")]
    [InlineData("transaction", "E")]
    [InlineData("batch", "E")]
    [InlineData("operation", "E")]
    public void OtherInteractions_AreRenderedWithoutAProfile(string interaction, string action)
    {
        AuditEvent audit = Render(Practitioner(interaction, null, []));

        Assert.Equal(action, audit.Action.ToString());
        Assert.Equal(interaction, audit.Subtype[0].Code);
        Assert.Empty(audit.Meta.Profile);
    }

    [Fact]
    public void Payload_RoundTripsTheBalpFields_AndVersion1RowsStillRead()
    {
        AuditRecord record = Practitioner("search-type", "Observation", ["a", "b"], query: "code=1");
        AuditRecord read = AuditPayload.Read(AuditPayload.Write(record));
        Assert.Equal(
            (record.ClientId, record.User, record.NetworkAddress, record.Query, record.Source),
            (read.ClientId, read.User, read.NetworkAddress, read.Query, read.Source));
        Assert.Equal(record.PurposeOfUse, read.PurposeOfUse);

        AuditRecord old = AuditPayload.Read("""{"v":1,"when":"2026-01-01T00:00:00Z","interaction":"read","who":"x","outcome":200}"""u8);
        Assert.Equal(("read", "x", null, null), (old.Interaction, old.Who, old.ClientId, old.Query));
        Assert.Empty(old.PurposeOfUse);
    }

    private static string EnumUtilityCode(AuditEvent.AuditEventOutcome? outcome) =>
        Hl7.Fhir.Utility.EnumUtility.GetLiteral(outcome!.Value)!;

    private static AuditEvent.AgentComponent Agent(AuditEvent audit, string system, string code) =>
        Assert.Single(audit.Agent, a => a.Type.Coding.Any(c => c.System == system && c.Code == code));

    private static AuditEvent.EntityComponent Entity(AuditEvent audit, string role) =>
        Assert.Single(audit.Entity, e => e.Role?.Code == role && e.Role.System == BalpAuditEvent.ObjectRole);
}

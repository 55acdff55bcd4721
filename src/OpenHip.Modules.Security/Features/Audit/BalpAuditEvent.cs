using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// A log row as the R4 AuditEvent of IHE Basic Audit Log Patterns (BALP, https://profiles.ihe.net/ITI/BALP/): the
/// RESTful patterns Create/Read/Update/Delete/Query and their Patient* variants when a patient is named, with the
/// caller described as the OAuth/SAML token-use patterns do (client, user with purpose of use, their organisation).
/// Rows keep the compact <see cref="AuditRecord"/>; the resource is made only when someone reads the log.
/// </summary>
internal static class BalpAuditEvent
{
    public const string ProfileBase = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.";
    public const string Dicom = "http://dicom.nema.org/resources/ontology/DCM";
    public const string EntityType = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    public const string ObjectRole = "http://terminology.hl7.org/CodeSystem/object-role";
    public const string ParticipationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    public const string RoleClass = "http://terminology.hl7.org/CodeSystem/v3-RoleClass";
    public const string ActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    public const string Observer = "OpenHIP";

    public static AuditEvent Render(string id, AuditRow row, AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(record);
        bool success = record.Outcome is > 0 and < 400;
        var audit = new AuditEvent
        {
            Id = id,
            Meta = new Meta { VersionId = "1", LastUpdated = row.Recorded },
            Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "Restful Operation"),
            Subtype = [new Coding("http://hl7.org/fhir/restful-interaction", record.Interaction)],
            Action = ActionOf(record.Interaction),
            Recorded = record.When,
            Outcome = OutcomeOf(record.Outcome),
            OutcomeDesc = record.Outcome.ToString(CultureInfo.InvariantCulture),

            // The chain (node and lane) that wrote the row is the observing instance of this server.
            Source = new AuditEvent.SourceComponent
            {
                Observer = new ResourceReference { Identifier = new Identifier { Value = row.ChainId }, Display = Observer },
                Type = [new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server")],
            },
        };

        // BALP profiles describe successful interactions only; a refused or failed one keeps the same shape unclaimed.
        if (success && ProfileOf(record.Interaction, record.Patients.Count > 0) is { } profile)
        {
            audit.Meta.Profile = [ProfileBase + profile];
        }

        AddAgents(audit, record);
        AddEntities(audit, record);
        return audit;
    }

    /// <summary>The BALP profile a successful interaction follows; null where BALP has no RESTful pattern (history, batch, operations).</summary>
    public static string? ProfileOf(string interaction, bool patient)
    {
        string? pattern = interaction switch
        {
            "create" => "Create",
            "read" or "vread" => "Read",
            "update" or "patch" => "Update",
            "delete" => "Delete",
            _ when IsSearch(interaction) => "Query",
            _ => null,
        };
        return pattern is null ? null : patient ? "Patient" + pattern : pattern;
    }

    // BALP: C create, R read/vread (history reads versions), U update/patch, D delete, E execute for searches,
    // batches and operations.
    public static AuditEvent.AuditEventAction ActionOf(string interaction) => interaction switch
    {
        "create" => AuditEvent.AuditEventAction.C,
        "read" or "vread" or "history-instance" or "history-type" or "history-system" => AuditEvent.AuditEventAction.R,
        "update" or "patch" => AuditEvent.AuditEventAction.U,
        "delete" => AuditEvent.AuditEventAction.D,
        _ => AuditEvent.AuditEventAction.E,
    };

    // 0 success; 4 minor failure: the request was refused (4xx) and nothing happened; 8 serious failure: the server
    // failed (5xx); 12 major failure: no HTTP status was ever sent (the request was aborted).
    public static AuditEvent.AuditEventOutcome OutcomeOf(int status) => status switch
    {
        > 0 and < 400 => AuditEvent.AuditEventOutcome.N0,
        >= 400 and < 500 => AuditEvent.AuditEventOutcome.N4,
        >= 500 and < 600 => AuditEvent.AuditEventOutcome.N8,
        _ => AuditEvent.AuditEventOutcome.N12,
    };

    private static bool IsSearch(string interaction) => interaction.StartsWith("search-", StringComparison.Ordinal);

    private static void AddAgents(AuditEvent audit, AuditRecord record)
    {
        // A user token has a person beside the client: the subject differs from the client, or a fhirUser is named.
        string? person = record.User ?? (record.Who is not null && record.Who != record.ClientId ? record.Who : null);

        // BALP client (DICOM 110153 Source Role ID): the OAuth client and its network address; the requestor when no
        // person acted.
        string? client = record.ClientId ?? (person is null ? record.Who : null);
        var clientAgent = new AuditEvent.AgentComponent
        {
            Type = new CodeableConcept(Dicom, "110153", "Source Role ID"),
            Who = client is null ? new ResourceReference { Display = "anonymous" } : new ResourceReference { Identifier = new Identifier { Value = client }, Display = client },
            Requestor = person is null,
        };
        if (record.NetworkAddress is not null)
        {
            clientAgent.Network = new AuditEvent.NetworkComponent { Address = record.NetworkAddress, Type = AuditEvent.AuditEventAgentNetworkType.N2 };
        }

        if (person is null)
        {
            AddPurposes(clientAgent, record.PurposeOfUse);
        }

        audit.Agent.Add(clientAgent);

        // BALP server (DICOM 110152 Destination Role ID): this server, which received the request.
        audit.Agent.Add(new AuditEvent.AgentComponent
        {
            Type = new CodeableConcept(Dicom, "110152", "Destination Role ID"),
            Who = new ResourceReference { Display = Observer },
            Requestor = false,
        });

        // BALP user (v3 IRCP information recipient): the person, as their fhirUser reference when the token names one,
        // with why they asked.
        if (person is not null)
        {
            var userAgent = new AuditEvent.AgentComponent
            {
                Type = new CodeableConcept(ParticipationType, "IRCP", "information recipient"),
                Who = record.User is not null && record.User.Contains('/', StringComparison.Ordinal)
                    ? new ResourceReference(record.User) { Identifier = record.Who is null ? null : new Identifier { Value = record.Who } }
                    : new ResourceReference { Identifier = new Identifier { Value = person }, Display = person },
                Requestor = true,
            };
            AddPurposes(userAgent, record.PurposeOfUse);
            audit.Agent.Add(userAgent);
        }

        // The organisation the caller acts for (openhip_source, meta.source of their writes), as BALP's token-use
        // Comprehensive patterns carry it: an agent of type v3 RoleClass PROV (healthcare provider).
        if (record.Source is not null)
        {
            audit.Agent.Add(new AuditEvent.AgentComponent
            {
                Type = new CodeableConcept(RoleClass, "PROV", "healthcare provider"),
                Who = new ResourceReference { Identifier = new Identifier { Value = record.Source }, Display = record.Source },
                Requestor = false,
            });
        }
    }

    private static void AddPurposes(AuditEvent.AgentComponent agent, IReadOnlyList<string> purposes)
    {
        foreach (string purpose in purposes)
        {
            agent.PurposeOfUse.Add(new CodeableConcept(ActReason, purpose));
        }
    }

    private static void AddEntities(AuditEvent audit, AuditRecord record)
    {
        // BALP data entity: the resource (with its version when known), System Object / Domain Resource. Only a real
        // reference: a type (search, failed create) or an operation name is not an instance.
        if (record.Resource is not null && record.Resource.Split('/') is [{ Length: > 0 }, { Length: > 0 }, ..])
        {
            audit.Entity.Add(new AuditEvent.EntityComponent
            {
                What = new ResourceReference(record.Resource),
                Type = new Coding(EntityType, "2", "System Object"),
                Role = new Coding(ObjectRole, "4", "Domain Resource"),
            });
        }

        // BALP query entity: what was asked, the query string base64-encoded in entity.query, role 24 Query.
        if (IsSearch(record.Interaction))
        {
            var query = new AuditEvent.EntityComponent
            {
                Type = new Coding(EntityType, "2", "System Object"),
                Role = new Coding(ObjectRole, "24", "Query"),
                Query = Encoding.UTF8.GetBytes(record.Query ?? string.Empty),
            };
            if (record.Resource is not null)
            {
                query.Description = record.Resource;
            }

            audit.Entity.Add(query);
        }

        // BALP patient entity: each patient whose data was touched, Person / Patient.
        foreach (string patient in record.Patients)
        {
            audit.Entity.Add(new AuditEvent.EntityComponent
            {
                What = new ResourceReference($"Patient/{patient}"),
                Type = new Coding(EntityType, "1", "Person"),
                Role = new Coding(ObjectRole, "1", "Patient"),
            });
        }
    }
}

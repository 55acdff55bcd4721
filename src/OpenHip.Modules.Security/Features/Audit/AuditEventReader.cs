using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// <c>AuditEvent/{id}</c> read straight from a log row (id = the row's id): a minimal R4 AuditEvent of the record
/// (type rest, subtype the interaction, action, outcome, the requesting agent, the resource and the patients as
/// entities). The BALP profiles (per-interaction shapes, purpose of use, network) are the next step; search too.
/// </summary>
internal sealed class AuditEventReader(IAuditLog log) : IAuditEventReader
{
    private const string Observer = "OpenHIP";

    public async Task<StoredResource?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long aid))
        {
            return null;
        }

        StoredAuditRow? stored = await log.ReadAuditAsync(aid, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        AuditEvent resource = ToAuditEvent(id, stored.Row, AuditPayload.Read(stored.Row.Payload.Span));
        return new StoredResource("AuditEvent", id, 1, stored.Row.Recorded, false, WriteMethod.Create, FhirCodec.ToJsonBytes(resource));
    }

    internal static AuditEvent ToAuditEvent(string id, AuditRow row, AuditRecord record)
    {
        var audit = new AuditEvent
        {
            Id = id,
            Meta = new Meta { VersionId = "1", LastUpdated = row.Recorded },
            Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "Restful Operation"),
            Subtype = [new Coding("http://hl7.org/fhir/restful-interaction", record.Interaction)],
            Action = ActionOf(record.Interaction),
            Recorded = record.When,
            Outcome = record.Outcome < 400 ? AuditEvent.AuditEventOutcome.N0 : record.Outcome < 500 ? AuditEvent.AuditEventOutcome.N4 : AuditEvent.AuditEventOutcome.N8,
            OutcomeDesc = record.Outcome.ToString(CultureInfo.InvariantCulture),
            Source = new AuditEvent.SourceComponent { Observer = new ResourceReference { Display = Observer } },
        };
        audit.Agent.Add(new AuditEvent.AgentComponent
        {
            Requestor = true,
            Who = record.Who is null
                ? new ResourceReference { Display = "server" }
                : new ResourceReference { Identifier = new Identifier { Value = record.Who }, Display = record.Who },
        });
        if (record.Source is not null)
        {
            // The submitting institution, as a second agent beside the person or client.
            audit.Agent.Add(new AuditEvent.AgentComponent { Requestor = false, Who = new ResourceReference { Display = record.Source } });
        }

        if (record.Resource is not null)
        {
            audit.Entity.Add(new AuditEvent.EntityComponent { What = new ResourceReference(record.Resource) });
        }

        foreach (string patient in record.Patients)
        {
            audit.Entity.Add(new AuditEvent.EntityComponent
            {
                What = new ResourceReference($"Patient/{patient}"),
                Role = new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"),
            });
        }

        return audit;
    }

    private static AuditEvent.AuditEventAction ActionOf(string interaction) => interaction switch
    {
        "create" => AuditEvent.AuditEventAction.C,
        "read" or "vread" or "history-instance" or "history-type" or "history-system" => AuditEvent.AuditEventAction.R,
        "update" or "patch" => AuditEvent.AuditEventAction.U,
        "delete" => AuditEvent.AuditEventAction.D,
        _ => AuditEvent.AuditEventAction.E,
    };
}

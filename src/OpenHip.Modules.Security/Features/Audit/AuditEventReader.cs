using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// <c>AuditEvent/{id}</c> read straight from a log row (id = the row's id), rendered as the BALP AuditEvent of its
/// record (<see cref="BalpAuditEvent"/>).
/// </summary>
internal sealed class AuditEventReader(IAuditLog log, AuditLogWriter writer) : IAuditEventReader
{
    public async Task<StoredResource?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long aid))
        {
            return null;
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        StoredAuditRow? stored = await log.ReadAuditAsync(aid, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        return Render(stored);
    }

    public async Task<AuditEventPage> SearchAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        // This node's journaled records are searchable as soon as they were acknowledged (other nodes' within MoveInterval).
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (query.Patient is { } patient)
        {
            query = query with { NamesPatient = stored => Names(stored, patient) };
        }

        AuditPage page = await log.SearchAuditAsync(query, cancellationToken).ConfigureAwait(false);
        return new AuditEventPage([.. page.Rows.Select(Render)], page.Next);
    }

    // A payload that does not read fails the page as rendering it would.
    private static bool Names(StoredAuditRow stored, string patient) =>
        AuditPayload.Read(stored.Row.Payload.Span).Patients.Contains(patient, StringComparer.Ordinal);

    private static StoredResource Render(StoredAuditRow stored)
    {
        string id = stored.Id.ToString(CultureInfo.InvariantCulture);
        AuditEvent resource = ToAuditEvent(id, stored.Row, AuditPayload.Read(stored.Row.Payload.Span));
        return new StoredResource("AuditEvent", id, 1, stored.Row.Recorded, false, WriteMethod.Create, FhirCodec.ToJsonBytes(resource));
    }

    internal static AuditEvent ToAuditEvent(string id, AuditRow row, AuditRecord record) => BalpAuditEvent.Render(id, row, record);
}

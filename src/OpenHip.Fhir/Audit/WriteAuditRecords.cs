using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Audit;

/// <summary>The audit record of each write of a changeset, made from what the engine knows when it commits.</summary>
public static class WriteAuditRecords
{
    public static IReadOnlyList<AuditRecord> For(Changeset changeset, FhirRequestContext? context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(changeset);
        var records = new AuditRecord[changeset.Writes.Count];
        for (int i = 0; i < records.Length; i++)
        {
            ResourceWrite write = changeset.Writes[i];
            records[i] = new AuditRecord(
                now,
                Interaction(write.Method),
                context?.Who,
                context?.Source ?? write.Source,
                $"{write.Type}/{write.Id}/_history/{write.VersionId}",
                write.Compartments,
                Outcome(write),
                context?.CorrelationId)
            {
                ClientId = context?.ClientId,
                User = context?.User,
                PurposeOfUse = context?.PurposeOfUse ?? [],
                NetworkAddress = context?.NetworkAddress,
            };
        }

        return records;
    }

    private static string Interaction(WriteMethod method) => method switch
    {
        WriteMethod.Create => "create",
        WriteMethod.Delete => "delete",
        WriteMethod.Patch => "patch",
        _ => "update",
    };

    // What the client is told for this write when it succeeds: created, changed, or deleted.
    private static int Outcome(ResourceWrite write) =>
        write.IsDelete ? 204 : write.ExpectedCurrentVersion == 0 ? 201 : 200;
}

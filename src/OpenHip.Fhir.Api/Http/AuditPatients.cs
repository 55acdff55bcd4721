using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Api.Http;

/// <summary>
/// Finds whose data a response carries, for an audit sink that records one event per patient: from the compartments a
/// current read brought along, otherwise with one look-up of the compartment index for the whole page.
/// </summary>
internal static class AuditPatients
{
    public static async Task NoteAsync(HttpContext context, IReadOnlyList<StoredResource> resources)
    {
        if (!context.RequestServices.GetRequiredService<IAuditSink>().RecordsPatientsOfResults || resources.Count == 0)
        {
            return;
        }

        if (resources is [{ Compartments: { } compartments }])
        {
            AuditItems.SetPatients(context, compartments);
            return;
        }

        IReadOnlyList<string> patients = await context.RequestServices.GetRequiredService<IFhirStore>()
            .ReadPatientsOfAsync([.. resources.Where(r => !r.IsDeleted).Select(r => r.Key)], context.RequestAborted).ConfigureAwait(false);
        AuditItems.SetPatients(context, patients);
    }
}

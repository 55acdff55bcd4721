using Microsoft.AspNetCore.Http;

namespace OpenHip.Fhir.Api.Http;

/// <summary>What a handler tells the audit middleware about the interaction it served.</summary>
internal static class AuditItems
{
    private const string InteractionKey = "openhip.audit.interaction";
    private const string ResourceKey = "openhip.audit.resource";
    private const string PatientsKey = "openhip.audit.patients";

    public static void Set(HttpContext context, string interaction, string? resource = null)
    {
        context.Items[InteractionKey] = interaction;
        if (resource is not null)
        {
            context.Items[ResourceKey] = resource;
        }
    }

    public static string? Interaction(HttpContext context) => context.Items[InteractionKey] as string;

    public static string? Resource(HttpContext context) => context.Items[ResourceKey] as string;

    /// <summary>The patients whose data a search or operation returned: the interaction is recorded once for each.</summary>
    public static void SetPatients(HttpContext context, IReadOnlyList<string> patients) => context.Items[PatientsKey] = patients;

    public static IReadOnlyList<string>? Patients(HttpContext context) => context.Items[PatientsKey] as IReadOnlyList<string>;
}

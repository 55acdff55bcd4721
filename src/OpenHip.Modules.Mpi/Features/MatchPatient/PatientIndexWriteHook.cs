using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Mpi.Features.MatchPatient;

/// <summary>Puts this node's committed Patient versions into the index at once, so $match sees a Patient the moment its create returns.</summary>
internal sealed partial class PatientIndexWriteHook(PatientIndex index, ILogger<PatientIndexWriteHook> logger) : IResourceWriteHook
{
    public bool Inspects(string resourceType) => false;

    public void OnWriting(Resource resource)
    {
    }

    public void OnCommitted(IReadOnlyList<ResourceWrite> writes)
    {
        if (!index.IsLoaded)
        {
            // The first use loads the store, commits included.
            return;
        }

        foreach (ResourceWrite write in writes)
        {
            if (write.Type != "Patient")
            {
                continue;
            }

            try
            {
                index.Apply(new StoredResource(write.Type, write.Id, write.VersionId, write.LastUpdated, write.IsDelete, write.Method, write.Json));
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException)
            {
                // The commit stands; the outbox observer brings the same version in again.
                MpiLog.IndexUpdateFailed(logger, ex);
            }
        }
    }
}

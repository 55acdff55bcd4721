using Hl7.Fhir.Model;

namespace OpenHip.Modules.Mpi.Features.Merge;

/// <summary>
/// A merge is recorded as a <c>Provenance</c> (activity <c>merge</c> of ISO 21089): <c>target</c> lists every resource
/// version the merge wrote, <c>entity</c> (role <c>revision</c>) every version it replaced. The undo restores each entity
/// version's content and deletes each target that has no entity (what the merge created), so nothing needs keeping
/// outside the store.
/// </summary>
internal static class MergeRecord
{
    public const string LifecycleSystem = "http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle";
    public const string MergeCode = "merge";

    public static bool IsMerge(Provenance provenance) =>
        provenance.Activity?.Coding.Any(c => c.System == LifecycleSystem && c.Code == MergeCode) == true;

    /// <summary>type/id and version of a versioned reference (<c>Patient/1/_history/2</c>); version null when unversioned.</summary>
    public static (string Type, string Id, long? Version) Parse(string reference)
    {
        string[] parts = reference.Split('/');
        return parts.Length >= 4 && parts[^2] == "_history" && long.TryParse(parts[^1], System.Globalization.CultureInfo.InvariantCulture, out long version)
            ? (parts[^4], parts[^3], version)
            : (parts[^2], parts[^1], null);
    }
}

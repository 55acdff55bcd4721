using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Resources;

/// <summary>
/// Code that takes part in every write (REST, batch, transaction, patch): it sees each new version before it is indexed
/// and every changeset after it is committed. Registered in DI; <see cref="ResourceWriteFactory"/> and
/// <see cref="ChangesetCommitter"/> call them in registration order.
/// </summary>
public interface IResourceWriteHook
{
    /// <summary>Before indexing; may refuse the write by throwing a <see cref="Errors.FhirException"/> (nothing is written then).</summary>
    void OnWriting(Resource resource);

    /// <summary>
    /// Whether <see cref="OnWriting"/> may act on resources of <paramref name="resourceType"/>. The bulk import writes
    /// the types no hook inspects straight from their JSON, without a POCO to show a hook; a hook that does not say
    /// keeps every type on the POCO path.
    /// </summary>
    bool Inspects(string resourceType) => true;

    /// <summary>
    /// The JSON path's <see cref="OnWriting"/>, for a type the hook does not inspect: may refuse the write by throwing,
    /// or change <paramref name="security"/> (meta.security, read from the JSON) and return true to have it stored.
    /// </summary>
    bool OnWritingJson(System.Text.Json.JsonElement resource, string resourceType, List<Coding> security) => false;

    /// <summary>
    /// After the changeset is durable. Must not throw: the write has happened whatever this does, so a failure here
    /// would only tell the client the opposite of the truth.
    /// </summary>
    void OnCommitted(IReadOnlyList<ResourceWrite> writes);
}

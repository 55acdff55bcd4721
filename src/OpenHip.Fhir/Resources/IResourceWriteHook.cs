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
    /// After the changeset is durable. Must not throw: the write has happened whatever this does, so a failure here
    /// would only tell the client the opposite of the truth.
    /// </summary>
    void OnCommitted(IReadOnlyList<ResourceWrite> writes);
}

namespace OpenHip.Fhir.Storage;

/// <summary>
/// Another resource matching a <see cref="CreateGuard"/> was committed first; nothing of the changeset was written.
/// The caller runs its conditional create again, which now finds that resource.
/// </summary>
public sealed class CreateGuardViolatedException(CreateGuard guard, string existingId)
    : Exception($"{guard.Criteria.Type}/{existingId} already matches '{guard.Key}'")
{
    public CreateGuard Guard { get; } = guard;

    public string ExistingId { get; } = existingId;
}

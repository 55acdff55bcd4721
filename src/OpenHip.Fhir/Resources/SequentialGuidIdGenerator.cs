namespace OpenHip.Fhir.Resources;

/// <summary>Version 7 GUIDs: unguessable enough for ids yet time-ordered, which keeps B-tree inserts local.</summary>
public sealed class SequentialGuidIdGenerator : IResourceIdGenerator
{
    public string NewId() => Guid.CreateVersion7().ToString();
}

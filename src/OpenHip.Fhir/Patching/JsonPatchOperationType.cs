namespace OpenHip.Fhir.Patching;

/// <summary>The six RFC 6902 operations.</summary>
internal enum JsonPatchOperationType
{
    Add,
    Remove,
    Replace,
    Move,
    Copy,
    Test,
}

namespace OpenHip.Modules.Synthetic;

/// <summary>
/// Ground truth for one institution's Patient record: which resident it really is and how it was distorted.
/// </summary>
/// <param name="PatientId">The record's generated id (the uuid of its <c>urn:uuid:</c> fullUrl, and its id in NDJSON).</param>
/// <param name="ResidentKey">The true person, e.g. <c>R0000042</c>; records with the same key are the same person.</param>
/// <param name="OrganizationId">The institution that holds the record.</param>
/// <param name="MrnSystem">Identifier system of the institution's MRN.</param>
/// <param name="Mrn">The institution-local MRN, a key that survives loading (the server assigns its own ids).</param>
/// <param name="IdNumberState"><c>valid</c>, <c>missing</c>, <c>corrupted</c> (fails GB 11643 check) or <c>none</c> (foreigner).</param>
/// <param name="Variations">Labelled variations applied to this record; empty when it is a faithful copy.</param>
/// <param name="Relation">For look-alikes, <c>twin:&lt;key&gt;</c> or <c>namesake:&lt;key&gt;</c>; otherwise null.</param>
public sealed record IdentityLabel(
    string PatientId,
    string ResidentKey,
    string OrganizationId,
    string MrnSystem,
    string Mrn,
    string IdNumberState,
    IReadOnlyList<string> Variations,
    string? Relation);

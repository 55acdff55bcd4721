using OpenHip.Fhir.Access;

namespace OpenHip.Modules.Security.Features.Policy;

/// <summary>
/// One parsed resource scope: <c>patient/Observation.rs?category=laboratory</c> is context Patient, type Observation,
/// rights Read|Search and the granular query <c>category=laboratory</c>.
/// </summary>
/// <param name="Type">A resource type or <c>*</c>.</param>
/// <param name="Query">The granular query after '?' (SMART v2 only), still URL-encoded; null for a plain scope.</param>
internal sealed record SmartScope(ScopeContext Context, string Type, AccessRights Rights, string? Query = null);

using System.ComponentModel.DataAnnotations;

namespace OpenHip.Modules.Security.Features.Policy;

/// <summary><c>Security:Policy</c>: what scopes mean beyond the SMART text, and how roles and purposes narrow them.</summary>
public sealed class PolicyOptions
{
    public const string SectionName = "Security:Policy";

    /// <summary>Identifying Patient elements removed for research (the direct identifiers of HIPAA-style de-identification).</summary>
    internal static readonly string[] DirectIdentifiers = ["identifier", "name", "telecom", "address", "photo", "contact"];

    internal static readonly string[] DefaultDirectoryTypes =
    [
        "Practitioner", "PractitionerRole", "Organization", "Location", "HealthcareService", "Endpoint", "Medication",
        "Substance", "CodeSystem", "ValueSet", "ConceptMap", "NamingSystem", "StructureDefinition", "SearchParameter",
        "OperationDefinition", "CapabilityStatement", "Questionnaire", "PlanDefinition", "ActivityDefinition", "Library",
    ];

    /// <summary>
    /// Types outside the patient compartment that a patient/ scope (or a resident's user/ scope) may read and search
    /// unfiltered: the directory and terminology a patient's record refers to. Writes to them are never granted that way.
    /// Empty: the defaults above.
    /// </summary>
    public List<string> DirectoryTypes { get; init; } = [];

    /// <summary>Narrowing by role claim (<c>role</c>); by default <c>researcher</c> is read-only with Patient direct identifiers masked.</summary>
    public Dictionary<string, CallerShape> Roles { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Narrowing by purpose of use (<c>purpose_of_use</c>); by default <c>HRESCH</c> like the researcher role.</summary>
    public Dictionary<string, CallerShape> Purposes { get; init; } = new(StringComparer.Ordinal);

    /// <summary>How long a compiled policy is reused at most (consent and grant changes invalidate it earlier).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CacheLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Compiled policies kept; past this the cache starts over (it is cheap to refill).</summary>
    [Range(1, 1_000_000)]
    public int CacheSize { get; init; } = 10_000;

    internal IReadOnlyList<string> EffectiveDirectoryTypes => DirectoryTypes.Count > 0 ? DirectoryTypes : DefaultDirectoryTypes;

    /// <summary>The shipped shapes where the configuration names none of the same key.</summary>
    internal void AddDefaults()
    {
        Roles.TryAdd("researcher", Research());
        Purposes.TryAdd("HRESCH", Research());
    }

    private static CallerShape Research() => new()
    {
        ReadOnly = true,
        Mask = new(StringComparer.Ordinal) { ["Patient"] = [.. DirectIdentifiers] },
    };
}

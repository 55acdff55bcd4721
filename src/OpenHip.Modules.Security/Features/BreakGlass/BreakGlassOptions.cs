using System.ComponentModel.DataAnnotations;

namespace OpenHip.Modules.Security.Features.BreakGlass;

/// <summary><c>Security:BreakGlass</c>: who may override consent, for how long.</summary>
public sealed class BreakGlassOptions
{
    public const string SectionName = "Security:BreakGlass";

    /// <summary>How long a grant lasts.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "24:00:00")]
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>Roles (claim <c>role</c>) that may break the glass; empty: the default <c>clinician</c>.</summary>
    public List<string> Roles { get; init; } = [];

    /// <summary>
    /// meta.source of the grant Tasks the module writes. Only grants with this source count, and no client write may
    /// carry it; the authorization server must never issue it as a client's <c>openhip_source</c>.
    /// </summary>
    [Required]
    public string WriterSource { get; init; } = "urn:openhip:security";

    internal IReadOnlyList<string> EffectiveRoles => Roles.Count > 0 ? Roles : ["clinician"];
}

namespace OpenHip.Modules.Security.Features.Policy;

/// <summary>
/// How a role or a purpose of use narrows a policy (<c>Security:Policy:Roles:&lt;role&gt;</c>,
/// <c>Security:Policy:Purposes:&lt;code&gt;</c>). Shapes only ever take away: a role never grants what the scopes do not.
/// </summary>
public sealed class CallerShape
{
    /// <summary>Security labels (<c>system|code</c>) whose resources the caller may not see or change at all.</summary>
    public List<string> DeniedLabels { get; init; } = [];

    /// <summary>Only read and search remain of whatever the scopes grant.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Per resource type, the top-level elements removed from every returned resource (e.g. Patient: name, identifier).</summary>
    public Dictionary<string, List<string>> Mask { get; init; } = new(StringComparer.Ordinal);

    /// <summary>When given, the mask applies only to resources carrying one of these labels (<c>system|code</c>); empty: always.</summary>
    public List<string> MaskWhenLabels { get; init; } = [];
}

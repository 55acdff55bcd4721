namespace OpenHip.Modules.Security.Features.Users;

/// <summary>A user as the CLI and the admin API register it (the password only travels in, never out).</summary>
public sealed record UserRegistration
{
    public required string UserName { get; init; }

    public string? Password { get; init; }

    /// <summary><c>practitioner</c>, <c>resident</c> or <c>operator</c>.</summary>
    public required string Kind { get; init; }

    /// <summary><c>Practitioner/123</c>; a resident's is their <c>Patient/456</c>, which binds their patient launch.</summary>
    public string? FhirUser { get; init; }

    public IReadOnlyList<string> Roles { get; init; } = [];

    public string? Source { get; init; }

    public IReadOnlyList<string> PurposesOfUse { get; init; } = [];
}

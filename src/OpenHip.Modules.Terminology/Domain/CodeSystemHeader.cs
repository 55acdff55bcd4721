namespace OpenHip.Modules.Terminology.Domain;

/// <summary>What identifies a compiled code system and how its codes compare.</summary>
/// <param name="Content">CodeSystem.content: complete, fragment, example, not-present, supplement.</param>
internal sealed record CodeSystemHeader(
    string Url,
    string? Version,
    string? Name,
    string? Title,
    string? Language,
    bool CaseSensitive,
    string Content,
    string? ResourceId);

namespace OpenHip.Modules.Terminology.Domain;

/// <summary>One name of a concept in a language (null: the code system's own language) and an optional use.</summary>
internal sealed record Designation(string? Language, string? UseSystem, string? UseCode, string Value);

namespace OpenHip.Modules.Terminology.Features.Bindings;

/// <summary>One coded element with a binding: its path below the type that defines it, how strong, to which value set.</summary>
/// <param name="Steps">Element names below the type (choice elements without <c>[x]</c>).</param>
internal sealed record BindingRule(string Path, string[] Steps, string Strength, string ValueSet);

namespace OpenHip.Modules.Synthetic;

/// <summary>An outbreak with the number of its cases that were actually generated.</summary>
public sealed record OutbreakLabel(OutbreakDefinition Definition, int Cases);

namespace OpenHip.Fhir.Storage;

/// <summary>A typed search index entry extracted from one resource version.</summary>
public abstract record IndexEntry(string Parameter);

/// <summary>token: Identifier, Coding, CodeableConcept, code, boolean, ContactPoint, id.</summary>
/// <param name="System">null when the element had no system; "" is never stored.</param>
public sealed record TokenIndexEntry(string Parameter, string? System, string Code) : IndexEntry(Parameter);

namespace OpenHip.Modules.Mpi.Domain.Identifiers;

/// <summary>An identifier as written on a record, before it is understood: the FHIR side fills it from <c>Identifier</c>.</summary>
internal sealed record RawIdentifier(string? System, string Value, string? TypeSystem = null, string? TypeCode = null);

using Hl7.Fhir.Model;

namespace OpenHip.Modules.Mpi.Features.Linking;

/// <summary>A current Patient linked to a golden Person, with when it was last updated (survivorship's recency).</summary>
internal sealed record MemberPatient(Patient Patient, DateTimeOffset LastUpdated);

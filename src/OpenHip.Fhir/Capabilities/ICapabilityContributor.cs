using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Capabilities;

/// <summary>A module's part of the generated CapabilityStatement (e.g. the security module's SMART endpoints).</summary>
public interface ICapabilityContributor
{
    void Contribute(CapabilityStatement.RestComponent rest);
}

namespace OpenHip.Fhir.Resources;

/// <summary>Server-assigned logical ids, injectable so tests are deterministic.</summary>
public interface IResourceIdGenerator
{
    string NewId();
}

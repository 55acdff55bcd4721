using Hl7.Fhir.Model;

namespace OpenHip.Modules.Terminology.Domain;

/// <summary>Where expansions find the code systems and value sets they name.</summary>
internal interface ITerminologySource
{
    /// <summary>The code system with this canonical URL; with <paramref name="version"/>, that version only.</summary>
    CompiledCodeSystem? FindCodeSystem(string url, string? version);

    ValueSet? FindValueSet(string url, string? version);
}

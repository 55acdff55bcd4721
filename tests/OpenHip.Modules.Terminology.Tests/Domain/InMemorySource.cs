using Hl7.Fhir.Model;
using OpenHip.Modules.Terminology.Domain;

namespace OpenHip.Modules.Terminology.Tests.Domain;

/// <summary>Code systems and value sets held in dictionaries, for expanding without a catalog.</summary>
internal sealed class InMemorySource : ITerminologySource
{
    private readonly Dictionary<string, CompiledCodeSystem> _codeSystems = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ValueSet> _valueSets = new(StringComparer.Ordinal);

    public InMemorySource With(CodeSystem codeSystem)
    {
        CompiledCodeSystem compiled = CodeSystemCompiler.Compile(codeSystem);
        _codeSystems[compiled.Url] = compiled;
        return this;
    }

    public InMemorySource With(ValueSet valueSet)
    {
        _valueSets[valueSet.Url!] = valueSet;
        return this;
    }

    public CompiledCodeSystem? FindCodeSystem(string url, string? version) =>
        _codeSystems.TryGetValue(url, out CompiledCodeSystem? found) && (version is null || found.Version == version) ? found : null;

    public ValueSet? FindValueSet(string url, string? version) => _valueSets.GetValueOrDefault(url);
}

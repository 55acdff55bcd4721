using System.Collections.Concurrent;
using Hl7.Fhir.Model;

namespace OpenHip.Modules.Terminology.Features.Bindings;

/// <summary>
/// The bindings of coded elements (code, Coding, CodeableConcept) in the R4 core definitions of each resource and data
/// type (<see cref="CoreBindingTable"/>) of the checked strengths, kept per type.
/// </summary>
internal sealed class BindingRules(IReadOnlySet<string> strengths)
{
    private readonly ConcurrentDictionary<string, BindingRule[]> _byType = new(StringComparer.Ordinal);

    public BindingRule[] For(string type) => _byType.GetOrAdd(type, Read);

    private BindingRule[] Read(string type) =>
        !ModelInfo.IsKnownResource(type) && !ModelInfo.IsDataType(type) ? [] : [.. CoreBindingTable.For(type).Where(r => strengths.Contains(r.Strength))];
}

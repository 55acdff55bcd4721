using System.Collections.Concurrent;
using Hl7.Fhir.Model;

namespace OpenHip.Modules.Terminology.Features.Bindings;

/// <summary>
/// What the JSON binding walk needs of one model type, built once per type instead of per node: its binding rules with
/// their first element resolved, its elements by name, and the elements worth descending into, in the model's order.
/// </summary>
internal sealed class JsonTypePlan
{
    private static readonly ConcurrentDictionary<string, Type?> ChoiceTypes = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Type?> ResourceTypes = new(StringComparer.Ordinal);

    private JsonTypePlan(Type type, BindingRules rules)
    {
        var mapping = ModelInfo.ModelInspector.FindOrImportClassMapping(type)!;
        Elements = [.. mapping.PropertyMappings.Select(p => new JsonElementPlan(p))];
        ByName = Elements.ToDictionary(e => e.Name, StringComparer.Ordinal);
        Descend = [.. Elements.Where(e => !e.IsPrimitive)];
        Rules = [.. rules.For(mapping.Name).Where(r => ByName.ContainsKey(r.Steps[0]))];
    }

    public JsonElementPlan[] Elements { get; }

    public Dictionary<string, JsonElementPlan> ByName { get; }

    /// <summary>The elements that can hold coded values below them (not primitives), in the model's order.</summary>
    public JsonElementPlan[] Descend { get; }

    /// <summary>The type's own rules whose first step names one of its elements.</summary>
    public BindingRule[] Rules { get; }

    /// <summary>The plans of one set of rules, per model type; null for a type Firely does not map.</summary>
    public static JsonTypePlan? For(ConcurrentDictionary<Type, JsonTypePlan?> plans, Type type, BindingRules rules) =>
        plans.GetOrAdd(type, static (t, r) => ModelInfo.ModelInspector.FindOrImportClassMapping(t) is null ? null : new JsonTypePlan(t, r), rules);

    /// <summary>The model type of a choice element's JSON name suffix (<c>valueQuantity</c> → Quantity, <c>valueString</c> → FhirString).</summary>
    public static Type? ChoiceType(string suffix) => ChoiceTypes.GetOrAdd(suffix, static s =>
        ModelInfo.GetTypeForFhirType(s) ?? ModelInfo.GetTypeForFhirType(char.ToLowerInvariant(s[0]) + s[1..]));

    public static Type? ResourceType(string name) => ResourceTypes.GetOrAdd(name, static n => ModelInfo.GetTypeForFhirType(n));
}

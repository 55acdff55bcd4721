using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;

namespace OpenHip.Modules.Terminology.Domain;

/// <summary>
/// compose.include.filter over a compiled code system: <c>is-a</c>, <c>descendent-of</c>, <c>is-not-a</c>,
/// <c>generalizes</c> on the hierarchy; <c>=</c>, <c>in</c>, <c>not-in</c>, <c>regex</c>, <c>exists</c> on the code
/// (property <c>concept</c> or <c>code</c>), the display (<c>display</c>) or any concept property.
/// </summary>
internal static class ConceptFilter
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromSeconds(1);

    public static IEnumerable<Concept> Apply(CompiledCodeSystem codeSystem, ValueSet.FilterComponent filter, IEnumerable<Concept> concepts)
    {
        ArgumentNullException.ThrowIfNull(filter);
        string property = filter.Property ?? throw FhirException.BadRequest("A value set filter needs a property", "ValueSet.compose.include.filter.property");
        string value = filter.Value ?? throw FhirException.BadRequest("A value set filter needs a value", "ValueSet.compose.include.filter.value");
        bool onCode = property is "concept" or "code";
        switch (filter.Op)
        {
            case FilterOperator.IsA:
            case FilterOperator.DescendentOf:
            case FilterOperator.IsNotA:
            case FilterOperator.Generalizes:
                return Hierarchy(codeSystem, filter.Op.Value, value, concepts);
            case FilterOperator.Equal:
                return concepts.Where(c => Values(c, property, onCode).Contains(value, StringComparer.Ordinal));
            case FilterOperator.In:
            case FilterOperator.NotIn:
                var list = new HashSet<string>(value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
                bool wanted = filter.Op == FilterOperator.In;
                return concepts.Where(c => Values(c, property, onCode).Any(list.Contains) == wanted);
            case FilterOperator.Regex:
                var regex = new Regex("^(?:" + value + ")$", RegexOptions.CultureInvariant, RegexBudget);
                return concepts.Where(c => Values(c, property, onCode).Any(regex.IsMatch));
            case FilterOperator.Exists:
                bool present = value == "true";
                return concepts.Where(c => Values(c, property, onCode).Any() == present);
            default:
                throw FhirException.NotSupported($"The value set filter operator '{filter.Op}' is not supported");
        }
    }

    private static IEnumerable<Concept> Hierarchy(CompiledCodeSystem codeSystem, FilterOperator op, string code, IEnumerable<Concept> concepts)
    {
        if (codeSystem.Find(code) is not { } root)
        {
            // Nothing is below (or above) a code the system does not have; is-not-a then keeps everything.
            return op == FilterOperator.IsNotA ? concepts : [];
        }

        var selected = new HashSet<int>(op == FilterOperator.Generalizes ? codeSystem.AncestorsOf(root) : codeSystem.DescendantsOf(root));
        if (op is FilterOperator.IsA or FilterOperator.IsNotA or FilterOperator.Generalizes)
        {
            selected.Add(root.Index);
        }

        return op == FilterOperator.IsNotA ? concepts.Where(c => !selected.Contains(c.Index)) : concepts.Where(c => selected.Contains(c.Index));
    }

    private static IEnumerable<string> Values(Concept concept, string property, bool onCode)
    {
        if (onCode)
        {
            return [concept.Code];
        }

        if (property == "display")
        {
            return concept.Display is null ? [] : [concept.Display];
        }

        return concept.Properties.Where(p => p.Code == property).Select(p => p.Text).OfType<string>();
    }
}

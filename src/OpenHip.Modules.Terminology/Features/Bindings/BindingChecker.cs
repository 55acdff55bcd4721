using System.Collections;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Modules.Terminology.Catalog;
using OpenHip.Modules.Terminology.Domain;

namespace OpenHip.Modules.Terminology.Features.Bindings;

/// <summary>
/// Checks the coded elements of a resource against their bindings: a code outside a <c>required</c> value set is an
/// error (the write is refused with a 422 naming the element); outside an <c>extensible</c> or <c>preferred</c> one it
/// is a warning. Only value sets this server holds and can expand are enforced; an unknown one, or one over a code
/// system the server does not hold, is skipped without a word, since saying nothing is better than refusing good data.
/// </summary>
internal sealed class BindingChecker(TerminologyCatalog catalog, BindingRules rules)
{
    public IReadOnlyList<FhirIssue> Check(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var issues = new List<FhirIssue>();
        CatalogSnapshot snapshot = catalog.Current;
        if (snapshot.ByKey.IsEmpty)
        {
            return issues;
        }

        Visit(resource, resource.TypeName, snapshot, issues);
        return issues;
    }

    // Every complex node is checked against the rules of its own type (a resource, or a data type such as Attachment),
    // so bindings inside data types apply wherever the type is used.
    private void Visit(Base node, string location, CatalogSnapshot snapshot, List<FhirIssue> issues)
    {
        foreach (BindingRule rule in rules.For(node.TypeName))
        {
            foreach ((Base value, string at) in Select(node, location, rule.Steps, 0))
            {
                CheckValue(value, at, rule, snapshot, issues);
            }
        }

        foreach ((Base child, string at) in Children(node, location))
        {
            if (child is not PrimitiveType)
            {
                Visit(child, at, snapshot, issues);
            }
        }
    }

    private static IEnumerable<(Base Node, string Location)> Select(Base node, string location, string[] steps, int depth)
    {
        if (depth == steps.Length)
        {
            yield return (node, location);
            yield break;
        }

        foreach ((Base child, string at) in Children(node, location))
        {
            if (at.AsSpan(location.Length + 1).StartsWith(steps[depth] + "[", StringComparison.Ordinal) || at.AsSpan(location.Length + 1).SequenceEqual(steps[depth]))
            {
                foreach ((Base Node, string Location) found in Select(child, at, steps, depth + 1))
                {
                    yield return found;
                }
            }
        }
    }

    private static IEnumerable<(Base Node, string Location)> Children(Base node, string location)
    {
        foreach (KeyValuePair<string, object> element in node.EnumerateElements())
        {
            if (element.Value is Base single)
            {
                yield return (single, $"{location}.{element.Key}");
            }
            else if (element.Value is IEnumerable list)
            {
                int i = 0;
                foreach (object item in list)
                {
                    if (item is Base b)
                    {
                        yield return (b, $"{location}.{element.Key}[{i}]");
                    }

                    i++;
                }
            }
        }
    }

    /// <summary>The catalog to check against, or null when it holds nothing (then nothing is checked).</summary>
    public CatalogSnapshot? Snapshot() => catalog.Current is { ByKey.IsEmpty: false } snapshot ? snapshot : null;

    private void CheckValue(Base value, string location, BindingRule rule, CatalogSnapshot snapshot, List<FhirIssue> issues)
    {
        List<(string? System, string Code)> codes = value switch
        {
            Code { Value: { } code } => [(null, code)],
            Coding { Code: { } code } coding => [(coding.System, code)],
            CodeableConcept concept => [.. concept.Coding.Where(c => c.Code is not null).Select(c => (c.System, c.Code!))],
            _ => [],
        };
        CheckValue(codes, location, rule, snapshot, issues);
    }

    /// <summary>Adds an issue when none of <paramref name="codes"/> (one coded element's) is in the rule's value set.</summary>
    public void CheckValue(List<(string? System, string Code)> codes, string location, BindingRule rule, CatalogSnapshot snapshot, List<FhirIssue> issues)
    {
        if (codes.Count > 0 && !Accepts(codes, rule, snapshot))
        {
            issues.Add(Issue(codes, location, rule));
        }
    }

    /// <summary>
    /// True when one of <paramref name="codes"/> is in the rule's value set, or when the server cannot judge (the value
    /// set is not held or cannot be expanded).
    /// </summary>
    public bool Accepts(List<(string? System, string Code)> codes, BindingRule rule, CatalogSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(snapshot);
        return Expand(snapshot, rule.ValueSet) is not { } expansion
            || codes.Exists(c => c.System is null ? expansion.ContainsCode(c.Code) : expansion.Contains(c.System, c.Code));
    }

    public static FhirIssue Issue(List<(string? System, string Code)> codes, string location, BindingRule rule)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(rule);
        string shown = string.Join(", ", codes.Select(c => c.System is null ? $"'{c.Code}'" : $"'{c.System}|{c.Code}'"));
        string message = $"{shown} is not in the {rule.Strength} value set '{rule.ValueSet}' bound to {rule.Path}";
        return rule.Strength == "required"
            ? new FhirIssue(OperationOutcome.IssueType.CodeInvalid, message, location)
            : new FhirIssue(OperationOutcome.IssueType.CodeInvalid, message, location, OperationOutcome.IssueSeverity.Warning);
    }

    // Once per bound canonical and snapshot: every coded element of every write asks, and a changed CodeSystem or
    // ValueSet makes a new snapshot, so the answer can never outlive what it was computed from.
    private Expansion? Expand(CatalogSnapshot snapshot, string canonical) =>
        snapshot.BindingExpansions.GetOrAdd(canonical, static (c, state) => state.Checker.ExpandNow(state.Snapshot, c), (Checker: this, Snapshot: snapshot));

    private Expansion? ExpandNow(CatalogSnapshot snapshot, string canonical)
    {
        (string url, string? version) = Canonicals.Split(canonical);

        // Core bindings name the value set's business version (4.0.1); a held copy under the same URL is the one meant.
        if ((snapshot.FindValueSet(url, version) ?? snapshot.FindValueSet(url, null)) is not { } valueSet)
        {
            return null;
        }

        // Null over a code system this server does not hold, or when too large: it cannot decide, so it does not judge.
        return catalog.TryExpand(snapshot, valueSet);
    }
}

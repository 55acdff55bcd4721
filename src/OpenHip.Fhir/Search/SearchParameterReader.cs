using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Search.Indexing;

namespace OpenHip.Fhir.Search;

/// <summary>
/// Reads a SearchParameter resource into the parameters it defines (one per base type), with every reason it cannot be
/// used: unknown base or target types, a missing type or code, an expression that does not compile, a composite
/// component whose definition is not known.
/// </summary>
internal static partial class SearchParameterReader
{
    public static IReadOnlyList<FhirIssue> Read(SearchParameter resource, SearchParameterSet known, out IReadOnlyList<SearchParameterInfo> parameters)
    {
        parameters = [];
        List<FhirIssue> issues = [];
        string code = resource.Code ?? string.Empty;
        if (!CodePattern().IsMatch(code))
        {
            issues.Add(FhirIssue.Invalid($"SearchParameter.code '{resource.Code}' is not a usable parameter code (letters, digits, '-' and '_')", "SearchParameter.code"));
        }

        List<string> bases = TypeNames(resource.BaseElement, "SearchParameter.base", allowAbstract: true, issues);
        if (bases.Count == 0 && resource.BaseElement.Count == 0)
        {
            issues.Add(FhirIssue.Required("SearchParameter.base"));
        }

        List<string> targets = TypeNames(resource.TargetElement, "SearchParameter.target", allowAbstract: false, issues);
        if (resource.Type is not { } type)
        {
            issues.Add(FhirIssue.Required("SearchParameter.type"));
            return issues;
        }

        if (type != SearchParamType.Special)
        {
            CheckExpression(resource.Expression, "SearchParameter.expression", issues);
        }

        List<SearchParameterComponentInfo> components = [];
        if (type == SearchParamType.Composite)
        {
            ReadComponents(resource, known, components, issues);
        }

        if (issues.Count > 0)
        {
            return issues;
        }

        // A retired definition is kept as a resource but no longer indexed or searchable.
        if (resource.Status != PublicationStatus.Retired)
        {
            parameters = bases
                .Select(b => new SearchParameterInfo(b, code, type, resource.Expression, resource.Url ?? string.Empty, targets, components, resource.Description))
                .ToArray();
        }

        return issues;
    }

    private static void ReadComponents(SearchParameter resource, SearchParameterSet known, List<SearchParameterComponentInfo> components, List<FhirIssue> issues)
    {
        if (resource.Component.Count == 0)
        {
            issues.Add(FhirIssue.Required("SearchParameter.component"));
        }

        for (int i = 0; i < resource.Component.Count; i++)
        {
            SearchParameter.ComponentComponent component = resource.Component[i];
            string where = $"SearchParameter.component[{i}]";
            SearchParameterInfo? definition = component.Definition is null ? null : known.FindByUrl(component.Definition);
            if (definition is null || definition.Type is SearchParamType.Composite or SearchParamType.Special)
            {
                issues.Add(FhirIssue.Invalid(
                    $"{where}.definition '{component.Definition}' is not a known non-composite search parameter", $"{where}.definition"));
            }

            CheckExpression(component.Expression, $"{where}.expression", issues);
            components.Add(new SearchParameterComponentInfo(component.Definition ?? string.Empty, component.Expression ?? string.Empty));
        }
    }

    private static void CheckExpression(string? expression, string where, List<FhirIssue> issues)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            issues.Add(FhirIssue.Required(where));
            return;
        }

        try
        {
            CompiledPath.Compile(expression);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            issues.Add(FhirIssue.Invalid($"{where} does not compile as FHIRPath: {ex.Message}", where));
        }
    }

    /// <summary>The type codes as written; unknown ones (R5-only names parse into the shared enum) become issues.</summary>
    private static List<string> TypeNames<T>(List<Code<T>> codes, string where, bool allowAbstract, List<FhirIssue> issues)
        where T : struct, Enum
    {
        List<string> names = [];
        for (int i = 0; i < codes.Count; i++)
        {
            string? name = codes[i] is { } code ? PrimitiveText.Of(code) : null;
            bool known = name is not null && ModelInfo.IsKnownResource(name) && (allowAbstract || name is not ("Resource" or "DomainResource"));
            if (known)
            {
                names.Add(name!);
            }
            else
            {
                issues.Add(FhirIssue.Invalid($"{where}[{i}] '{name}' is not an R4 resource type", $"{where}[{i}]"));
            }
        }

        return names;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}

using System.Collections.Concurrent;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.FhirPath;
using Hl7.FhirPath.Expressions;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>
/// Search-parameter FHIRPath expressions compiled once and evaluated over one <see cref="PocoNode"/> per resource,
/// instead of re-wrapping the resource for every expression as <c>Base.Select</c> does.
/// </summary>
internal static class CompiledPath
{
    private static readonly FhirPathCompiler Compiler = new(new SymbolTable().AddStandardFP().AddFhirExtensions());

    private static readonly ConcurrentDictionary<string, CompiledExpression> Cache = new(StringComparer.Ordinal);

    public static CompiledExpression Compile(string expression) => Cache.GetOrAdd(expression, Compiler.Compile);

    /// <summary>Whether a union branch can select anything on <paramref name="type"/> (it starts with that type, a base type, or no type).</summary>
    public static bool AppliesTo(string branch, string type)
    {
        ReadOnlySpan<char> start = branch.AsSpan().TrimStart().TrimStart('(');
        int end = 0;
        while (end < start.Length && char.IsLetterOrDigit(start[end]))
        {
            end++;
        }

        ReadOnlySpan<char> head = start[..end];
        return !ModelInfo.IsKnownResource(head.ToString()) || head.SequenceEqual(type) || head is "Resource" or "DomainResource";
    }

    /// <summary>Top-level '|' branches; unions inside parentheses, function arguments or strings stay whole.</summary>
    public static IEnumerable<string> SplitUnion(string expression)
    {
        int depth = 0;
        int start = 0;
        bool quoted = false;
        for (int i = 0; i < expression.Length; i++)
        {
            char c = expression[i];
            if (c == '\'' && (i == 0 || expression[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && c == ')')
            {
                depth--;
            }
            else if (!quoted && depth == 0 && c == '|')
            {
                yield return expression[start..i].Trim();
                start = i + 1;
            }
        }

        yield return expression[start..].Trim();
    }

    public static PocoNode Root(Base element) => PocoNodeOrList.Root(element, element.TypeName);

    /// <summary>
    /// The POCO values the expression selects from <paramref name="focus"/> (%resource is <paramref name="resource"/>);
    /// expressions that need a resolver (resolve()) select nothing here.
    /// </summary>
    public static IEnumerable<Base> Evaluate(CompiledExpression expression, PocoNode focus, PocoNode resource)
    {
        var context = new FhirEvaluationContext { Resource = resource, RootResource = resource };
        List<Base> values = [];
        try
        {
            foreach (PocoNode node in expression(focus, context))
            {
                values.Add(node.Poco);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or InvalidCastException or FormatException or NotSupportedException)
        {
            // A stored SearchParameter's expression can fail on some data (a type error, a function on the wrong input);
            // that parameter then indexes nothing for the resource instead of failing the write.
            return [];
        }

        return values;
    }
}

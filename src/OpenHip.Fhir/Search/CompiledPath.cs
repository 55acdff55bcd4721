using System.Collections.Concurrent;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.FhirPath;
using Hl7.FhirPath.Expressions;

namespace OpenHip.Fhir.Search;

/// <summary>
/// Search-parameter FHIRPath expressions compiled once and evaluated over one <see cref="PocoNode"/> per resource,
/// instead of re-wrapping the resource for every expression as <c>Base.Select</c> does.
/// </summary>
internal static class CompiledPath
{
    private static readonly FhirPathCompiler Compiler = new(new SymbolTable().AddStandardFP().AddFhirExtensions());

    private static readonly ConcurrentDictionary<string, CompiledExpression> Cache = new(StringComparer.Ordinal);

    public static CompiledExpression Compile(string expression) => Cache.GetOrAdd(expression, Compiler.Compile);

    public static PocoNode Root(Resource resource) => PocoNodeOrList.Root(resource, resource.TypeName);

    /// <summary>The POCO values the expression selects; expressions that need a resolver (resolve()) select nothing here.</summary>
    public static IEnumerable<Base> Evaluate(CompiledExpression expression, PocoNode root)
    {
        var context = new FhirEvaluationContext { Resource = root, RootResource = root };
        List<Base> values = [];
        try
        {
            foreach (PocoNode node in expression(root, context))
            {
                values.Add(node.Poco);
            }
        }
        catch (InvalidOperationException)
        {
            return [];
        }

        return values;
    }
}

using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.FhirPath;
using Hl7.FhirPath.Expressions;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Patching;

/// <summary>
/// Reads a FHIRPath Patch <see cref="Parameters"/> resource and checks it fully (parts, types,
/// FHIRPath syntax) before anything is applied, so a malformed patch is always a 400.
/// </summary>
internal static class FhirPathPatchParser
{
    // Standard FHIRPath plus the FHIR functions (extension(), resolve(), ...), built explicitly so a
    // change to Firely's process-wide default symbol table cannot change what a patch path means.
    private static readonly FhirPathCompiler Compiler = new(new SymbolTable().AddStandardFP().AddFhirExtensions());

    private static readonly HashSet<string> KnownParts =
        new(["type", "path", "name", "value", "index", "source", "destination"], StringComparer.Ordinal);

    public static IReadOnlyList<FhirPathPatchOperation> Parse(Parameters patch)
    {
        var operations = new List<FhirPathPatchOperation>(patch.Parameter.Count);
        for (int i = 0; i < patch.Parameter.Count; i++)
        {
            operations.Add(ParseOperation(patch.Parameter[i], $"Parameters.parameter[{i}]"));
        }

        return operations;
    }

    private static FhirPathPatchOperation ParseOperation(Parameters.ParameterComponent parameter, string expression)
    {
        if (!string.Equals(parameter.Name, "operation", StringComparison.Ordinal))
        {
            throw FhirException.BadRequest($"FHIRPath Patch parameters must be named 'operation', not '{parameter.Name}'.", $"{expression}.name");
        }

        var parts = new Dictionary<string, Parameters.ParameterComponent>(StringComparer.Ordinal);
        foreach (Parameters.ParameterComponent part in parameter.Part)
        {
            string partName = part.Name ?? string.Empty;
            if (!KnownParts.Contains(partName))
            {
                throw FhirException.BadRequest($"Unknown FHIRPath Patch part '{partName}'.", $"{expression}.part");
            }

            if (!parts.TryAdd(partName, part))
            {
                throw FhirException.BadRequest($"FHIRPath Patch part '{partName}' appears more than once.", $"{expression}.part");
            }
        }

        string typeText = RequiredString(parts, "type", expression);
        FhirPathPatchOperationType type = typeText switch
        {
            "add" => FhirPathPatchOperationType.Add,
            "insert" => FhirPathPatchOperationType.Insert,
            "delete" => FhirPathPatchOperationType.Delete,
            "replace" => FhirPathPatchOperationType.Replace,
            "move" => FhirPathPatchOperationType.Move,
            _ => throw FhirException.BadRequest($"Unknown FHIRPath Patch operation type '{typeText}'.", PartExpression(expression, "type")),
        };

        string path = RequiredString(parts, "path", expression);
        Hl7.FhirPath.Expressions.Expression parsed = ParsePath(path, expression);
        CompiledExpression target = Compile(parsed, path, expression);

        CompiledExpression? container = null;
        string? listName = null;
        if (type is FhirPathPatchOperationType.Insert or FhirPathPatchOperationType.Move && parsed is ChildExpression child)
        {
            // "Patient.identifier" names the list itself, which may be empty; evaluate "Patient" and take
            // its identifier property, rather than the list's items.
            container = Compile(child.Focus, path, expression);
            listName = child.ChildName;
        }

        string? name = type == FhirPathPatchOperationType.Add ? RequiredString(parts, "name", expression) : null;

        Parameters.ParameterComponent? value = null;
        if (type is FhirPathPatchOperationType.Add or FhirPathPatchOperationType.Insert or FhirPathPatchOperationType.Replace)
        {
            value = RequiredValue(parts, expression);
        }

        int? index = type == FhirPathPatchOperationType.Insert ? RequiredIndex(parts, "index", expression) : null;
        int? source = type == FhirPathPatchOperationType.Move ? RequiredIndex(parts, "source", expression) : null;
        int? destination = type == FhirPathPatchOperationType.Move ? RequiredIndex(parts, "destination", expression) : null;

        return new FhirPathPatchOperation(type, path, target, container, listName, name, value, index, source, destination, expression);
    }

    private static Hl7.FhirPath.Expressions.Expression ParsePath(string path, string expression)
    {
        try
        {
            return Compiler.Parse(path);
        }
        catch (FormatException ex)
        {
            throw FhirException.BadRequest($"FHIRPath Patch path '{path}' is not valid FHIRPath: {ex.Message}", PartExpression(expression, "path"));
        }
    }

    private static CompiledExpression Compile(Hl7.FhirPath.Expressions.Expression parsed, string path, string expression)
    {
        try
        {
            return Compiler.Compile(parsed);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or NotSupportedException)
        {
            // Firely reports unknown functions and bad argument counts here, at compile time.
            throw FhirException.BadRequest($"FHIRPath Patch path '{path}' cannot be compiled: {ex.Message}", PartExpression(expression, "path"));
        }
    }

    private static string RequiredString(Dictionary<string, Parameters.ParameterComponent> parts, string name, string expression)
    {
        if (!parts.TryGetValue(name, out Parameters.ParameterComponent? part))
        {
            throw FhirException.BadRequest($"FHIRPath Patch operation requires part '{name}'.", $"{expression}.part");
        }

        // The spec types these as code or string; accept either spelling from clients.
        string? text = part.Value switch
        {
            Code code => code.Value,
            FhirString str => str.Value,
            _ => null,
        };
        return string.IsNullOrEmpty(text)
            ? throw FhirException.BadRequest($"FHIRPath Patch part '{name}' must have a string or code value.", PartExpression(expression, name))
            : text;
    }

    private static int RequiredIndex(Dictionary<string, Parameters.ParameterComponent> parts, string name, string expression)
    {
        if (!parts.TryGetValue(name, out Parameters.ParameterComponent? part))
        {
            throw FhirException.BadRequest($"FHIRPath Patch operation requires part '{name}'.", $"{expression}.part");
        }

        int? index = part.Value switch
        {
            Integer integer => integer.Value,
            UnsignedInt unsigned => unsigned.Value,
            PositiveInt positive => positive.Value,
            _ => null,
        };
        return index is >= 0
            ? index.Value
            : throw FhirException.BadRequest($"FHIRPath Patch part '{name}' must be a non-negative integer.", PartExpression(expression, name));
    }

    private static Parameters.ParameterComponent RequiredValue(Dictionary<string, Parameters.ParameterComponent> parts, string expression)
    {
        if (!parts.TryGetValue("value", out Parameters.ParameterComponent? part))
        {
            throw FhirException.BadRequest("FHIRPath Patch operation requires part 'value'.", $"{expression}.part");
        }

        int forms = (part.Value is null ? 0 : 1) + (part.Resource is null ? 0 : 1) + (part.Part.Count == 0 ? 0 : 1);
        return forms == 1
            ? part
            : throw FhirException.BadRequest("FHIRPath Patch 'value' must have exactly one of value[x], resource or parts.", PartExpression(expression, "value"));
    }

    private static string PartExpression(string expression, string name) =>
        $"{expression}.part.where(name = '{name}')";
}

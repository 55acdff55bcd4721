using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;

namespace OpenHip.Modules.Terminology.Features.Shared;

/// <summary>
/// An operation's inputs read the same way from a GET query and a POST Parameters body: simple values from either,
/// complex ones (Coding, CodeableConcept, resources) from the body only, as R4 allows.
/// </summary>
internal sealed class OperationInput(OperationRequest request)
{
    private readonly Parameters? _body = request.Body as Parameters;

    public OperationRequest Request => request;

    public string? String(string name)
    {
        if (_body?.Parameter.Find(p => p.Name == name) is { Value: { } value })
        {
            return value is PrimitiveType primitive ? primitive.ToString() : throw FhirException.BadRequest($"{name} must be a simple value", name);
        }

        return request.Query.TryGetValue(name, out string[]? values) && values.Length > 0 && values[0].Length > 0 ? values[0] : null;
    }

    public IReadOnlyList<string> Strings(string name)
    {
        List<string> found = [.. (_body?.Parameter ?? []).Where(p => p.Name == name).Select(p => (p.Value as PrimitiveType)?.ToString()).OfType<string>()];
        if (request.Query.TryGetValue(name, out string[]? values))
        {
            found.AddRange(values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        }

        return found;
    }

    public bool Bool(string name, bool fallback) => String(name) switch
    {
        null => fallback,
        "true" => true,
        "false" => false,
        _ => throw FhirException.BadRequest($"{name} must be true or false", name),
    };

    public int? Int(string name, int min)
    {
        string? text = String(name);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min
            ? value
            : throw FhirException.BadRequest($"{name} must be a whole number of at least {min}", name);
    }

    public Coding? Coding(string name) => _body?.Parameter.Find(p => p.Name == name)?.Value switch
    {
        null => null,
        Coding coding => coding,
        _ => throw FhirException.BadRequest($"{name} must be a Coding", name),
    };

    public CodeableConcept? CodeableConcept(string name) => _body?.Parameter.Find(p => p.Name == name)?.Value switch
    {
        null => null,
        CodeableConcept concept => concept,
        _ => throw FhirException.BadRequest($"{name} must be a CodeableConcept", name),
    };

    public T? Resource<T>(string name)
        where T : Resource => _body?.Parameter.Find(p => p.Name == name)?.Resource switch
        {
            null => null,
            T resource => resource,
            Resource other => throw FhirException.BadRequest($"{name} must be a {typeof(T).Name}, not a {other.TypeName}", name),
        };

    /// <summary>Refuses a call on a resource type the operation is not defined for.</summary>
    public void ExpectType(string operation, params string[] types)
    {
        if (request.Type is null || !types.Contains(request.Type, StringComparer.Ordinal))
        {
            throw FhirException.BadRequest($"${operation} is defined on {string.Join(" and ", types)}, not {request.Type ?? "the system"}");
        }
    }
}

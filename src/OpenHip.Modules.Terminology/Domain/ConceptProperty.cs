using Hl7.Fhir.Model;

namespace OpenHip.Modules.Terminology.Domain;

/// <summary>One property value of a concept, kept as its FHIR type so $lookup can return it as written.</summary>
internal sealed record ConceptProperty(string Code, DataType Value)
{
    /// <summary>The value as text for filters (<c>=</c>, <c>in</c>, <c>regex</c>): codes, strings, booleans, numbers.</summary>
    public string? Text => Value switch
    {
        Code code => code.Value,
        Coding coding => coding.Code,
        FhirString text => text.Value,
        FhirBoolean flag => flag.Value is { } b ? (b ? "true" : "false") : null,
        PrimitiveType primitive => primitive.ToString(),
        _ => null,
    };
}

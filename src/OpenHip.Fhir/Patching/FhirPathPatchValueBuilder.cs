using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Patching;

/// <summary>
/// Turns a FHIRPath Patch <c>value</c> part into a POCO that fits a given property: a typed
/// <c>value[x]</c>, a resource, or a complex value spelled out as nested parts (one per element,
/// nesting as deep as the parts go).
/// </summary>
internal static class FhirPathPatchValueBuilder
{
    /// <param name="part">The <c>value</c> part (or a nested part).</param>
    /// <param name="target">The property the value will be stored in.</param>
    /// <param name="path">The operation's path, for 422 errors.</param>
    public static Base Build(Parameters.ParameterComponent part, PropertyMapping target, string path)
    {
        if (part.Resource is not null)
        {
            return target.ImplementingType.IsInstanceOfType(part.Resource)
                ? (Base)part.Resource.DeepCopy()
                : throw Mismatch(target, part.Resource.TypeName, path);
        }

        if (part.Value is not null)
        {
            // Copy so the patch's own objects never end up shared with (or mutated through) the resource.
            return Coerce((DataType)part.Value.DeepCopy(), target, path);
        }

        if (part.Part.Count > 0)
        {
            return BuildComplex(part.Part, target, path);
        }

        throw FhirException.BadRequest($"FHIRPath Patch part '{part.Name}' has no value[x], resource or parts.");
    }

    private static Base Coerce(DataType value, PropertyMapping target, string path)
    {
        string valueType = PocoProperties.MappingOf(value.GetType()).Name;
        if (target.Choice == ChoiceType.DatatypeChoice)
        {
            return target.FhirType.Any(allowed => allowed.IsInstanceOfType(value))
                ? value
                : throw Mismatch(target, valueType, path);
        }

        if (target.ImplementingType.IsInstanceOfType(value))
        {
            return value;
        }

        // Bound codes are Code<TEnum> in the POCO but plain valueCode in a patch: same FHIR type, other CLR type.
        ClassMapping targetMapping = PocoProperties.MappingOf(target.ImplementingType);
        if (value is PrimitiveType primitive
            && targetMapping.IsCodeOfT
            && string.Equals(valueType, target.PropertyTypeMapping.Name, StringComparison.Ordinal))
        {
            if (primitive.JsonValue is string literal
                && targetMapping.EnumType is { } enumType
                && EnumUtility.ParseLiteral(literal, enumType) is null)
            {
                throw FhirException.Unprocessable($"'{literal}' is not a valid code for element '{target.Name}'.", path);
            }

            var converted = (PrimitiveType)targetMapping.CreateInstance();
            converted.JsonValue = primitive.JsonValue;
            converted.ElementId = primitive.ElementId;
            converted.Extension.AddRange(primitive.Extension);
            return converted;
        }

        throw Mismatch(target, valueType, path);
    }

    private static Base BuildComplex(List<Parameters.ParameterComponent> parts, PropertyMapping target, string path)
    {
        if (target.Choice != ChoiceType.None)
        {
            throw FhirException.Unprocessable($"Element '{target.Name}' is a choice; give its value as a typed value[x], not as parts.", path);
        }

        ClassMapping mapping = PocoProperties.MappingOf(target.ImplementingType);
        if (mapping.IsFhirPrimitive || mapping.IsAbstract == true)
        {
            throw FhirException.Unprocessable($"Element '{target.Name}' of type {mapping.Name} cannot be built from parts.", path);
        }

        Base instance = mapping.CreateInstance();
        foreach (Parameters.ParameterComponent part in parts)
        {
            if (string.IsNullOrEmpty(part.Name))
            {
                throw FhirException.BadRequest($"A part inside the value for '{target.Name}' has no name.");
            }

            PropertyMapping child = mapping.FindMappedElementByName(part.Name)
                ?? throw FhirException.Unprocessable($"Type {mapping.Name} has no element '{part.Name}'.", path);
            Base childValue = Build(part, child, path);
            if (child.IsCollection)
            {
                PocoProperties.List(instance, child).Add(childValue);
            }
            else if (PocoProperties.Get(instance, child) is not null)
            {
                throw FhirException.Unprocessable($"Element '{part.Name}' of {mapping.Name} does not repeat but is given more than once.", path);
            }
            else
            {
                PocoProperties.Set(instance, child, childValue);
            }
        }

        return instance;
    }

    private static FhirException Mismatch(PropertyMapping target, string valueType, string path)
    {
        string allowed = target.Choice == ChoiceType.DatatypeChoice
            ? string.Join(", ", target.FhirType.Select(t => PocoProperties.MappingOf(t).Name))
            : target.PropertyTypeMapping.Name;
        return FhirException.Unprocessable($"Element '{target.Name}' takes {allowed}, not {valueType}.", path);
    }
}

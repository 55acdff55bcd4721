using System.Collections;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Patching;

/// <summary>Reads and writes POCO elements through Firely's class mappings, by FHIR element name.</summary>
internal static class PocoProperties
{
    public static ClassMapping MappingOf(Type type) =>
        ModelInfo.ModelInspector.FindOrImportClassMapping(type)
        ?? throw new InvalidOperationException($"Type {type} is not a FHIR model type.");

    public static object? Get(Base owner, PropertyMapping property) => Native(property).GetValue(owner);

    public static void Set(Base owner, PropertyMapping property, Base? value) => Native(property).SetValue(owner, value);

    // Firely's generated getters create an empty list on first access, so a repeating element is never null.
    public static IList List(Base owner, PropertyMapping property) =>
        (IList)(Get(owner, property) ?? throw new InvalidOperationException($"Element '{property.Name}' returned no list."));

    private static System.Reflection.PropertyInfo Native(PropertyMapping property) =>
        property.NativeProperty ?? throw new InvalidOperationException($"Element '{property.Name}' has no CLR property.");
}

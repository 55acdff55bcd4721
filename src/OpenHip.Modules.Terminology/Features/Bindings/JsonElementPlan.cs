using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;

namespace OpenHip.Modules.Terminology.Features.Bindings;

/// <summary>One element of a model type, read once from Firely's <see cref="PropertyMapping"/> for the JSON walk.</summary>
internal sealed class JsonElementPlan(PropertyMapping property)
{
    public string Name { get; } = property.Name;

    /// <summary>The name in UTF-8: a member lookup by a .NET string transcodes it on every call, for every resource checked.</summary>
    public byte[] Utf8Name { get; } = System.Text.Encoding.UTF8.GetBytes(property.Name);

    public bool IsCollection { get; } = property.IsCollection;

    public ChoiceType Choice { get; } = property.Choice;

    public Type ImplementingType { get; } = property.ImplementingType;

    /// <summary>A primitive holds no coded children, so the walk never descends into it (a choice may or may not).</summary>
    public bool IsPrimitive { get; } = property.Choice == ChoiceType.None && typeof(PrimitiveType).IsAssignableFrom(property.ImplementingType);
}

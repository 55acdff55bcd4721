namespace OpenHip.Fhir.Search.Parsing;

/// <summary>
/// Where a search runs: one type (<c>Patient?</c>), the whole system (<c>?_type=</c>, or every type when absent), or a
/// patient's compartment (<c>Patient/123/Observation</c>, or <c>Patient/123/*</c> with <see cref="Type"/> null).
/// </summary>
/// <param name="Type">The resource type; null at system level or for every type of a compartment.</param>
public sealed record SearchScope(string? Type, string? CompartmentType = null, string? CompartmentId = null)
{
    public static SearchScope System { get; } = new(Type: null);

    public static SearchScope ForType(string type) => new(type);

    /// <param name="type">A type in the compartment, or null / <c>*</c> for all of them.</param>
    public static SearchScope ForCompartment(string compartmentType, string compartmentId, string? type) =>
        new(type is null or "*" ? null : type, compartmentType, compartmentId);
}

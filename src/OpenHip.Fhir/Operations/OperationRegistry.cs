using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Operations;

/// <summary>Dispatch of $operations by name and level; the CapabilityStatement lists what is registered here.</summary>
public sealed class OperationRegistry(IEnumerable<IFhirOperation> operations)
{
    private readonly Dictionary<string, IFhirOperation> _byName = operations.ToDictionary(o => o.Name, StringComparer.Ordinal);

    public IEnumerable<IFhirOperation> All => _byName.Values.OrderBy(o => o.Name, StringComparer.Ordinal);

    public IFhirOperation Find(string name, OperationLevel level)
    {
        if (!_byName.TryGetValue(name, out IFhirOperation? operation))
        {
            throw FhirException.NotFound($"Operation ${name} is not supported");
        }

        return (operation.Levels & level) != 0
            ? operation
            : throw FhirException.BadRequest($"Operation ${name} cannot be invoked at {level.ToString().ToLowerInvariant()} level");
    }
}

using Hl7.Fhir.Model;
using OpenHip.Fhir.Access;

namespace OpenHip.Fhir.Operations;

/// <summary>An operation ($validate, $match, $expand, ...). Modules register theirs; the engine dispatches and advertises them.</summary>
public interface IFhirOperation
{
    /// <summary>The name without the '$'.</summary>
    string Name { get; }

    OperationLevel Levels { get; }

    /// <summary>Canonical URL of the OperationDefinition, for the CapabilityStatement.</summary>
    string Definition { get; }

    /// <summary>True when the operation changes nothing, so GET may invoke it.</summary>
    bool IsIdempotent { get; }

    /// <summary>What the operation reads or changes; the dispatcher refuses (403) callers whose policy does not cover it.</summary>
    OperationAccess Access => OperationAccess.Unrestricted;

    Task<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken);
}

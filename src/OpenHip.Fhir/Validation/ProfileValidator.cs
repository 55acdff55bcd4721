using System.Collections.Concurrent;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Hl7.Fhir.Support;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Validation;

/// <summary>
/// Validates resources against the FHIR R4 core StructureDefinitions (cardinality, types, fixed/pattern values,
/// invariants, required bindings the core terminology can decide) and against any <c>meta.profile</c> the core
/// specification contains. Works offline: definitions come from Firely's specification.zip, terminology only from
/// the code systems and value sets inside it, and references are never fetched.
/// </summary>
/// <remarks>
/// Use <see cref="Shared"/>: the validator compiles and caches one schema per StructureDefinition it meets, so a
/// single instance is meant to serve every request (Firely's validator and resolvers are thread-safe). The first
/// validation pays for unpacking and indexing the specification (seconds); call <see cref="WarmUp"/> at start-up
/// to move that cost out of the first request.
/// </remarks>
public sealed class ProfileValidator
{
    private static readonly Lazy<ProfileValidator> SharedInstance =
        new(() => new ProfileValidator(ZipSource.CreateValidationSource()), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Validator _validator;

    // Firely builds and caches a type's schema on its first validation; two threads doing that at once can cache a
    // schema without its constraints, and every later validation of the type then passes. First uses are serialised.
    private readonly ConcurrentDictionary<string, bool> _warmTypes = new(StringComparer.Ordinal);
    private readonly Lock _firstUse = new();

    internal ProfileValidator(IAsyncResourceResolver specification)
    {
        ArgumentNullException.ThrowIfNull(specification);

        // Firely's recommended stack: snapshots generated on demand for profiles that lack one, and every
        // resolved artifact cached so each definition is read from the zip once.
        var resolver = new CachedResolver(new SnapshotSource(new CachedResolver(specification)));

        // Code systems and value sets from the specification only: no terminology server, no network.
        ICodeValidationTerminologyService terminology = LocalTerminologyService.CreateDefaultForCore(resolver);

        var settings = new ValidationSettings
        {
            // A meta.profile we do not hold is not the client's error; say so, but do not fail the resource.
            TransformIssues = issue => issue.IssueNumber == Issue.UNAVAILABLE_REFERENCED_PROFILE.Code
                ? issue.WithSeverity(OperationOutcome.IssueSeverity.Warning)
                : issue,
        };

        _validator = new Validator(resolver, terminology, null, settings);
    }

    /// <summary>The process-wide validator over the core specification, built on first use.</summary>
    public static ProfileValidator Shared => SharedInstance.Value;

    /// <summary>Validates against the resource's core profile and every resolvable <c>meta.profile</c>.</summary>
    public ProfileValidationResult Validate(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);

        string key = resource.Meta?.Profile.Any() == true ? $"{resource.TypeName}|{string.Join('|', resource.Meta.Profile)}" : resource.TypeName;
        if (_warmTypes.ContainsKey(key))
        {
            return Run(resource);
        }

        lock (_firstUse)
        {
            ProfileValidationResult result = Run(resource);
            _warmTypes[key] = true;
            return result;
        }
    }

    private ProfileValidationResult Run(Resource resource)
    {
        OperationOutcome outcome = _validator.Validate(resource);
        return new ProfileValidationResult(ValidationIssueMapper.Map(outcome));
    }

    /// <summary>
    /// Loads the specification and compiles the schemas shared by most resources (and Observation's, the costliest
    /// of the common ones) so the first request does not wait; takes seconds, call it off the request path.
    /// </summary>
    public void WarmUp()
    {
        Validate(new Patient { Active = true });
        Validate(new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept { Text = "warm-up" } });
    }
}

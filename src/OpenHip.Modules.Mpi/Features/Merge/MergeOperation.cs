using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Mpi.Features.Merge;

/// <summary>
/// <c>Patient/$merge</c> in the shape of the R5 operation: <c>source-patient</c> or <c>source-patient-identifier</c>,
/// <c>target-patient</c> or <c>target-patient-identifier</c>, optional <c>result-patient</c> and <c>preview</c>.
/// Answers a Parameters with <c>input</c>, <c>outcome</c>, <c>result</c> (the target as merged) and, as an OpenHIP
/// addition, <c>provenance</c>: the merge record that <c>Patient/$unmerge</c> takes to undo it.
/// </summary>
internal sealed class MergeOperation(IFhirStore store, PatientMerger merger, ILogger<MergeOperation> logger) : IFhirOperation
{
    public string Name => "merge";

    public OperationLevel Levels => OperationLevel.Type;

    public string Definition => "http://hl7.org/fhir/OperationDefinition/Patient-merge";

    public bool IsIdempotent => false;

    public OperationAccess Access { get; } = new(["Patient", "Person"], AccessRights.Read | AccessRights.Update);

    public async Task<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Type != "Patient")
        {
            throw FhirException.BadRequest($"$merge is defined on Patient, not {request.Type}");
        }

        if (request.Body is not Parameters input)
        {
            throw FhirException.BadRequest("$merge takes a Parameters resource");
        }

        string source = await ResolveAsync(input, "source-patient", cancellationToken).ConfigureAwait(false);
        string target = await ResolveAsync(input, "target-patient", cancellationToken).ConfigureAwait(false);
        Resource? result = input.GetSingle("result-patient")?.Resource;
        if (result is not null and not Patient)
        {
            throw FhirException.BadRequest($"result-patient is a {result.TypeName}; it must be a Patient", "result-patient");
        }

        bool preview = input.GetSingleValue<FhirBoolean>("preview")?.Value ?? false;
        PatientMerger.MergeResult merged = await merger.MergeAsync(source, target, result as Patient, preview, request.Context, cancellationToken).ConfigureAwait(false);
        var output = new Parameters();
        output.Add("input", input);
        output.Add("outcome", new OperationOutcome
        {
            Issue = [new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Information,
                Code = OperationOutcome.IssueType.Informational,
                Diagnostics = preview ? "Preview only: nothing was written" : $"Patient/{source} was merged into Patient/{target}",
            }],
        });
        output.Add("result", merged.Target);
        if (merged.ProvenanceId is not null)
        {
            output.Add("provenance", new ResourceReference($"Provenance/{merged.ProvenanceId}"));
            MpiLog.Merged(logger, target, merged.ProvenanceId);
        }

        return new OperationResult(200, output);
    }

    /// <summary>The Patient id named by <c>{name}</c> (a reference) or <c>{name}-identifier</c> (exactly one Patient carries it).</summary>
    private async Task<string> ResolveAsync(Parameters input, string name, CancellationToken ct)
    {
        if (input.GetSingle(name)?.Value is ResourceReference { Reference: { } reference })
        {
            return reference.StartsWith("Patient/", StringComparison.Ordinal) && reference.Length > "Patient/".Length && !reference[8..].Contains('/', StringComparison.Ordinal)
                ? reference[8..]
                : throw FhirException.BadRequest($"{name} must reference a Patient as Patient/id", name);
        }

        List<Identifier> identifiers = [.. input.Parameter.Where(p => p.Name == name + "-identifier").Select(p => p.Value).OfType<Identifier>()];
        if (identifiers.Count == 0)
        {
            throw new FhirException(FhirErrorKind.BadRequest, FhirIssue.Required(name));
        }

        var clauses = identifiers.Select(i => new TokenClause("identifier", [new TokenValue(i.System, i.Value)])).ToList();
        IReadOnlyList<string> found = await store.FindByTokensAsync(new TokenQuery("Patient", clauses, 2), ct).ConfigureAwait(false);
        return found.Count switch
        {
            1 => found[0],
            0 => throw new FhirException(FhirErrorKind.NotFound, new FhirIssue(OperationOutcome.IssueType.NotFound, $"No Patient carries {name}-identifier", name + "-identifier")),
            _ => throw FhirException.Unprocessable($"Several Patients carry {name}-identifier; name the Patient by reference", name + "-identifier"),
        };
    }
}

using Hl7.Fhir.Model;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Resources;
using OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

namespace OpenHip.Modules.Surveillance.Features.Definitions;

/// <summary>
/// <c>POST [base]/$surveillance-case-definitions</c> with a <c>definitions</c> parameter (the JSON of a definitions
/// file) installs those definitions for the whole deployment: checked first (malformed JSON, unknown fields, missing
/// criteria, bad or duplicate ids, unknown value sets answer 400 and change nothing), then written as
/// <c>Library/surveillance-case-definitions</c>. They apply to records detected from then on; cases already counted stay.
/// </summary>
internal sealed class CaseDefinitionsOperation(ResourceService resources, Func<IReadOnlyList<CaseDefinition>, EvidenceMatcher> compile) : IFhirOperation
{
    public string Name => "surveillance-case-definitions";

    public OperationLevel Levels => OperationLevel.System;

    public string Definition => "http://openhip.org/fhir/OperationDefinition/surveillance-case-definitions";

    public bool IsIdempotent => false;

    public OperationAccess Access { get; } = new(["Library"], AccessRights.Create | AccessRights.Update);

    public async Task<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string[] texts = request.Body is Parameters body
            ? [.. body.Parameter.Where(p => p.Name == "definitions").Select(p => (p.Value as FhirString)?.Value ?? string.Empty)]
            : [];
        if (texts is not [{ Length: > 0 } json] || request.Body is Parameters other && other.Parameter.Any(p => p.Name != "definitions"))
        {
            throw FhirException.BadRequest("POST a Parameters resource with exactly one 'definitions' parameter (valueString: the JSON of a case definitions file) and nothing else", "definitions");
        }

        IReadOnlyList<CaseDefinition> definitions;
        try
        {
            definitions = CaseDefinitionJson.Parse(json);
            compile(definitions);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw FhirException.BadRequest($"Case definitions refused: {ex.Message}", "definitions");
        }

        InteractionResult written = await resources.UpdateAsync("Library", CaseDefinitionLibrary.Id, CaseDefinitionLibrary.Create(json), null, request.Context, cancellationToken).ConfigureAwait(false);
        var result = new Parameters();
        result.Add("library", new ResourceReference($"Library/{CaseDefinitionLibrary.Id}/_history/{written.Resource!.VersionId}"));
        result.Add("count", new Integer(definitions.Count));
        foreach (CaseDefinition definition in definitions)
        {
            result.Add("definition", new Code(definition.Id));
        }

        return new OperationResult(200, result);
    }
}

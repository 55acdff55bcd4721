using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using OpenHip.Modules.Terminology.Catalog;
using OpenHip.Modules.Terminology.Domain;
using OpenHip.Modules.Terminology.Features.Shared;

namespace OpenHip.Modules.Terminology.Features.Subsumes;

/// <summary>
/// <c>CodeSystem/$subsumes</c> (R4 CodeSystem-subsumes): <c>codeA</c>/<c>codeB</c> with <c>system</c> (+ <c>version</c>),
/// or <c>codingA</c>/<c>codingB</c>. Answers <c>outcome</c>: equivalent, subsumes (A is an ancestor of B),
/// subsumed-by or not-subsumed, from the compiled is-a closure.
/// </summary>
internal sealed class SubsumesOperation(TerminologyCatalog catalog) : TerminologyOperation("subsumes", "http://hl7.org/fhir/OperationDefinition/CodeSystem-subsumes")
{
    protected override Resource Execute(OperationInput input)
    {
        OperationRequest request = input.Request;
        input.ExpectType(Name, TerminologyTypes.CodeSystem);
        Coding? codingA = input.Coding("codingA");
        Coding? codingB = input.Coding("codingB");
        string? url = input.String("system") ?? codingA?.System ?? codingB?.System;
        CompiledCodeSystem system = CatalogLookup.CodeSystem(catalog.Current, request.Id, url, input.String("version"));
        Concept a = Concept(system, input.String("codeA") ?? codingA?.Code, codingA?.System, "codeA");
        Concept b = Concept(system, input.String("codeB") ?? codingB?.Code, codingB?.System, "codeB");

        string outcome = a.Index == b.Index ? "equivalent"
            : system.IsProperAncestor(a, b) ? "subsumes"
            : system.IsProperAncestor(b, a) ? "subsumed-by"
            : "not-subsumed";
        var output = new Parameters();
        output.Add("outcome", new Code(outcome));
        return output;
    }

    private static Concept Concept(CompiledCodeSystem system, string? code, string? codingSystem, string name)
    {
        if (code is null)
        {
            throw new FhirException(FhirErrorKind.BadRequest, FhirIssue.Required(name));
        }

        if (codingSystem is not null && codingSystem != system.Url)
        {
            throw FhirException.BadRequest($"{name} is from '{codingSystem}', not CodeSystem '{system.Url}'", name);
        }

        return system.Find(code) ?? throw FhirException.NotFound($"Code '{code}' ({name}) is not in CodeSystem '{system.Url}'");
    }
}

using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using OpenHip.Modules.Terminology.Catalog;
using OpenHip.Modules.Terminology.Domain;
using OpenHip.Modules.Terminology.Features.Shared;

namespace OpenHip.Modules.Terminology.Features.ValidateCode;

/// <summary>
/// <c>$validate-code</c> on CodeSystem (R4 CodeSystem-validate-code: <c>url</c>, <c>version</c>) and on ValueSet (R4
/// ValueSet-validate-code: <c>url</c>, <c>valueSetVersion</c>, <c>valueSet</c>, <c>systemVersion</c>), both taking
/// <c>code</c> + <c>system</c>, <c>coding</c> or <c>codeableConcept</c> (valid when any coding is), <c>display</c>,
/// <c>displayLanguage</c> and <c>activeOnly</c>. A code that is not valid is a 200 with <c>result</c> false and a
/// message; an unknown code system or value set is a 404.
/// </summary>
internal sealed class ValidateCodeOperation(TerminologyCatalog catalog) : TerminologyOperation("validate-code", "http://hl7.org/fhir/OperationDefinition/ValueSet-validate-code")
{
    protected override Resource Execute(OperationInput input)
    {
        OperationRequest request = input.Request;
        input.ExpectType(Name, TerminologyTypes.CodeSystem, TerminologyTypes.ValueSet);
        CatalogSnapshot snapshot = catalog.Current;
        List<Coding> codings = Codings(input);
        string? display = input.String("display");
        string? language = input.String("displayLanguage");
        bool activeOnly = input.Bool("activeOnly", false);

        Func<Coding, CodeCheck> check;
        if (request.Type == TerminologyTypes.CodeSystem)
        {
            CompiledCodeSystem system = CatalogLookup.CodeSystem(snapshot, request.Id, input.String("url") ?? input.String("system") ?? codings[0].System, input.String("version"));
            check = c => c.System is not null && c.System != system.Url
                ? new CodeCheck(false, $"System '{c.System}' is not CodeSystem '{system.Url}'", null)
                : CodeChecker.Check(system, c.Code!, c.Display ?? display, activeOnly, language);
        }
        else
        {
            ValueSet valueSet = input.Resource<ValueSet>("valueSet")
                ?? CatalogLookup.ValueSet(snapshot, request.Id, input.String("url"), input.String("valueSetVersion"));
            Expansion expansion = catalog.Expand(snapshot, valueSet);
            check = c => InValueSet(snapshot, expansion, valueSet, c, c.Display ?? display, activeOnly, language);
        }

        CodeCheck[] results = [.. codings.Select(check)];
        CodeCheck answer = Array.Find(results, r => r.Result) ?? results[0];
        var output = new Parameters();
        output.Add("result", new FhirBoolean(answer.Result));
        if (answer.Message is not null)
        {
            output.Add("message", new FhirString(answer.Message));
        }

        if (answer.Display is not null)
        {
            output.Add("display", new FhirString(answer.Display));
        }

        return output;
    }

    private static List<Coding> Codings(OperationInput input)
    {
        if (input.CodeableConcept("codeableConcept") is { } concept)
        {
            List<Coding> codings = [.. concept.Coding.Where(c => c.Code is not null)];
            return codings.Count > 0 ? codings : throw FhirException.BadRequest("codeableConcept has no coding with a code", "codeableConcept");
        }

        if (input.Coding("coding") is { Code: not null } coding)
        {
            return [coding];
        }

        string code = input.String("code") ?? throw new FhirException(FhirErrorKind.BadRequest, FhirIssue.Required("code"));
        return [new Coding(input.String("system"), code) { Version = input.String("systemVersion") }];
    }

    private static CodeCheck InValueSet(CatalogSnapshot snapshot, Expansion expansion, ValueSet valueSet, Coding coding, string? display, bool activeOnly, string? language)
    {
        CompiledCodeSystem? system = coding.System is null ? null : snapshot.FindCodeSystem(coding.System, null);
        if (coding.System is not null && coding.Version is not null && system is not null && snapshot.FindCodeSystem(coding.System, coding.Version) is null)
        {
            return new CodeCheck(false, $"CodeSystem '{coding.System}' version '{coding.Version}' is not known; this server has version '{system.Version}'", null);
        }

        // Codes of a case-insensitive system are stored as the system writes them.
        string code = coding.Code!;
        code = system?.Find(code)?.Code ?? code;
        ExpansionEntry? entry = coding.System is null ? expansion.FindCode(code).FirstOrDefault() : expansion.Find(coding.System, code);
        if (entry is null && coding.System is not null && expansion.Contains(coding.System, code))
        {
            // A grammar-based system (media types, languages, UCUM): well-formed is a member.
            return new CodeCheck(true, null, null);
        }

        if (entry is null)
        {
            string where = coding.System is null ? $"'{code}'" : $"'{coding.System}|{code}'";
            return new CodeCheck(false, $"The code {where} is not in ValueSet '{valueSet.Url ?? valueSet.Id}'", null);
        }

        return CodeChecker.Check(entry.Code, entry.DisplayIn(language), entry.Concept, entry.Inactive, display, activeOnly);
    }
}

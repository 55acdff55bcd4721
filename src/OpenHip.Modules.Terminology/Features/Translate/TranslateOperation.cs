using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using OpenHip.Modules.Terminology.Catalog;
using OpenHip.Modules.Terminology.Domain;
using OpenHip.Modules.Terminology.Features.Shared;

namespace OpenHip.Modules.Terminology.Features.Translate;

/// <summary>
/// <c>ConceptMap/$translate</c> (R4 ConceptMap-translate): <c>code</c> + <c>system</c> (+ <c>version</c>), <c>coding</c>
/// or <c>codeableConcept</c>; the map by instance, <c>url</c> (+ <c>conceptMapVersion</c>), or at type level every map
/// matching <c>source</c>/<c>target</c> value sets and <c>targetsystem</c>; <c>reverse</c> maps target codes back to
/// source codes. Answers <c>result</c>, a <c>message</c> when nothing matched, and one <c>match</c> per target with
/// its <c>equivalence</c>, <c>concept</c> and <c>source</c> map.
/// </summary>
internal sealed class TranslateOperation(TerminologyCatalog catalog) : TerminologyOperation("translate", "http://hl7.org/fhir/OperationDefinition/ConceptMap-translate")
{
    protected override Resource Execute(OperationInput input)
    {
        OperationRequest request = input.Request;
        input.ExpectType(Name, TerminologyTypes.ConceptMap);
        CatalogSnapshot snapshot = catalog.Current;
        List<Coding> codings = input.CodeableConcept("codeableConcept")?.Coding.Where(c => c.Code is not null).ToList()
            ?? (input.Coding("coding") is { Code: not null } given ? [given] : []);
        if (codings.Count == 0)
        {
            string code = input.String("code") ?? throw new FhirException(FhirErrorKind.BadRequest, FhirIssue.Required("code"));
            codings.Add(new Coding(input.String("system"), code));
        }

        bool reverse = input.Bool("reverse", false);
        string? targetSystem = input.String("targetsystem");
        List<ConceptMap> maps = Maps(snapshot, input);

        var matches = new List<TranslationMatch>();
        foreach (ConceptMap map in maps)
        {
            foreach (Coding coding in codings)
            {
                matches.AddRange(ConceptMapTranslator.Translate(map, coding.System, coding.Code!, targetSystem, reverse));
            }
        }

        var output = new Parameters();
        output.Add("result", new FhirBoolean(matches.Exists(m => m.Equivalence is not ("unmatched" or "disjoint"))));
        if (matches.Count == 0)
        {
            output.Add("message", new FhirString($"No mapping found for {string.Join(", ", codings.Select(c => $"'{c.System}|{c.Code}'"))}"));
        }

        foreach (TranslationMatch match in matches)
        {
            output.Parameter.Add(new Parameters.ParameterComponent
            {
                Name = "match",
                Part =
                [
                    new() { Name = "equivalence", Value = new Code(match.Equivalence) },
                    new() { Name = "concept", Value = new Coding(match.System, match.Code, match.Display) { Version = match.Version } },
                    new() { Name = "source", Value = new FhirUri(match.Source) },
                ],
            });
        }

        return output;
    }

    private static List<ConceptMap> Maps(CatalogSnapshot snapshot, OperationInput input)
    {
        string? url = input.String("url");
        if (input.Request.Id is not null || url is not null)
        {
            return [CatalogLookup.ConceptMap(snapshot, input.Request.Id, url, input.String("conceptMapVersion"))];
        }

        string? source = input.String("source");
        string? target = input.String("target");
        bool reverse = input.Bool("reverse", false);
        List<ConceptMap> maps = [.. snapshot.OfType(TerminologyTypes.ConceptMap).Select(e => (ConceptMap)e.Resource).Where(m =>
            (source is null || Canonical(reverse ? m.Target : m.Source) == source)
            && (target is null || Canonical(reverse ? m.Source : m.Target) == target))];
        return maps.Count > 0 || (source is null && target is null)
            ? maps
            : throw FhirException.NotFound($"No ConceptMap maps from '{source ?? "any"}' to '{target ?? "any"}'");
    }

    private static string? Canonical(DataType? scope) => scope switch
    {
        Canonical canonical => canonical.Value,
        FhirUri uri => uri.Value,
        _ => null,
    };
}

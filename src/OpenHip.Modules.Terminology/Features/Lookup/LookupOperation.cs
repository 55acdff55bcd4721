using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using OpenHip.Modules.Terminology.Catalog;
using OpenHip.Modules.Terminology.Domain;
using OpenHip.Modules.Terminology.Features.Shared;

namespace OpenHip.Modules.Terminology.Features.Lookup;

/// <summary>
/// <c>CodeSystem/$lookup</c> (R4 CodeSystem-lookup): <c>code</c> + <c>system</c> (+ <c>version</c>) or <c>coding</c>,
/// <c>displayLanguage</c>, <c>property</c> (repeating; none asks for all). Answers name, version, display, designations
/// and properties, including <c>parent</c> and <c>child</c> from the hierarchy and <c>inactive</c>.
/// </summary>
internal sealed class LookupOperation(TerminologyCatalog catalog) : TerminologyOperation("lookup", "http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup")
{
    protected override Resource Execute(OperationInput input)
    {
        OperationRequest request = input.Request;
        input.ExpectType(Name, TerminologyTypes.CodeSystem);
        Coding? coding = input.Coding("coding");
        string code = input.String("code") ?? coding?.Code ?? throw new FhirException(FhirErrorKind.BadRequest, FhirIssue.Required("code"));
        CompiledCodeSystem system = CatalogLookup.CodeSystem(catalog.Current, request.Id, input.String("system") ?? coding?.System, input.String("version") ?? coding?.Version);
        Concept concept = system.Find(code) ?? throw FhirException.NotFound($"Code '{code}' is not in CodeSystem '{system.Url}'");
        string? language = input.String("displayLanguage");
        IReadOnlyList<string> wanted = input.Strings("property");
        bool All(string property) => wanted.Count == 0 || wanted.Contains(property, StringComparer.Ordinal);

        var result = new Parameters();
        result.Add("name", new FhirString(system.Header.Name ?? system.Header.Title ?? system.Url));
        if (system.Version is not null)
        {
            result.Add("version", new FhirString(system.Version));
        }

        if (concept.DisplayIn(language) is { } display)
        {
            result.Add("display", new FhirString(display));
        }

        if (concept.Definition is not null && All("definition"))
        {
            result.Add("definition", new FhirString(concept.Definition));
        }

        if (All("designation"))
        {
            foreach (Designation designation in concept.Designations)
            {
                var parts = new List<Parameters.ParameterComponent>();
                if (designation.Language is not null)
                {
                    parts.Add(new Parameters.ParameterComponent { Name = "language", Value = new Code(designation.Language) });
                }

                if (designation.UseCode is not null)
                {
                    parts.Add(new Parameters.ParameterComponent { Name = "use", Value = new Coding(designation.UseSystem, designation.UseCode) });
                }

                parts.Add(new Parameters.ParameterComponent { Name = "value", Value = new FhirString(designation.Value) });
                result.Parameter.Add(new Parameters.ParameterComponent { Name = "designation", Part = parts });
            }
        }

        foreach (ConceptProperty property in concept.Properties.Where(p => p.Code is not ("parent" or "child") && All(p.Code)))
        {
            AddProperty(result, property.Code, property.Value, null);
        }

        if (All("inactive"))
        {
            AddProperty(result, "inactive", new FhirBoolean(!concept.Active), null);
        }

        foreach ((string relation, List<int> related) in new[] { ("parent", concept.Parents), ("child", concept.Children) })
        {
            if (!All(relation))
            {
                continue;
            }

            foreach (int index in related)
            {
                Concept other = system.Concepts[index];
                AddProperty(result, relation, new Code(other.Code), other.DisplayIn(language));
            }
        }

        return result;
    }

    private static void AddProperty(Parameters result, string code, DataType value, string? description)
    {
        var parts = new List<Parameters.ParameterComponent>
        {
            new() { Name = "code", Value = new Code(code) },
            new() { Name = "value", Value = value },
        };
        if (description is not null)
        {
            parts.Add(new Parameters.ParameterComponent { Name = "description", Value = new FhirString(description) });
        }

        result.Parameter.Add(new Parameters.ParameterComponent { Name = "property", Part = parts });
    }
}

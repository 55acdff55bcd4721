using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;

namespace OpenHip.Modules.Terminology.Domain;

/// <summary>
/// Compiles a CodeSystem resource: nested concepts and <c>parent</c>/<c>child</c> properties both form the hierarchy.
/// Content that cannot be compiled (a code twice, a parent that does not exist, a cycle) is refused with a 422 naming
/// the element, so a broken hierarchy never reaches the store.
/// </summary>
internal static class CodeSystemCompiler
{
    public static CompiledCodeSystem Compile(CodeSystem resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (string.IsNullOrEmpty(resource.Url))
        {
            throw FhirException.Unprocessable("A CodeSystem needs a url to be used for terminology", "CodeSystem.url");
        }

        var header = new CodeSystemHeader(
            resource.Url,
            resource.Version,
            resource.Name,
            resource.Title,
            resource.Language,
            resource.CaseSensitive ?? true,
            resource.Content?.ToString().ToLowerInvariant() ?? "complete",
            resource.Id);

        var concepts = new List<Concept>();
        var byCode = new Dictionary<string, int>(header.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        var pending = new List<(int Concept, string Related, bool IsChild, string Path)>();
        AddConcepts(resource.Concept, null, "CodeSystem.concept", concepts, byCode, pending);

        foreach ((int concept, string related, bool isChild, string path) in pending)
        {
            if (!byCode.TryGetValue(related, out int other))
            {
                string role = isChild ? "child" : "parent";
                throw FhirException.Unprocessable($"Concept '{concepts[concept].Code}' names {role} '{related}', which is not in the code system", path);
            }

            if (isChild)
            {
                Link(concepts, concept, other);
            }
            else
            {
                Link(concepts, other, concept);
            }
        }

        IReadOnlyList<int> order = TopologicalOrder(concepts);
        return new CompiledCodeSystem(header, concepts, order);
    }

    private static void AddConcepts(
        List<CodeSystem.ConceptDefinitionComponent> components,
        int? parent,
        string path,
        List<Concept> concepts,
        Dictionary<string, int> byCode,
        List<(int, string, bool, string)> pending)
    {
        for (int i = 0; i < components.Count; i++)
        {
            CodeSystem.ConceptDefinitionComponent component = components[i];
            string at = $"{path}[{i}]";
            if (string.IsNullOrEmpty(component.Code))
            {
                throw FhirException.Unprocessable("A concept needs a code", at + ".code");
            }

            if (byCode.ContainsKey(component.Code))
            {
                throw FhirException.Unprocessable($"The code '{component.Code}' appears more than once", at + ".code");
            }

            var concept = new Concept(concepts.Count, component.Code, component.Display, component.Definition, IsActive(component));
            concepts.Add(concept);
            byCode[component.Code] = concept.Index;
            foreach (CodeSystem.DesignationComponent designation in component.Designation)
            {
                if (!string.IsNullOrEmpty(designation.Value))
                {
                    concept.Designations.Add(new Designation(designation.Language, designation.Use?.System, designation.Use?.Code, designation.Value));
                }
            }

            for (int p = 0; p < component.Property.Count; p++)
            {
                CodeSystem.ConceptPropertyComponent property = component.Property[p];
                if (property.Code is null || property.Value is null)
                {
                    continue;
                }

                concept.Properties.Add(new ConceptProperty(property.Code, property.Value));
                if (property.Code is "parent" or "child" && property.Value is Code { Value: { } related })
                {
                    // Resolved once every concept is known: a parent may be listed after its child.
                    pending.Add((concept.Index, related, property.Code == "child", $"{at}.property[{p}]"));
                }
            }

            concept.SearchText = SearchText.Fold(string.Join('\n', concept.Designations.Select(d => d.Value).Prepend(component.Display ?? string.Empty)));
            if (parent is int enclosing)
            {
                Link(concepts, enclosing, concept.Index);
            }

            AddConcepts(component.Concept, concept.Index, at + ".concept", concepts, byCode, pending);
        }
    }

    private static void Link(List<Concept> concepts, int parent, int child)
    {
        if (!concepts[child].Parents.Contains(parent))
        {
            concepts[child].Parents.Add(parent);
            concepts[parent].Children.Add(child);
        }
    }

    /// <summary>Parents before children (Kahn); what is left over lies on a cycle, which is refused.</summary>
    private static List<int> TopologicalOrder(List<Concept> concepts)
    {
        int[] waiting = [.. concepts.Select(c => c.Parents.Count)];
        var ready = new Queue<int>(concepts.Where(c => c.Parents.Count == 0).Select(c => c.Index));
        var order = new List<int>(concepts.Count);
        while (ready.TryDequeue(out int index))
        {
            order.Add(index);
            foreach (int child in concepts[index].Children)
            {
                if (--waiting[child] == 0)
                {
                    ready.Enqueue(child);
                }
            }
        }

        if (order.Count < concepts.Count)
        {
            string[] onCycle = [.. concepts.Where(c => waiting[c.Index] > 0).Take(5).Select(c => c.Code)];
            throw FhirException.Unprocessable(
                $"The concept hierarchy has a cycle (it runs through {string.Join(", ", onCycle.Select(c => $"'{c}'"))}); a concept cannot be its own ancestor",
                "CodeSystem.concept");
        }

        return order;
    }

    private static bool IsActive(CodeSystem.ConceptDefinitionComponent component)
    {
        foreach (CodeSystem.ConceptPropertyComponent property in component.Property)
        {
            switch (property.Code, property.Value)
            {
                case ("inactive", FhirBoolean { Value: true }):
                case ("status", Code { Value: "retired" or "deprecated" or "inactive" }):
                case ("status", FhirString { Value: "retired" or "deprecated" or "inactive" }):
                    return false;
            }
        }

        return true;
    }
}

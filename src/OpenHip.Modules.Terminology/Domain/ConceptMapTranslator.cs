using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace OpenHip.Modules.Terminology.Domain;

/// <summary>
/// $translate over one ConceptMap: forward from source to target codes, or with <c>reverse</c> from a target code back
/// to the source codes that map to it. Equivalences pass through as written (R4: equivalent, wider, narrower,
/// inexact, unmatched, disjoint, ...); an <c>unmapped</c> rule with mode fixed or provided answers unmatched codes.
/// </summary>
internal static class ConceptMapTranslator
{
    public static IReadOnlyList<TranslationMatch> Translate(ConceptMap map, string? system, string code, string? targetSystem, bool reverse)
    {
        ArgumentNullException.ThrowIfNull(map);
        string source = map.Url ?? ("ConceptMap/" + map.Id);
        var matches = new List<TranslationMatch>();
        foreach (ConceptMap.GroupComponent group in map.Group)
        {
            string? from = reverse ? group.Target : group.Source;
            string? to = reverse ? group.Source : group.Target;
            if ((system is not null && from is not null && from != system) || (targetSystem is not null && to is not null && to != targetSystem))
            {
                continue;
            }

            bool found = false;
            foreach (ConceptMap.SourceElementComponent element in group.Element)
            {
                foreach (ConceptMap.TargetElementComponent target in element.Target)
                {
                    string equivalence = target.Equivalence?.GetLiteral() ?? "equivalent";
                    if (!reverse && element.Code == code)
                    {
                        matches.Add(new TranslationMatch(equivalence, to, reverse ? group.SourceVersion : group.TargetVersion, target.Code, target.Display, source));
                        found = true;
                    }
                    else if (reverse && target.Code == code)
                    {
                        matches.Add(new TranslationMatch(equivalence, to, group.SourceVersion, element.Code, element.Display, source));
                        found = true;
                    }
                }
            }

            if (!found && !reverse && group.Unmapped is { } unmapped)
            {
                switch (unmapped.Mode)
                {
                    case ConceptMap.ConceptMapGroupUnmappedMode.Provided:
                        matches.Add(new TranslationMatch("equal", to, group.TargetVersion, code, null, source));
                        break;
                    case ConceptMap.ConceptMapGroupUnmappedMode.Fixed when unmapped.Code is not null:
                        matches.Add(new TranslationMatch("inexact", to, group.TargetVersion, unmapped.Code, unmapped.Display, source));
                        break;
                }
            }
        }

        return matches;
    }
}

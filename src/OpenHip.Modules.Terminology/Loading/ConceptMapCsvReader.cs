using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace OpenHip.Modules.Terminology.Loading;

/// <summary>
/// A local-to-standard code map as CSV: <c>source_system, source_code, target_system, target_code</c> (required),
/// <c>source_display, target_display, equivalence</c> (R4 ConceptMapEquivalence, default equivalent) and
/// <c>comment</c>. Rows group by source and target system; several rows for one source code give several targets.
/// An <c>unmatched</c> row may leave the target empty.
/// </summary>
internal static class ConceptMapCsvReader
{
    public static readonly string[] Required = ["source_system", "source_code", "target_system", "target_code"];

    public static ConceptMap Read(string path, TerminologyLoadSettings settings)
    {
        string url = settings.Url ?? throw new TerminologyLoadException(path, null, "a ConceptMap CSV needs --url, the canonical URL of the map");
        string id = CodeSystemHeader.Id(settings, url, path);
        var map = new ConceptMap
        {
            Id = id,
            Url = url,
            Version = settings.Version,
            Name = settings.Name ?? StableIds.NameFrom(id),
            Title = settings.Title,
            Status = PublicationStatus.Active,
            Experimental = false,
        };
        var groups = new Dictionary<(string Source, string Target), ConceptMap.GroupComponent>();
        var elements = new Dictionary<(string Source, string Target, string Code), ConceptMap.SourceElementComponent>();
        using var table = new CsvTable(path, Required);
        foreach (CsvRow row in table.Rows())
        {
            string sourceSystem = row.Required("source_system");
            string sourceCode = row.Required("source_code");
            string targetSystem = row.Required("target_system");
            ConceptMapEquivalence equivalence = Equivalence(row);
            string? targetCode = row["target_code"];
            if (targetCode is null && equivalence != ConceptMapEquivalence.Unmatched)
            {
                throw row.Error("target_code is empty; only an 'unmatched' row may leave it empty");
            }

            if (!groups.TryGetValue((sourceSystem, targetSystem), out ConceptMap.GroupComponent? group))
            {
                group = new ConceptMap.GroupComponent { Source = sourceSystem, Target = targetSystem };
                groups.Add((sourceSystem, targetSystem), group);
                map.Group.Add(group);
            }

            if (!elements.TryGetValue((sourceSystem, targetSystem, sourceCode), out ConceptMap.SourceElementComponent? element))
            {
                element = new ConceptMap.SourceElementComponent { Code = sourceCode, Display = row["source_display"] };
                elements.Add((sourceSystem, targetSystem, sourceCode), element);
                group.Element.Add(element);
            }

            element.Target.Add(new ConceptMap.TargetElementComponent
            {
                Code = targetCode,
                Display = row["target_display"],
                Equivalence = equivalence,
                Comment = row["comment"],
            });
        }

        return map.Group.Count > 0 ? map : throw new TerminologyLoadException(path, null, "no maps below the header");
    }

    private static ConceptMapEquivalence Equivalence(CsvRow row)
    {
        string? text = row["equivalence"];
        if (text is null)
        {
            return ConceptMapEquivalence.Equivalent;
        }

        return EnumUtility.ParseLiteral<ConceptMapEquivalence>(text) is { } parsed
            ? parsed
            : throw row.Error($"equivalence '{text}' is not an R4 ConceptMap equivalence (relatedto, equivalent, equal, wider, subsumes, narrower, specializes, inexact, unmatched, disjoint)");
    }
}

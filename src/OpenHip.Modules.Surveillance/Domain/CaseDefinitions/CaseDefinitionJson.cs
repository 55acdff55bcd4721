using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

/// <summary>
/// Reads the case-definition file (docs/surveillance.md, "Case definitions"). Unknown members, missing criteria, bad
/// ids and duplicate ids are errors with the definition and field named: a misspelt field must not silently weaken a
/// definition.
/// </summary>
internal static partial class CaseDefinitionJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = false,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <exception cref="FormatException">The text is not a valid set of case definitions.</exception>
    public static IReadOnlyList<CaseDefinition> Parse(string json)
    {
        FileDto? file;
        try
        {
            file = JsonSerializer.Deserialize<FileDto>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"case definitions: {ex.Message}", ex);
        }

        if (file?.Definitions is not { Count: > 0 } definitions)
        {
            throw new FormatException("case definitions: 'definitions' must list at least one definition");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<CaseDefinition>(definitions.Count);
        foreach (DefinitionDto dto in definitions)
        {
            CaseDefinition definition = ToDefinition(dto);
            if (!seen.Add(definition.Id))
            {
                throw new FormatException($"case definitions: id '{definition.Id}' is defined twice");
            }

            result.Add(definition);
        }

        return result;
    }

    private static CaseDefinition ToDefinition(DefinitionDto dto)
    {
        string id = dto.Id ?? throw new FormatException("case definitions: a definition has no 'id'");
        if (!IdPattern().IsMatch(id))
        {
            throw new FormatException($"case definitions: id '{id}' must be 1-32 lower-case letters, digits or '-'");
        }

        string where = $"case definition '{id}'";
        if (string.IsNullOrWhiteSpace(dto.Name) || string.IsNullOrWhiteSpace(dto.Source))
        {
            throw new FormatException($"{where}: 'name' and 'source' are required (name the published definition the codes come from)");
        }

        if (dto.EpisodeDays is < 1 or > 3650)
        {
            throw new FormatException($"{where}: 'episodeDays' must be between 1 and 3650 (got {dto.EpisodeDays})");
        }

        CasePriority priority = dto.Priority switch
        {
            null or "normal" => CasePriority.Normal,
            "high" => CasePriority.High,
            _ => throw new FormatException($"{where}: 'priority' must be normal or high (got '{dto.Priority}')"),
        };
        var conditions = (dto.Conditions ?? []).Select((c, i) => Codes(c, $"{where}: conditions[{i}]")).ToList();
        var labs = (dto.Labs ?? []).Select((l, i) => Lab(l, $"{where}: labs[{i}]")).ToList();
        var syndromes = (dto.Syndromes ?? []).Select((s, i) => Syndrome(s, $"{where}: syndromes[{i}]")).ToList();
        if (conditions.Count + labs.Count + syndromes.Count == 0)
        {
            throw new FormatException($"{where}: needs at least one of 'conditions', 'labs' or 'syndromes'");
        }

        return new CaseDefinition(id, dto.Name!, dto.Source!, priority, dto.EpisodeDays, conditions, labs, syndromes);
    }

    private static CodeCriterion Codes(CodesDto dto, string where)
    {
        bool hasCodes = dto.Codes is { Count: > 0 };
        bool hasValueSet = !string.IsNullOrWhiteSpace(dto.ValueSet);
        if (hasCodes == hasValueSet)
        {
            throw new FormatException($"{where}: give either 'codes' (with 'system') or 'valueSet'");
        }

        if (hasCodes && string.IsNullOrWhiteSpace(dto.System))
        {
            throw new FormatException($"{where}: 'codes' need a 'system'");
        }

        if (hasCodes && dto.Codes!.Any(string.IsNullOrWhiteSpace))
        {
            throw new FormatException($"{where}: 'codes' may not contain empty codes");
        }

        return new CodeCriterion(dto.System, dto.Codes ?? [], hasValueSet ? dto.ValueSet : null);
    }

    private static LabCriterion Lab(LabDto dto, string where)
    {
        CodeCriterion test = Codes(new CodesDto { System = dto.System, Codes = dto.Codes, ValueSet = dto.ValueSet }, where);
        PositiveResults positive = dto.Positive is null
            ? PositiveResults.Default
            : new PositiveResults(dto.Positive.ValueCodes ?? [], dto.Positive.InterpretationCodes ?? [], dto.Positive.Words ?? []);
        return new LabCriterion(test, positive);
    }

    private static SyndromeCriterion Syndrome(SyndromeDto dto, string where)
    {
        CodeCriterion? reasons = dto.Reasons is null ? null : Codes(dto.Reasons, where + ".reasons");
        List<string> keywords = dto.Keywords ?? [];
        if (reasons is null && keywords.Count == 0)
        {
            throw new FormatException($"{where}: needs 'reasons' or 'keywords'");
        }

        if (keywords.Any(string.IsNullOrWhiteSpace))
        {
            throw new FormatException($"{where}: 'keywords' may not contain empty words");
        }

        return new SyndromeCriterion(reasons, keywords);
    }

    [GeneratedRegex("^[a-z0-9-]{1,32}$")]
    private static partial Regex IdPattern();

    private sealed class FileDto
    {
        public List<DefinitionDto>? Definitions { get; set; }
    }

    private sealed class DefinitionDto
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public string? Source { get; set; }

        public string? Priority { get; set; }

        public int EpisodeDays { get; set; } = 14;

        public List<CodesDto>? Conditions { get; set; }

        public List<LabDto>? Labs { get; set; }

        public List<SyndromeDto>? Syndromes { get; set; }
    }

    private sealed class CodesDto
    {
        public string? System { get; set; }

        public List<string>? Codes { get; set; }

        public string? ValueSet { get; set; }
    }

    private sealed class LabDto
    {
        public string? System { get; set; }

        public List<string>? Codes { get; set; }

        public string? ValueSet { get; set; }

        public PositiveDto? Positive { get; set; }
    }

    private sealed class PositiveDto
    {
        public List<string>? ValueCodes { get; set; }

        public List<string>? InterpretationCodes { get; set; }

        public List<string>? Words { get; set; }
    }

    private sealed class SyndromeDto
    {
        public CodesDto? Reasons { get; set; }

        public List<string>? Keywords { get; set; }
    }
}

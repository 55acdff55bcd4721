using OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

namespace OpenHip.Modules.Surveillance.Features.CaseDetection;

/// <summary>
/// The case definitions in force: the shipped defaults (embedded <c>CaseDefinitions/default-case-definitions.json</c>)
/// or the file named by <see cref="SurveillanceOptions.CaseDefinitionsFile"/>. Loaded once when the module is
/// registered, so a malformed file stops start-up with a message naming the definition and field.
/// </summary>
internal sealed class CaseDefinitionCatalog
{
    private const string DefaultResource = "OpenHip.Modules.Surveillance.CaseDefinitions.default-case-definitions.json";

    private readonly Dictionary<string, CaseDefinition> _byId;

    public CaseDefinitionCatalog(IReadOnlyList<CaseDefinition> definitions, string origin)
    {
        Definitions = definitions;
        Origin = origin;
        _byId = definitions.ToDictionary(d => d.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<CaseDefinition> Definitions { get; }

    public string Origin { get; }

    public CaseDefinition? Find(string id) => _byId.GetValueOrDefault(id);

    /// <exception cref="InvalidOperationException">The file is missing or malformed (start-up error).</exception>
    public static CaseDefinitionCatalog Load(SurveillanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string origin = options.CaseDefinitionsFile ?? "the shipped defaults";
        string json;
        if (options.CaseDefinitionsFile is { } path)
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{SurveillanceOptions.SectionName}:CaseDefinitionsFile '{path}' does not exist");
            }

            json = File.ReadAllText(path);
        }
        else
        {
            json = ReadDefaults();
        }

        try
        {
            return new CaseDefinitionCatalog(CaseDefinitionJson.Parse(json), origin);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"{SurveillanceOptions.SectionName}: {origin}: {ex.Message}", ex);
        }
    }

    public static string ReadDefaults()
    {
        using Stream stream = typeof(CaseDefinitionCatalog).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"embedded resource {DefaultResource} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

using OpenHip.Modules.Surveillance.Domain.CaseDefinitions;
using OpenHip.Modules.Surveillance.Features.CaseDetection;

namespace OpenHip.Modules.Surveillance.Tests.CaseDefinitions;

public sealed class CaseDefinitionJsonTests
{
    [Fact]
    public void Parse_ShippedDefaults_HasEveryDiseaseWithItsSource()
    {
        IReadOnlyList<CaseDefinition> definitions = CaseDefinitionJson.Parse(CaseDefinitionCatalog.ReadDefaults());
        Assert.Equal(
            ["ili", "hfmd", "infectious-diarrhoea", "dengue", "measles", "covid-19", "tuberculosis", "cholera", "plague"],
            definitions.Select(d => d.Id));
        Assert.All(definitions, d => Assert.False(string.IsNullOrWhiteSpace(d.Source)));
        Assert.Equal(["cholera", "plague"], definitions.Where(d => d.Priority == CasePriority.High).Select(d => d.Id));
    }

    [Theory]
    [InlineData("""{"definitions":[]}""", "at least one")]
    [InlineData("""{"definitions":[{"id":"Bad Id","name":"x","source":"s","conditions":[{"system":"s","codes":["A"]}]}]}""", "Bad Id")]
    [InlineData("""{"definitions":[{"id":"x","name":"x","conditions":[{"system":"s","codes":["A"]}]}]}""", "'source'")]
    [InlineData("""{"definitions":[{"id":"x","name":"x","source":"s"}]}""", "at least one of")]
    [InlineData("""{"definitions":[{"id":"x","name":"x","source":"s","conditions":[{"codes":["A"]}]}]}""", "conditions[0]")]
    [InlineData("""{"definitions":[{"id":"x","name":"x","source":"s","episodeDays":0,"conditions":[{"system":"s","codes":["A"]}]}]}""", "episodeDays")]
    [InlineData("""{"definitions":[{"id":"x","name":"x","source":"s","priority":"urgent","conditions":[{"system":"s","codes":["A"]}]}]}""", "priority")]
    [InlineData("""{"definitions":[{"id":"x","name":"x","source":"s","condition":[{"system":"s","codes":["A"]}]}]}""", "condition")]
    [InlineData("""{"definitions":[{"id":"x","name":"x","source":"s","syndromes":[{}]}]}""", "syndromes[0]")]
    [InlineData("""{"definitions":[{"id":"x","name":"x","source":"s","labs":[{"system":"s","codes":["A"]}]},{"id":"x","name":"x","source":"s","labs":[{"system":"s","codes":["A"]}]}]}""", "twice")]
    [InlineData("""{"definitions":""", "case definitions")]
    public void Parse_MalformedDefinitions_ThrowsNamingTheProblem(string json, string named)
    {
        FormatException error = Assert.Throws<FormatException>(() => CaseDefinitionJson.Parse(json));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_StopsStartUp()
    {
        var options = new SurveillanceOptions { CaseDefinitionsFile = "/nonexistent/definitions.json" };
        Assert.Contains("does not exist", Assert.Throws<InvalidOperationException>(() => CaseDefinitionCatalog.Load(options)).Message, StringComparison.Ordinal);
    }
}

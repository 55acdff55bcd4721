using OpenHip.Modules.Surveillance.Features.Alerts;

namespace OpenHip.Modules.Surveillance.Tests.Alerts;

public sealed class AlertRuleCheckTests
{
    private static readonly string[] Algorithms = ["earsC1", "earsC3", "farrington"];

    [Fact]
    public void Defaults_AreValid() => AlertRuleCheck.Validate(AlertRule.Defaults, Algorithms);

    [Theory]
    [InlineData("burst", "earsC3", "Kind must be")]
    [InlineData("aberration", "glm", "unknown Algorithm 'glm'")]
    public void RuleThatCannotWork_StopsStartUp(string kind, string algorithm, string message)
    {
        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() =>
            AlertRuleCheck.Validate([new AlertRule { Id = "r", Kind = kind, Algorithm = algorithm }], Algorithms));

        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cluster", "lab")]
    [InlineData("aberration", "cases")]
    [InlineData("single-case", "laboratory")]
    public void UnknownStreamOrStreamOnARuleThatCountsNothing_StopsStartUp(string kind, string stream)
    {
        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() =>
            AlertRuleCheck.Validate([new AlertRule { Id = "r", Kind = kind, Stream = stream }], Algorithms));

        Assert.Contains("Stream", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cluster", "laboratory")]
    [InlineData("aberration", "syndromic")]
    [InlineData("cluster", "case")]
    public void EvidenceStreamOnClusterOrAberration_IsValid(string kind, string stream) =>
        AlertRuleCheck.Validate([new AlertRule { Id = "r", Kind = kind, Stream = stream }], Algorithms);

    [Fact]
    public void CombinedRule_NamingOneOrUnknownRules_StopsStartUp()
    {
        var combined = new AlertRule { Id = "both", Kind = "combined" };
        combined.Rules.Add("cluster");
        combined.Rules.Add("nowhere");

        Assert.Throws<InvalidOperationException>(() => AlertRuleCheck.Validate([new AlertRule { Id = "cluster" }, combined], Algorithms));
    }

    [Fact]
    public void TwoRulesWithOneId_StopStartUp() =>
        Assert.Throws<InvalidOperationException>(() => AlertRuleCheck.Validate([new AlertRule { Id = "x" }, new AlertRule { Id = "x" }], Algorithms));
}

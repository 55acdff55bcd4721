using System.Text;
using System.Text.Json.Nodes;
using OpenHip.Modules.Security.Features.Labels;

namespace OpenHip.Modules.Security.Tests.Labels;

public class ElementMaskTests
{
    private const string Patient = """{"resourceType":"Patient","id":"p1","meta":{"versionId":"1"},"identifier":[{"value":"110101199003074514"}],"name":[{"text":"王小明"}],"telecom":[{"value":"13800000000"}],"gender":"male","birthDate":"1990-03-07"}""";

    private static ReadOnlyMemory<byte> Bytes(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public void Apply_TypeWithRule_RemovesElementsAndMarksRedacted()
    {
        var mask = new ElementMask([new MaskRule("Patient", ["identifier", "name", "telecom", "address"], [])]);

        ReadOnlyMemory<byte>? masked = mask.Apply("Patient", Bytes(Patient));

        Assert.NotNull(masked);
        JsonObject result = JsonNode.Parse(masked.Value.Span)!.AsObject();
        Assert.False(result.ContainsKey("identifier"));
        Assert.False(result.ContainsKey("name"));
        Assert.False(result.ContainsKey("telecom"));
        Assert.Equal("male", result["gender"]!.GetValue<string>());
        Assert.Equal("REDACTED", result["meta"]!["security"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("1", result["meta"]!["versionId"]!.GetValue<string>());
    }

    [Fact]
    public void Apply_TypeWithoutRule_ReturnsNull()
    {
        var mask = new ElementMask([new MaskRule("Patient", ["name"], [])]);

        Assert.Null(mask.Apply("Observation", Bytes("""{"resourceType":"Observation","id":"o"}""")));
    }

    [Fact]
    public void Apply_NothingToRemove_ReturnsNull()
    {
        var mask = new ElementMask([new MaskRule("Patient", ["address"], [])]);

        Assert.Null(mask.Apply("Patient", Bytes(Patient)));
    }

    [Fact]
    public void Apply_RuleForLabelledResources_LeavesUnlabelledOnesAlone()
    {
        var mask = new ElementMask([new MaskRule("Condition", ["note"], ["http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY"])]);
        const string plain = """{"resourceType":"Condition","id":"c","note":[{"text":"x"}]}""";
        const string labelled = """{"resourceType":"Condition","id":"c","meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"PSY"}]},"note":[{"text":"x"}]}""";

        Assert.Null(mask.Apply("Condition", Bytes(plain)));
        ReadOnlyMemory<byte>? masked = mask.Apply("Condition", Bytes(labelled));
        Assert.NotNull(masked);
        JsonObject result = JsonNode.Parse(masked.Value.Span)!.AsObject();
        Assert.False(result.ContainsKey("note"));
        Assert.Equal(2, result["meta"]!["security"]!.AsArray().Count);
    }

    [Fact]
    public void Apply_CodeElsewhereButNotALabel_IsNotMasked()
    {
        var mask = new ElementMask([new MaskRule("Condition", ["note"], ["http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY"])]);
        const string json = """{"resourceType":"Condition","id":"c","code":{"coding":[{"code":"PSY"}]},"note":[{"text":"x"}]}""";

        Assert.Null(mask.Apply("Condition", Bytes(json)));
    }
}

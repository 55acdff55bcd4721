using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Utility;
using OpenHip.Modules.Terminology.Features.Bindings;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Features.Bindings;

/// <summary>
/// The binding table is read from the specification's XML in one pass, without Firely's model; it must give, for every
/// resource and data type, exactly the rules Firely's own reading of the same StructureDefinitions gives.
/// </summary>
public sealed class CoreBindingTableTests
{
    private static readonly HashSet<string> CodedTypes = new(StringComparer.Ordinal) { "code", "Coding", "CodeableConcept" };

    [Fact]
    public void For_EveryResourceAndDataType_SameRulesAsFirelysStructureDefinitions()
    {
        ZipSource specification = ZipSource.CreateValidationSource();
        string[] types = [.. ModelInfo.FhirTypeToCsType.Keys.Where(t => ModelInfo.IsKnownResource(t) || ModelInfo.IsDataType(t)).Order(StringComparer.Ordinal)];
        int rules = 0;

        foreach (string type in types)
        {
            string[] want = [.. Firely(specification, type).Select(Describe)];
            string[] got = [.. CoreBindingTable.For(type).Select(Describe)];
            Assert.True(want.SequenceEqual(got), $"{type}:\nFirely:\n  {string.Join("\n  ", want)}\ntable:\n  {string.Join("\n  ", got)}");
            rules += got.Length;
        }

        Assert.True(types.Length > 150, $"only {types.Length} types");
        Assert.True(rules > 500, $"only {rules} rules");
        Assert.Contains(CoreBindingTable.For("Condition"), r => r.Path == "Condition.clinicalStatus" && r.Strength == "required");
    }

    // How the bindings were read before the table: each type's definition resolved and built in Firely's model.
    private static IEnumerable<BindingRule> Firely(ZipSource specification, string type)
    {
        if (specification.ResolveByCanonicalUri("http://hl7.org/fhir/StructureDefinition/" + type) is not StructureDefinition { Snapshot: { } snapshot })
        {
            yield break;
        }

        foreach (ElementDefinition element in snapshot.Element)
        {
            if (element.Binding is { ValueSet: { } valueSet, Strength: { } strength }
                && element.Type.Exists(t => t.Code is { } code && CodedTypes.Contains(code))
                && element.Path is { } path && path.Contains('.', StringComparison.Ordinal))
            {
                yield return new BindingRule(path, [.. path.Split('.').Skip(1).Select(s => s.EndsWith("[x]", StringComparison.Ordinal) ? s[..^3] : s)], strength.GetLiteral()!, valueSet);
            }
        }
    }

    private static string Describe(BindingRule rule) => $"{rule.Path} [{string.Join('/', rule.Steps)}] {rule.Strength} {rule.ValueSet}";
}

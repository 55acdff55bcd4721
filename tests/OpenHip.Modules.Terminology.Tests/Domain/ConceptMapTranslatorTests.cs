using Hl7.Fhir.Model;
using OpenHip.Modules.Terminology.Domain;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Domain;

public sealed class ConceptMapTranslatorTests
{
    private const string Local = "http://openhip.test/sex/local";
    private const string Gender = "http://hl7.org/fhir/administrative-gender";

    private static readonly ConceptMap Map = new()
    {
        Url = "http://openhip.test/ConceptMap/sex",
        Group =
        [
            new ConceptMap.GroupComponent
            {
                Source = Local,
                Target = Gender,
                Element =
                [
                    Element("1", "male", ConceptMapEquivalence.Equivalent),
                    Element("2", "female", ConceptMapEquivalence.Equivalent),
                    Element("9", "other", ConceptMapEquivalence.Wider),
                    Element("0", "unknown", ConceptMapEquivalence.Inexact),
                ],
                Unmapped = new ConceptMap.UnmappedComponent { Mode = ConceptMap.ConceptMapGroupUnmappedMode.Fixed, Code = "unknown" },
            },
        ],
    };

    [Fact]
    public void Translate_Forward_TargetWithItsEquivalence()
    {
        TranslationMatch match = Assert.Single(ConceptMapTranslator.Translate(Map, Local, "9", null, reverse: false));

        Assert.Equal(("wider", Gender, "other"), (match.Equivalence, match.System, match.Code));
        Assert.Equal(Map.Url, match.Source);
    }

    [Fact]
    public void Translate_Reverse_SourceCodesMappingToTheTarget()
    {
        TranslationMatch match = Assert.Single(ConceptMapTranslator.Translate(Map, Gender, "female", null, reverse: true));

        Assert.Equal((Local, "2"), (match.System, match.Code));
    }

    [Fact]
    public void Translate_UnmappedFixed_AnswersTheFixedCode()
    {
        TranslationMatch match = Assert.Single(ConceptMapTranslator.Translate(Map, Local, "5", null, reverse: false));

        Assert.Equal(("inexact", "unknown"), (match.Equivalence, match.Code));
    }

    [Fact]
    public void Translate_OtherSystemOrTargetSystem_NoMatch()
    {
        Assert.Empty(ConceptMapTranslator.Translate(Map, "http://openhip.test/other", "1", null, reverse: false));
        Assert.Empty(ConceptMapTranslator.Translate(Map, Local, "1", "http://openhip.test/other", reverse: false));
    }

    private static ConceptMap.SourceElementComponent Element(string code, string target, ConceptMapEquivalence equivalence) => new()
    {
        Code = code,
        Target = [new ConceptMap.TargetElementComponent { Code = target, Equivalence = equivalence }],
    };
}

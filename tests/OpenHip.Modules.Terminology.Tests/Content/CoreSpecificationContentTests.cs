using Hl7.Fhir.Model;
using OpenHip.Modules.Terminology.Content;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Content;

public sealed class CoreSpecificationContentTests
{
    [Fact]
    public void Load_TakesEveryCoreCodeSystemAndValueSetWithoutNarrative()
    {
        IReadOnlyList<Resource> core = [.. CoreSpecificationContent.Load().Select(r => r.Resource)];

        Assert.All(core, r => Assert.True(r is CodeSystem or ValueSet));
        Assert.Equal(core.Count, core.Select(r => $"{r.TypeName}/{r.Id}").Distinct().Count());
        Assert.True(core.OfType<CodeSystem>().Count() > 1000);
        Assert.True(core.OfType<ValueSet>().Count() > 1300);
        Assert.All(core.OfType<DomainResource>(), r => Assert.Null(r.Text));
        CodeSystem gender = core.OfType<CodeSystem>().Single(c => c.Url == "http://hl7.org/fhir/administrative-gender");
        Assert.Equal(["male", "female", "other", "unknown"], gender.Concept.Select(c => c.Code));
        Assert.Contains(core.OfType<CodeSystem>(), c => c.Url == "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus");
        Assert.Contains(core.OfType<CodeSystem>(), c => c.Url == "http://terminology.hl7.org/CodeSystem/v2-0203");
        Assert.Contains(core.OfType<ValueSet>(), v => v.Url == "http://hl7.org/fhir/ValueSet/marital-status");
    }
}

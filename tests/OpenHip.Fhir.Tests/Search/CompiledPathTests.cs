using Hl7.Fhir.Model;
using OpenHip.Fhir.Search;
using Xunit;

namespace OpenHip.Fhir.Tests.Search;

public sealed class CompiledPathTests
{
    [Fact]
    public void CompileFor_SharedUnion_KeepsOnlyTheTypesOwnBranches()
    {
        var observation = new Observation { Code = new CodeableConcept("http://loinc.org", "1"), Value = new CodeableConcept("http://x", "v") };

        var compiled = CompiledPath.CompileFor("Condition.code | (Observation.value as CodeableConcept) | Observation.code", "Observation");

        Assert.NotNull(compiled);
        Assert.Equal(2, CompiledPath.Evaluate(compiled, CompiledPath.Root(observation)).Count());
        Assert.Null(CompiledPath.CompileFor("Condition.code | Observation.code", "Patient"));
    }

    [Fact]
    public void CompileFor_UnionsInsideFunctionsAndResourceLevelPaths_StayWhole()
    {
        var patient = new Patient { Meta = new Meta { Tag = [new Coding("http://t", "a")] }, Active = true };

        Assert.Single(CompiledPath.Evaluate(CompiledPath.CompileFor("Resource.meta.tag", "Patient")!, CompiledPath.Root(patient)));
        Assert.Single(CompiledPath.Evaluate(CompiledPath.CompileFor("Patient.active.where(($this | $this).exists())", "Patient")!, CompiledPath.Root(patient)));
    }
}

using Hl7.Fhir.Model;
using OpenHip.Fhir.Search.Indexing;
using Xunit;

namespace OpenHip.Fhir.Tests.Search.Indexing;

public sealed class IndexPathTests
{
    private static List<Base> Select(IndexPath path, Resource resource)
    {
        List<Base> values = [];
        PocoNode? root = null;
        path.Select(resource, ref root, values);
        return values;
    }

    [Fact]
    public void For_SharedUnion_KeepsOnlyTheTypesOwnBranches()
    {
        var observation = new Observation { Code = new CodeableConcept("http://loinc.org", "1"), Value = new CodeableConcept("http://x", "v") };

        IndexPath? path = IndexPath.For("Condition.code | (Observation.value as CodeableConcept) | Observation.code", "Observation");

        Assert.NotNull(path);
        Assert.Equal(2, Select(path, observation).Count);
        Assert.Null(IndexPath.For("Condition.code | Observation.code", "Patient"));
    }

    [Fact]
    public void Select_AsTypeOnAChoice_MatchesOnlyThatType()
    {
        IndexPath path = IndexPath.For("(Observation.value as CodeableConcept)", "Observation")!;

        Assert.Empty(Select(path, new Observation { Value = new Quantity(5, "mg") }));
        Assert.Single(Select(path, new Observation { Value = new CodeableConcept("http://x", "v") }));
    }

    [Fact]
    public void Select_RepeatingElementsAndResourceLevelPaths_WalkEveryItem()
    {
        var patient = new Patient
        {
            Meta = new Meta { Tag = [new Coding("http://t", "a"), new Coding("http://t", "b")] },
            Identifier = [new Identifier("s", "1"), new Identifier("s", "2"), new Identifier("s", "3")],
        };

        Assert.Equal(2, Select(IndexPath.For("Resource.meta.tag", "Patient")!, patient).Count);
        Assert.Equal(3, Select(IndexPath.For("Patient.identifier", "Patient")!, patient).Count);
    }

    [Fact]
    public void Select_FunctionBranch_FallsBackToFhirPath()
    {
        var patient = new Patient { Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, "1"), new ContactPoint(ContactPoint.ContactPointSystem.Email, null, "a@b")] };

        List<Base> phones = Select(IndexPath.For("Patient.telecom.where(system='phone')", "Patient")!, patient);

        ContactPoint phone = Assert.IsType<ContactPoint>(Assert.Single(phones));
        Assert.Equal("1", phone.Value);
    }
}

using Hl7.Fhir.Model;
using OpenHip.Fhir.Search;
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

    [Fact]
    public void Select_WhereResolveIs_KeepsReferencesToThatTypeWithoutAResolver()
    {
        var observation = new Observation { Subject = new ResourceReference("Patient/p1") };
        var toGroup = new Observation { Subject = new ResourceReference("Group/g1") };
        var typedOnly = new Observation { Subject = new ResourceReference { Type = "Patient", Identifier = new Identifier("s", "1") } };

        IndexPath path = IndexPath.For("Observation.subject.where(resolve() is Patient)", "Observation")!;

        Assert.True(path.IsPlain);
        Assert.Single(Select(path, observation));
        Assert.Empty(Select(path, toGroup));
        Assert.Single(Select(path, typedOnly));
    }

    [Fact]
    public void Select_WhereEqualsInTheMiddle_FiltersThenContinues()
    {
        var plan = new PlanDefinition
        {
            RelatedArtifact =
            [
                new RelatedArtifact { Type = RelatedArtifact.RelatedArtifactType.DependsOn, Resource = "http://x/Library/a" },
                new RelatedArtifact { Type = RelatedArtifact.RelatedArtifactType.Citation, Resource = "http://x/Library/b" },
            ],
        };

        IndexPath path = IndexPath.For("PlanDefinition.relatedArtifact.where(type='depends-on').resource", "PlanDefinition")!;

        Assert.True(path.IsPlain);
        Assert.Equal("http://x/Library/a", Assert.IsType<Canonical>(Assert.Single(Select(path, plan))).Value);
    }

    [Theory]
    [InlineData("(Observation.value as CodeableConcept).text")]
    [InlineData("Observation.value.as(CodeableConcept).text")]
    [InlineData("Observation.value.ofType(CodeableConcept).text")]
    public void Select_TypeFilterSpellings_AllPlain(string expression)
    {
        var observation = new Observation { Value = new CodeableConcept { Text = "positive" } };

        IndexPath path = IndexPath.For(expression, "Observation")!;

        Assert.True(path.IsPlain);
        Assert.Equal("positive", Assert.IsType<FhirString>(Assert.Single(Select(path, observation))).Value);
    }

    [Fact]
    public void Select_ListIndex_TakesOnlyThatItem()
    {
        var bundle = new Bundle { Entry = [new Bundle.EntryComponent { Resource = new Composition() }, new Bundle.EntryComponent { Resource = new Patient() }] };

        IndexPath path = IndexPath.For("Bundle.entry[0].resource", "Bundle")!;

        Assert.True(path.IsPlain);
        Assert.IsType<Composition>(Assert.Single(Select(path, bundle)));
    }

    [Fact]
    public void SelectFrom_RelativeAndResourcePaths_StartAtTheElementOrTheResource()
    {
        var sequence = new MolecularSequence
        {
            ReferenceSeq = new MolecularSequence.ReferenceSeqComponent { Chromosome = new CodeableConcept("http://x", "chr1") },
            Variant = [new MolecularSequence.VariantComponent { Start = 5, End = 9 }],
        };
        List<Base> values = [];
        PocoNode? root = null;

        IndexPath.ForElement("start").SelectFrom(sequence.Variant[0], sequence, ref root, values);
        IndexPath.ForElement("%resource.referenceSeq.chromosome").SelectFrom(sequence.Variant[0], sequence, ref root, values);

        Assert.Equal(5, Assert.IsType<Integer>(values[0]).Value);
        Assert.IsType<CodeableConcept>(values[1]);
        Assert.Null(root);
    }

    [Fact]
    public void SelectFrom_RelativeFhirPath_EvaluatedOnTheElement()
    {
        var patient = new Patient { Name = [new HumanName { Given = ["A", "B"] }, new HumanName { Given = ["C"] }] };
        List<Base> values = [];
        PocoNode? root = null;

        IndexPath path = IndexPath.ForElement("given.first()");
        path.SelectFrom(patient.Name[1], patient, ref root, values);

        Assert.False(path.IsPlain);
        Assert.Equal("C", Assert.IsType<FhirString>(Assert.Single(values)).Value);
    }

    [Fact]
    public void For_BareTypeOrBareMember_PlainFromTheResource()
    {
        var plan = new InsurancePlan { Name = "Basic", Alias = ["B1"] };

        Assert.Same(plan, Assert.Single(Select(IndexPath.For("InsurancePlan", "InsurancePlan")!, plan)));
        Assert.Equal(2, Select(IndexPath.For("name | alias", "InsurancePlan")!, plan).Count);
    }

    [Fact]
    public void BuiltInParameters_NoneNeedsFhirPath()
    {
        // FHIRPath costs ~100x a POCO walk; a definition that falls back to it should be a deliberate exception.
        string[] fhirPath = [.. Hl7.Fhir.Model.ModelInfo.SupportedResources
            .SelectMany(type => new SearchParameterRegistry().ForType(type)
                .Where(p => !string.IsNullOrEmpty(p.Expression) && IndexPath.For(p.Expression!, type) is { IsPlain: false })
                .Select(p => $"{type}.{p.Code}"))
            .Order(StringComparer.Ordinal)];

        Assert.Empty(fhirPath);
    }
}

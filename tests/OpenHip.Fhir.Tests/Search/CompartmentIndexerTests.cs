using Hl7.Fhir.Model;
using OpenHip.Fhir.Search;
using Xunit;

namespace OpenHip.Fhir.Tests.Search;

public sealed class CompartmentIndexerTests
{
    private readonly CompartmentIndexer _indexer = new(new SearchParameterRegistry());

    [Fact]
    public void PatientsOf_ObservationWithSubjectAndPatientPerformer_ListsBothOnce()
    {
        var observation = new Observation
        {
            Subject = new ResourceReference("Patient/p1"),
            Performer = [new ResourceReference("http://other.example/fhir/Patient/p2/_history/3"), new ResourceReference("Practitioner/d1"), new ResourceReference("Patient/p1")],
        };

        Assert.Equal(["p1", "p2"], _indexer.PatientsOf(observation));
    }

    [Fact]
    public void PatientsOf_Patient_IsInItsOwnAndLinkedCompartments()
    {
        var patient = new Patient { Id = "self", Link = [new Patient.LinkComponent { Other = new ResourceReference("Patient/older") }] };

        Assert.Equal(["older", "self"], _indexer.PatientsOf(patient));
    }

    [Fact]
    public void PatientsOf_TypeOutsideTheCompartment_IsEmpty()
    {
        Assert.Empty(_indexer.PatientsOf(new Organization { Id = "o", Name = "x" }));
        Assert.Empty(_indexer.PatientsOf(new Observation { Subject = new ResourceReference("Group/g1") }));
    }
}

using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;
using Xunit;

namespace OpenHip.Fhir.Tests.Search.Indexing;

public sealed partial class SearchIndexerTests
{
    [Fact]
    public void Extract_PatientName_EachPartNormalisedAndExact()
    {
        var patient = new Patient
        {
            Name =
            [
                new HumanName { Family = "Müller", Given = ["Hans", "Peter"], Prefix = ["Dr."], Text = "Dr. Hans Peter Müller" },
                new HumanName { Family = "张", Given = ["三"], Text = "张三" },
            ],
        };

        IReadOnlyList<IndexEntry> entries = Extract(patient);

        AssertEntries(
            [
                new StringIndexEntry("name", "muller", "Müller"), new StringIndexEntry("name", "hans", "Hans"),
                new StringIndexEntry("name", "peter", "Peter"), new StringIndexEntry("name", "dr.", "Dr."),
                new StringIndexEntry("name", "dr. hans peter muller", "Dr. Hans Peter Müller"),
                new StringIndexEntry("name", "张", "张"), new StringIndexEntry("name", "三", "三"), new StringIndexEntry("name", "张三", "张三"),
            ],
            entries,
            "name");
        AssertEntries([new StringIndexEntry("family", "muller", "Müller"), new StringIndexEntry("family", "张", "张")], entries, "family");
        AssertEntries(
            [new StringIndexEntry("given", "hans", "Hans"), new StringIndexEntry("given", "peter", "Peter"), new StringIndexEntry("given", "三", "三")],
            entries,
            "given");
    }

    [Fact]
    public void Extract_PatientAddress_EveryTextPartAndTheSpecificParameters()
    {
        var patient = new Patient
        {
            Address =
            [
                new Address
                {
                    Line = ["建国路 88 号", "Building ２"],
                    City = "北京市",
                    District = "朝阳区",
                    State = "北京",
                    PostalCode = "100022",
                    Country = "CN",
                    Text = "北京市朝阳区建国路 88 号",
                },
            ],
        };

        IReadOnlyList<IndexEntry> entries = Extract(patient);

        AssertEntries(
            [
                new StringIndexEntry("address", "建国路 88 号", "建国路 88 号"), new StringIndexEntry("address", "building 2", "Building ２"),
                new StringIndexEntry("address", "北京市", "北京市"), new StringIndexEntry("address", "朝阳区", "朝阳区"),
                new StringIndexEntry("address", "北京", "北京"), new StringIndexEntry("address", "100022", "100022"),
                new StringIndexEntry("address", "cn", "CN"), new StringIndexEntry("address", "北京市朝阳区建国路 88 号", "北京市朝阳区建国路 88 号"),
            ],
            entries,
            "address");
        AssertEntries([new StringIndexEntry("address-city", "北京市", "北京市")], entries, "address-city");
        AssertEntries([new StringIndexEntry("address-state", "北京", "北京")], entries, "address-state");
        AssertEntries([new StringIndexEntry("address-postalcode", "100022", "100022")], entries, "address-postalcode");
        AssertEntries([new StringIndexEntry("address-country", "cn", "CN")], entries, "address-country");
    }

    [Fact]
    public void Extract_StringAndMarkdownPrimitives_FullWidthFolded()
    {
        var organization = new Organization { Name = "ＯｐｅｎＨＩＰ Clinic", Alias = ["Café Médical"] };
        var plan = new CarePlan { Status = RequestStatus.Active, Intent = CarePlan.CarePlanIntent.Plan, Subject = new ResourceReference("Patient/p") };

        IReadOnlyList<IndexEntry> entries = Extract(organization);

        AssertEntries(
            [new StringIndexEntry("name", "openhip clinic", "ＯｐｅｎＨＩＰ Clinic"), new StringIndexEntry("name", "cafe medical", "Café Médical")],
            entries,
            "name");
        Assert.DoesNotContain(Extract(plan), e => e is StringIndexEntry);
    }
}

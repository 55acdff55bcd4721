using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;

namespace OpenHip.Tests.Http;

/// <summary>
/// Firely's own FhirClient drives the server end to end: if a real FHIR client cannot talk to us, nothing else
/// matters. Each test runs in JSON and in XML, and VerifyFhirVersion makes the client read /metadata first.
/// </summary>
public sealed class FhirClientTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string IdentifierSystem = "http://openhip.test/sid/fhirclient";

    private FhirClient NewClient(ResourceFormat format) => new(server.BaseUrl, new FhirClientSettings
    {
        PreferredFormat = format,
        VerifyFhirVersion = true,
        ReturnPreference = ReturnPreference.Representation,
    });

    [Theory]
    [InlineData(ResourceFormat.Json)]
    [InlineData(ResourceFormat.Xml)]
    public async Task FhirClient_CreateReadUpdateVReadHistoryDelete_RoundTripsContentAndVersions(ResourceFormat format)
    {
        using FhirClient client = NewClient(format);
        var patient = new Patient
        {
            Name = [new HumanName { Text = "王芳", Family = "王", Given = ["芳"] }],
            Identifier = [new Identifier(IdentifierSystem, $"crud-{format}")],
            BirthDate = "1949-12-31",
        };

        Patient created = (await client.CreateAsync(patient))!;
        Assert.False(string.IsNullOrEmpty(created.Id));
        Assert.Equal("1", created.VersionId);
        Assert.NotNull(created.Meta?.LastUpdated);
        Assert.Equal("王", created.Name[0].Family);

        Patient read = (await client.ReadAsync<Patient>($"Patient/{created.Id}"))!;
        Assert.Equal(created.Id, read.Id);
        Assert.Equal("1", read.VersionId);
        Assert.Equal("王芳", read.Name[0].Text);
        Assert.Equal("1949-12-31", read.BirthDate);
        Assert.Equal($"crud-{format}", read.Identifier[0].Value);
        Assert.Null(read.Active);

        read.Active = true;
        read.Gender = AdministrativeGender.Female;
        Patient updated = (await client.UpdateAsync(read))!;
        Assert.Equal(created.Id, updated.Id);
        Assert.Equal("2", updated.VersionId);
        Assert.True(updated.Active);

        Patient version1 = (await client.ReadAsync<Patient>($"Patient/{created.Id}/_history/1"))!;
        Assert.Equal("1", version1.VersionId);
        Assert.Null(version1.Active);
        Assert.Null(version1.Gender);

        Patient current = (await client.ReadAsync<Patient>($"Patient/{created.Id}"))!;
        Assert.Equal("2", current.VersionId);
        Assert.Equal(AdministrativeGender.Female, current.Gender);

        Bundle history = (await client.HistoryAsync($"Patient/{created.Id}"))!;
        Assert.Equal(Bundle.BundleType.History, history.Type);
        Assert.Equal(2, history.Total);
        Assert.Equal(["2", "1"], history.Entry.Select(e => e.Resource!.VersionId));

        await client.DeleteAsync(updated);

        FhirOperationException gone = await Assert.ThrowsAsync<FhirOperationException>(() => client.ReadAsync<Patient>($"Patient/{created.Id}"));
        Assert.Equal(HttpStatusCode.Gone, gone.Status);

        Bundle afterDelete = (await client.HistoryAsync($"Patient/{created.Id}"))!;
        Assert.Equal(3, afterDelete.Total);
        Assert.Equal(Bundle.HTTPVerb.DELETE, afterDelete.Entry[0].Request!.Method);
        Assert.Null(afterDelete.Entry[0].Resource);
    }

    [Theory]
    [InlineData(ResourceFormat.Json)]
    [InlineData(ResourceFormat.Xml)]
    public async Task FhirClient_TransactionWithUrnUuidReferences_CommitsAndRewritesReferences(ResourceFormat format)
    {
        using FhirClient client = NewClient(format);
        string patientUrn = $"urn:uuid:{Guid.NewGuid()}";
        var patient = new Patient { Name = [new HumanName { Family = "Li", Given = ["Lei"] }], Identifier = [new Identifier(IdentifierSystem, $"tx-{format}")] };
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "8867-4", "Heart rate"),
            Subject = new ResourceReference(patientUrn),
            Value = new Quantity(72, "/min"),
        };
        Bundle transaction = new TransactionBuilder(server.BaseUrl, Bundle.BundleType.Transaction)
            .Create(patient, patientUrn)
            .Create(observation, $"urn:uuid:{Guid.NewGuid()}")
            .ToBundle();

        Bundle response = (await client.TransactionAsync(transaction))!;

        Assert.Equal(Bundle.BundleType.TransactionResponse, response.Type);
        Assert.Equal(2, response.Entry.Count);
        Assert.All(response.Entry, e => Assert.StartsWith("201", e.Response!.Status, StringComparison.Ordinal));
        string patientId = new ResourceIdentity(response.Entry[0].Response!.Location).Id!;
        string observationId = new ResourceIdentity(response.Entry[1].Response!.Location).Id!;

        Observation stored = (await client.ReadAsync<Observation>($"Observation/{observationId}"))!;
        Assert.Equal($"Patient/{patientId}", stored.Subject!.Reference);
        Assert.Equal("8867-4", stored.Code.Coding[0].Code);
        Assert.Equal(72m, ((Quantity)stored.Value!).Value);

        Patient storedPatient = (await client.ReadAsync<Patient>($"Patient/{patientId}"))!;
        Assert.Equal("Li", storedPatient.Name[0].Family);
    }

    [Theory]
    [InlineData(ResourceFormat.Json)]
    [InlineData(ResourceFormat.Xml)]
    public async Task FhirClient_ConditionalCreateTwice_SecondFindsTheFirst(ResourceFormat format)
    {
        using FhirClient client = NewClient(format);
        string value = $"cond-{format}";
        var patient = new Patient { Identifier = [new Identifier(IdentifierSystem, value)], Gender = AdministrativeGender.Male };
        SearchParams condition = new SearchParams().Add("identifier", $"{IdentifierSystem}|{value}");

        Patient first = (await client.ConditionalCreateAsync(patient, condition))!;
        Assert.StartsWith("201", client.LastResult!.Status, StringComparison.Ordinal);
        Assert.Equal("1", first.VersionId);

        Patient? second = await client.ConditionalCreateAsync(new Patient { Identifier = [new Identifier(IdentifierSystem, value)], Gender = AdministrativeGender.Female }, condition);
        Assert.StartsWith("200", client.LastResult!.Status, StringComparison.Ordinal);

        // A match is not written again: the stored resource is still the first one.
        Patient stored = (await client.ReadAsync<Patient>($"Patient/{first.Id}"))!;
        Assert.Equal("1", stored.VersionId);
        Assert.Equal(AdministrativeGender.Male, stored.Gender);
        if (second is not null)
        {
            Assert.Equal(first.Id, second.Id);
        }
    }
}

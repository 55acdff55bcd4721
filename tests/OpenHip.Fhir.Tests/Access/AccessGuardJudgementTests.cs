using System.Text;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Indexing;
using OpenHip.Fhir.Storage;
using Xunit;

namespace OpenHip.Fhir.Tests.Access;

/// <summary>
/// A current version read with its compartments is judged without parsing (compartments from the store, meta.source
/// from the bytes); the answers must be those of the full judgement on the parsed resource.
/// </summary>
public sealed class AccessGuardJudgementTests
{
    private static readonly SearchParameterRegistry Registry = new();
    private static readonly CompartmentIndexer Compartments = new(Registry);
    private static readonly AccessGuard Guard = new(null!, new SearchIndexer(Registry, RegionTimeZone.Of(TimeZoneInfo.Utc)), Compartments);

    // An opt-out: p1's data is withheld unless written by urn:a (the shape ConsentRestrictions builds).
    private static readonly SearchExpression OptOut = new NotExpression(new AndExpression([
        new CompartmentSetExpression(["p1"]),
        new NotExpression(new UriExpression("_source", UriMatch.Exact, "urn:a")),
    ]));

    public static TheoryData<string, bool> Resources => new()
    {
        { """{"resourceType":"Observation","meta":{"source":"urn:a"},"status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p1"}}""", true },
        { """{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p1"},"meta":{"versionId":"3","tag":[{"code":"source"}],"source":"urn:b"}}""", false },
        { """{"resourceType":"Observation","status":"final","code":{"text":"source"},"subject":{"reference":"Patient/p1"}}""", false },
        { """{"resourceType":"Observation","meta":{"source":"urn:b"},"status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p2"}}""", true },
        { """{"resourceType":"Patient","id":"p1","meta":{"source":"urn:a"}}""", true },
        { """{"resourceType":"Patient","id":"p1","extension":[{"url":"http://example.org/source","valueString":"urn:a"}]}""", false },
    };

    [Theory]
    [MemberData(nameof(Resources))]
    public void CompartmentsFromTheStore_JudgeLikeTheParsedResource(string json, bool expected)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        Hl7.Fhir.Model.Resource parsed = FhirCodec.ParseStored(bytes);
        var stored = new StoredResource(parsed.TypeName, parsed.Id ?? "o1", 1, DateTimeOffset.UnixEpoch, false, WriteMethod.Create, bytes);
        var access = new TypeAccess(true, OptOut);

        Assert.Equal(expected, Guard.Admits(access, stored));
        Assert.Equal(expected, Guard.Admits(access, stored with { Compartments = Compartments.PatientsOf(parsed) }));
    }
}

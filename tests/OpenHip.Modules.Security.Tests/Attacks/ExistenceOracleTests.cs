using System.Net;
using System.Text.Json.Nodes;
using static OpenHip.Modules.Security.Tests.Attacks.Attack;

namespace OpenHip.Modules.Security.Tests.Attacks;

/// <summary>
/// Existence oracles: the same request on one of resident B's ids and on an id that does not exist must get the same
/// status and the same OperationOutcome (issue code and text, with the id replaced), so the answer tells a caller nothing
/// about whether B's record exists. 403 comes only for types the caller holds no scope for — existing or not.
/// </summary>
[Collection(AttackSuiteDefinition.Name)]
public sealed class ExistenceOracleTests(AttackFixture fixture)
{
    /// <summary>Name → (caller, method, path with {id}, B's id, expected status, body with {id} or null).</summary>
    public static readonly IReadOnlyDictionary<string, OraclePair> Pairs = Build();

    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string name in Pairs.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public async Task SameAnswer(string name)
    {
        OraclePair pair = Pairs[name];
        Skip.If(pair.Bug is not null, pair.Bug);

        (HttpStatusCode foreignStatus, string foreignBody) = await SendAsync(pair, pair.ForeignId);
        (HttpStatusCode missingStatus, string missingBody) = await SendAsync(pair, Missing);

        Assert.True(foreignStatus == pair.Status, $"{name} (foreign): expected {(int)pair.Status}, got {(int)foreignStatus}: {Shorten(foreignBody)}");
        Assert.True(missingStatus == pair.Status, $"{name} (missing): expected {(int)pair.Status}, got {(int)missingStatus}: {Shorten(missingBody)}");
        Assert.Equal(Outcome(missingBody, Missing), Outcome(foreignBody, pair.ForeignId));
        AssertNoLeak(foreignBody, ResidentBMarkers, name);
        if (pair.Then is not null)
        {
            await pair.Then(fixture);
        }
    }

    /// <summary>
    /// The one documented oracle left (docs/access-enforcement.md): a conditional create whose only match is hidden answers
    /// 409 and writes nothing, while a criterion matching nothing creates (201). A writer can thus test whether an id
    /// exists; this pins the documented behaviour so that a change to it is deliberate.
    /// </summary>
    [Fact]
    public async Task ConditionalCreate_OnlyMatchHidden_409_DocumentedResidualOracle()
    {
        (HttpStatusCode hidden, string hiddenBody) = await fixture.SendAsync(Caller.PatientWriter, HttpMethod.Post, "Observation", LeakMatrix.ObservationFor(A, "5-1"), headers: [new("If-None-Exist", $"_id={B}-lab")]);
        (HttpStatusCode none, string noneBody) = await fixture.SendAsync(Caller.PatientWriter, HttpMethod.Post, "Observation", LeakMatrix.ObservationFor(A, "5-2"), headers: [new("If-None-Exist", $"_id={Missing}")]);

        Assert.True(hidden == HttpStatusCode.Conflict, $"{(int)hidden}: {Shorten(hiddenBody)}");
        Assert.True(none == HttpStatusCode.Created, $"{(int)none}: {Shorten(noneBody)}");
        AssertNoLeak(hiddenBody, ResidentBMarkers, "hidden match");
        (_, string written) = await fixture.SendAsync(Caller.HospitalA, HttpMethod.Get, "Observation?code=5-1&_total=accurate");
        Assert.Equal(0, Total(written));
        await LeakMatrix.BUnchanged(fixture);
    }

    private Task<(HttpStatusCode, string)> SendAsync(OraclePair pair, string id) =>
        fixture.SendAsync(pair.Caller, pair.Method, pair.Path.Replace("{id}", id, StringComparison.Ordinal), pair.Body?.Replace("{id}", id, StringComparison.Ordinal), pair.ContentType);

    /// <summary>The issues of an OperationOutcome (severity, code, diagnostics with the asked id made neutral), or the body's shape.</summary>
    private static string Outcome(string body, string id)
    {
        if (body.Length == 0 || body[0] != '{')
        {
            return body;
        }

        JsonNode node = JsonNode.Parse(body)!;
        if ((string?)node["resourceType"] != "OperationOutcome")
        {
            return $"{node["resourceType"]} total={node["total"]} entries={node["entry"]?.AsArray().Count ?? 0}";
        }

        return string.Join("|", node["issue"]!.AsArray().Select(i => $"{i!["severity"]}:{i["code"]}:{((string?)i["diagnostics"])?.Replace(id, "{id}", StringComparison.Ordinal)}"));
    }

    private static Dictionary<string, OraclePair> Build()
    {
        var pairs = new Dictionary<string, OraclePair>(StringComparer.Ordinal);
        foreach ((string type, string suffix) in Kinds)
        {
            string foreign = B + suffix;
            pairs.Add($"PatientToken.Read.{type}", new(Caller.Patient, HttpMethod.Get, $"{type}/{{id}}", foreign, HttpStatusCode.NotFound));
            pairs.Add($"PatientToken.Vread.{type}", new(Caller.Patient, HttpMethod.Get, $"{type}/{{id}}/_history/1", foreign, HttpStatusCode.NotFound));
            pairs.Add($"PatientToken.InstanceHistory.{type}", new(Caller.Patient, HttpMethod.Get, $"{type}/{{id}}/_history", foreign, HttpStatusCode.NotFound));
            pairs.Add($"PatientWriter.Delete.{type}", new(Caller.PatientWriter, HttpMethod.Delete, $"{type}/{{id}}", foreign, HttpStatusCode.NotFound) { Then = LeakMatrix.BUnchanged });
        }

        string lab = B + "-lab";
        pairs.Add("PatientToken.SearchById.Observation", new(Caller.Patient, HttpMethod.Get, "Observation?_id={id}&_total=accurate", lab, HttpStatusCode.OK));
        pairs.Add("PatientToken.Compartment.Observation", new(Caller.Patient, HttpMethod.Get, "Patient/{id}/Observation?_total=accurate", B, HttpStatusCode.OK));
        pairs.Add("PatientToken.Everything", new(Caller.Patient, HttpMethod.Get, "Patient/{id}/$everything", B, HttpStatusCode.NotFound));
        pairs.Add("PatientToken.EncounterEverything", new(Caller.Patient, HttpMethod.Get, "Encounter/{id}/$everything", B + "-enc", HttpStatusCode.NotFound));
        pairs.Add("PatientToken.ChainToPatientId", new(Caller.Patient, HttpMethod.Get, "Observation?subject:Patient._id={id}&_total=accurate", B, HttpStatusCode.OK));
        pairs.Add("PatientToken.HasOnObservationId", new(Caller.Patient, HttpMethod.Get, "Patient?_has:Observation:subject:_id={id}&_total=accurate", lab, HttpStatusCode.OK));
        pairs.Add("PatientToken.RevIncludeFromForeignId", new(Caller.Patient, HttpMethod.Get, "Patient?_id={id}&_revinclude=Observation:subject", B, HttpStatusCode.OK));
        pairs.Add("PatientToken.ValidateStored", new(Caller.Patient, HttpMethod.Get, "Observation/{id}/$validate", lab, HttpStatusCode.NotFound));
        pairs.Add("PatientToken.ValidateBodyOnly", new(Caller.Patient, HttpMethod.Post, "Observation/{id}/$validate", lab, HttpStatusCode.OK) { Body = LeakMatrix.ObservationFor(A, "4-2") });
        pairs.Add("PatientToken.BatchRead", new(Caller.Patient, HttpMethod.Post, string.Empty, lab, HttpStatusCode.OK) { Body = """{"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"GET","url":"Observation/{id}"}}]}""" });
        pairs.Add("PatientWriter.Update.Observation", new(Caller.PatientWriter, HttpMethod.Put, "Observation/{id}", lab, HttpStatusCode.NotFound)
        {
            Body = """{"resourceType":"Observation","id":"{id}","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/atk-a"}}""",
            Then = LeakMatrix.BUnchanged,
        });
        pairs.Add("PatientWriter.Patch.Observation", new(Caller.PatientWriter, HttpMethod.Patch, "Observation/{id}", lab, HttpStatusCode.NotFound)
        {
            Body = """[{"op":"replace","path":"/status","value":"cancelled"}]""",
            ContentType = "application/json-patch+json",
            Then = LeakMatrix.BUnchanged,
        });
        pairs.Add("PatientWriter.ConditionalDeleteById", new(Caller.PatientWriter, HttpMethod.Delete, "Condition?_id={id}", B + "-cond", HttpStatusCode.NoContent) { Then = LeakMatrix.BUnchanged });
        pairs.Add("PatientWriter.TransactionDelete", new(Caller.PatientWriter, HttpMethod.Post, string.Empty, B + "-cond", HttpStatusCode.NotFound)
        {
            Body = """{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"DELETE","url":"Condition/{id}"}}]}""",
            Then = LeakMatrix.BUnchanged,
        });
        pairs.Add("LabScope.OwnRecordOutsideCategory", new(Caller.LabOnly, HttpMethod.Get, "Observation/{id}", A + "-vital", HttpStatusCode.NotFound));
        pairs.Add("LabScope.NoScopeType.Patient", new(Caller.LabOnly, HttpMethod.Get, "Patient/{id}", B, HttpStatusCode.Forbidden));
        pairs.Add("LabScope.NoScopeType.Condition", new(Caller.LabOnly, HttpMethod.Get, "Condition/{id}", B + "-cond", HttpStatusCode.Forbidden));
        pairs.Add("PatientOnlySystem.NoScopeType.Observation", new(Caller.Registry, HttpMethod.Get, "Observation/{id}", lab, HttpStatusCode.Forbidden));
        pairs.Add("PatientOnlySystem.NoScopeType.ObservationHistory", new(Caller.Registry, HttpMethod.Get, "Observation/{id}/_history", lab, HttpStatusCode.Forbidden));
        pairs.Add("ObservationOnlySystem.NoScopeType.Patient", new(Caller.LabFeed, HttpMethod.Get, "Patient/{id}", B, HttpStatusCode.Forbidden));
        pairs.Add("ObservationOnlySystem.NoScopeType.Everything", new(Caller.LabFeed, HttpMethod.Get, "Patient/{id}/$everything", B, HttpStatusCode.Forbidden));
        pairs.Add("Practitioner.ReadOnlyToken.Delete", new(Caller.Practitioner, HttpMethod.Delete, "Observation/{id}", lab, HttpStatusCode.Forbidden) { Then = LeakMatrix.BUnchanged });
        return pairs;
    }
}

/// <summary>One request, sent once with B's id and once with an id that does not exist.</summary>
public sealed record OraclePair(string Caller, HttpMethod Method, string Path, string ForeignId, HttpStatusCode Status)
{
    public string? Body { get; init; }

    public string ContentType { get; init; } = "application/fhir+json";

    public Func<AttackFixture, Task>? Then { get; init; }

    public string? Bug { get; init; }
}

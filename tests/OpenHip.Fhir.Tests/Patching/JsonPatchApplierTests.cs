using System.Text;
using System.Text.Json.Nodes;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Patching;
using Xunit;

namespace OpenHip.Fhir.Tests.Patching;

public sealed class JsonPatchApplierTests
{
    private static readonly string PatientJson = """
        {
          "resourceType": "Patient",
          "id": "p1",
          "identifier": [ { "system": "urn:mrn", "value": "123" } ],
          "name": [
            { "use": "official", "family": "Chalmers", "given": [ "Peter", "James" ] },
            { "use": "usual", "given": [ "Jim" ] }
          ],
          "telecom": [
            { "system": "phone", "value": "555-0100", "use": "home" },
            { "system": "email", "value": "peter@example.org" }
          ],
          "gender": "male"
        }
        """;

    private static readonly string ObservationJson = """
        {
          "resourceType": "Observation",
          "id": "o1",
          "status": "final",
          "code": { "coding": [ { "system": "http://loinc.org", "code": "8480-6" } ] },
          "valueQuantity": { "value": 120, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]" }
        }
        """;

    [Fact]
    public void Add_NewMember_SetsValue()
    {
        JsonObject result = Apply(PatientJson, """[ { "op": "add", "path": "/birthDate", "value": "1974-12-25" } ]""");

        Assert.Equal("1974-12-25", (string?)result["birthDate"]);
    }

    [Fact]
    public void Add_ExistingMember_ReplacesValue()
    {
        JsonObject result = Apply(PatientJson, """[ { "op": "add", "path": "/gender", "value": "female" } ]""");

        Assert.Equal("female", (string?)result["gender"]);
    }

    [Fact]
    public void Add_ArrayIndex_InsertsBeforeExistingElement()
    {
        JsonObject result = Apply(PatientJson, """[ { "op": "add", "path": "/name/0", "value": { "family": "Windsor" } } ]""");

        JsonArray names = result["name"]!.AsArray();
        Assert.Equal(3, names.Count);
        Assert.Equal("Windsor", (string?)names[0]!["family"]);
        Assert.Equal("Chalmers", (string?)names[1]!["family"]);
    }

    [Fact]
    public void Add_DashIndex_AppendsTelecom()
    {
        JsonObject result = Apply(PatientJson, """[ { "op": "add", "path": "/telecom/-", "value": { "system": "phone", "value": "555-0199", "use": "mobile" } } ]""");

        JsonArray telecom = result["telecom"]!.AsArray();
        Assert.Equal(3, telecom.Count);
        Assert.Equal("555-0199", (string?)telecom[2]!["value"]);
    }

    [Fact]
    public void Add_IndexEqualToLength_Appends()
    {
        JsonObject result = Apply(PatientJson, """[ { "op": "add", "path": "/name/0/given/2", "value": "Jr" } ]""");

        Assert.Equal(["Peter", "James", "Jr"], result["name"]![0]!["given"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public void Add_IndexPastEnd_Unprocessable()
    {
        FhirException ex = AssertFails(PatientJson, """[ { "op": "add", "path": "/name/3", "value": { "family": "X" } } ]""");

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Add_MissingParent_Unprocessable()
    {
        FhirException ex = AssertFails(PatientJson, """[ { "op": "add", "path": "/contact/0/name", "value": { "family": "X" } } ]""");

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Remove_TelecomElement_RemovesIt()
    {
        JsonObject result = Apply(PatientJson, """[ { "op": "remove", "path": "/telecom/0" } ]""");

        JsonArray telecom = result["telecom"]!.AsArray();
        Assert.Single(telecom);
        Assert.Equal("email", (string?)telecom[0]!["system"]);
    }

    [Fact]
    public void Remove_Member_RemovesIt()
    {
        JsonObject result = Apply(PatientJson, """[ { "op": "remove", "path": "/gender" } ]""");

        Assert.False(result.ContainsKey("gender"));
    }

    [Fact]
    public void Remove_MissingMember_Unprocessable()
    {
        FhirException ex = AssertFails(PatientJson, """[ { "op": "remove", "path": "/birthDate" } ]""");

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Remove_IndexOutOfBounds_Unprocessable()
    {
        FhirException ex = AssertFails(PatientJson, """[ { "op": "remove", "path": "/telecom/2" } ]""");

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Remove_DashIndex_Unprocessable()
    {
        FhirException ex = AssertFails(PatientJson, """[ { "op": "remove", "path": "/telecom/-" } ]""");

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Remove_WholeDocument_Unprocessable()
    {
        FhirException ex = AssertFails(PatientJson, """[ { "op": "remove", "path": "" } ]""");

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Replace_ObservationValue_ChangesQuantity()
    {
        JsonObject result = Apply(ObservationJson, """[ { "op": "replace", "path": "/valueQuantity/value", "value": 135 } ]""");

        Assert.Equal(135, (int)result["valueQuantity"]!["value"]!);
        Assert.Equal("mmHg", (string?)result["valueQuantity"]!["unit"]);
    }

    [Fact]
    public void Replace_Member_KeepsMemberOrder()
    {
        JsonObject result = Apply(ObservationJson, """[ { "op": "replace", "path": "/status", "value": "amended" } ]""");

        Assert.Equal("amended", (string?)result["status"]);
        Assert.Equal(["resourceType", "id", "status", "code", "valueQuantity"], result.Select(p => p.Key));
    }

    [Fact]
    public void Replace_ArrayElement_ReplacesInPlace()
    {
        JsonObject result = Apply(PatientJson, """[ { "op": "replace", "path": "/name/0/given/1", "value": "Jacob" } ]""");

        Assert.Equal(["Peter", "Jacob"], result["name"]![0]!["given"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public void Replace_MissingMember_Unprocessable()
    {
        FhirException ex = AssertFails(ObservationJson, """[ { "op": "replace", "path": "/valueString", "value": "x" } ]""");

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Replace_WholeDocumentSameType_ReplacesResource()
    {
        JsonObject result = Apply(PatientJson, """[ { "op": "replace", "path": "", "value": { "resourceType": "Patient", "id": "p1", "active": true } } ]""");

        Assert.Equal(["resourceType", "id", "active"], result.Select(p => p.Key));
    }

    [Fact]
    public void Move_NameElement_Reorders()
    {
        JsonObject result = Apply(PatientJson, """[ { "op": "move", "from": "/name/1", "path": "/name/0" } ]""");

        JsonArray names = result["name"]!.AsArray();
        Assert.Equal("usual", (string?)names[0]!["use"]);
        Assert.Equal("official", (string?)names[1]!["use"]);
    }

    [Fact]
    public void Move_MemberToNewName_RemovesSource()
    {
        JsonObject result = Apply(ObservationJson, """[ { "op": "move", "from": "/valueQuantity/unit", "path": "/valueQuantity/comparator" } ]""");

        JsonObject quantity = result["valueQuantity"]!.AsObject();
        Assert.False(quantity.ContainsKey("unit"));
        Assert.Equal("mmHg", (string?)quantity["comparator"]);
    }

    [Fact]
    public void Move_IntoOwnChild_Unprocessable()
    {
        FhirException ex = AssertFails(PatientJson, """[ { "op": "move", "from": "/name/0", "path": "/name/0/given/0" } ]""");

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Move_MissingSource_Unprocessable()
    {
        FhirException ex = AssertFails(PatientJson, """[ { "op": "move", "from": "/contact", "path": "/link" } ]""");

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Copy_Identifier_AddsIndependentCopy()
    {
        JsonObject result = Apply(PatientJson, """
            [
              { "op": "copy", "from": "/identifier/0", "path": "/identifier/-" },
              { "op": "replace", "path": "/identifier/1/value", "value": "456" }
            ]
            """);

        JsonArray identifiers = result["identifier"]!.AsArray();
        Assert.Equal("123", (string?)identifiers[0]!["value"]);
        Assert.Equal("456", (string?)identifiers[1]!["value"]);
        Assert.Equal("urn:mrn", (string?)identifiers[1]!["system"]);
    }

    [Fact]
    public void Test_MatchingValue_AppliesFollowingOperations()
    {
        JsonObject result = Apply(PatientJson, """
            [
              { "op": "test", "path": "/name/0", "value": { "given": [ "Peter", "James" ], "family": "Chalmers", "use": "official" } },
              { "op": "replace", "path": "/name/0/family", "value": "Chalmers-Smith" }
            ]
            """);

        Assert.Equal("Chalmers-Smith", (string?)result["name"]![0]!["family"]);
    }

    [Fact]
    public void Test_EquivalentNumber_Succeeds()
    {
        JsonObject result = Apply(ObservationJson, """[ { "op": "test", "path": "/valueQuantity/value", "value": 120.0 } ]""");

        Assert.Equal(120, (int)result["valueQuantity"]!["value"]!);
    }

    [Fact]
    public void Test_Mismatch_UnprocessableAndInputUnchanged()
    {
        JsonObject resource = JsonNode.Parse(PatientJson)!.AsObject();
        JsonNode patch = JsonNode.Parse("""
            [
              { "op": "replace", "path": "/gender", "value": "female" },
              { "op": "remove", "path": "/telecom/0" },
              { "op": "test", "path": "/name/0/family", "value": "Someone Else" }
            ]
            """)!;

        FhirException ex = Assert.Throws<FhirException>(() => JsonPatchApplier.Apply(resource, patch));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
        Assert.Equal("/2", ex.Issues[0].Expression);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(PatientJson), resource));
    }

    [Fact]
    public void Apply_JsonObject_DoesNotModifyArgument()
    {
        JsonObject resource = JsonNode.Parse(PatientJson)!.AsObject();

        JsonObject result = JsonPatchApplier.Apply(resource, JsonNode.Parse("""[ { "op": "remove", "path": "/name" } ]""")!);

        Assert.False(result.ContainsKey("name"));
        Assert.True(resource.ContainsKey("name"));
    }

    [Fact]
    public void Apply_EscapedPointerTokens_AddressMembersWithSlashAndTilde()
    {
        const string Resource = """{ "resourceType": "Basic", "a/b": 1, "m~n": 2, "~1": 3 }""";

        JsonObject result = Apply(Resource, """
            [
              { "op": "replace", "path": "/a~1b", "value": 10 },
              { "op": "replace", "path": "/m~0n", "value": 20 },
              { "op": "replace", "path": "/~01", "value": 30 }
            ]
            """);

        Assert.Equal(10, (int)result["a/b"]!);
        Assert.Equal(20, (int)result["m~n"]!);
        Assert.Equal(30, (int)result["~1"]!);
    }

    [Fact]
    public void Apply_EmptyPatch_ReturnsSameContent()
    {
        JsonObject result = Apply(PatientJson, "[]");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(PatientJson), result));
    }

    [Fact]
    public void Apply_ReplaceResourceType_Unprocessable()
    {
        FhirException ex = AssertFails(PatientJson, """[ { "op": "replace", "path": "/resourceType", "value": "Practitioner" } ]""");

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
        Assert.Equal("resourceType", ex.Issues[0].Expression);
    }

    [Fact]
    public void Apply_RemoveResourceType_Unprocessable()
    {
        FhirException ex = AssertFails(PatientJson, """[ { "op": "remove", "path": "/resourceType" } ]""");

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Apply_ReplaceDocumentWithOtherType_Unprocessable()
    {
        FhirException ex = AssertFails(PatientJson, """[ { "op": "replace", "path": "", "value": { "resourceType": "Group" } } ]""");

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Apply_ReplaceDocumentWithArray_Unprocessable()
    {
        FhirException ex = AssertFails(PatientJson, """[ { "op": "replace", "path": "", "value": [] } ]""");

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Theory]
    [InlineData("""{ "op": "add", "path": "/x", "value": 1 }""")]
    [InlineData("""not json""")]
    [InlineData("""[ 42 ]""")]
    [InlineData("""[ { "op": "frobnicate", "path": "/gender" } ]""")]
    [InlineData("""[ { "path": "/gender" } ]""")]
    [InlineData("""[ { "op": 7, "path": "/gender" } ]""")]
    [InlineData("""[ { "op": "remove" } ]""")]
    [InlineData("""[ { "op": "replace", "path": "/gender" } ]""")]
    [InlineData("""[ { "op": "add", "path": "/gender" } ]""")]
    [InlineData("""[ { "op": "test", "path": "/gender" } ]""")]
    [InlineData("""[ { "op": "move", "path": "/gender" } ]""")]
    [InlineData("""[ { "op": "copy", "path": "/gender" } ]""")]
    [InlineData("""[ { "op": "remove", "path": "gender" } ]""")]
    [InlineData("""[ { "op": "remove", "path": "/a~2b" } ]""")]
    [InlineData("""[ { "op": "remove", "path": "/gender~" } ]""")]
    public void Apply_MalformedPatch_BadRequest(string patch)
    {
        FhirException ex = AssertFails(PatientJson, patch);

        Assert.Equal(FhirErrorKind.BadRequest, ex.Kind);
    }

    [Theory]
    [InlineData("/name/01")]
    [InlineData("/name/-1")]
    [InlineData("/name/x")]
    [InlineData("/name/99999999999")]
    public void Apply_MalformedArrayIndex_BadRequest(string path)
    {
        FhirException ex = AssertFails(PatientJson, $$"""[ { "op": "remove", "path": "{{path}}" } ]""");

        Assert.Equal(FhirErrorKind.BadRequest, ex.Kind);
    }

    [Fact]
    public void Apply_MalformedOperationAfterFailingTest_BadRequestBeforeApplying()
    {
        FhirException ex = AssertFails(PatientJson, """
            [
              { "op": "test", "path": "/gender", "value": "female" },
              { "op": "explode", "path": "/gender" }
            ]
            """);

        Assert.Equal(FhirErrorKind.BadRequest, ex.Kind);
        Assert.Equal("/1/op", ex.Issues[0].Expression);
    }

    [Fact]
    public void Apply_Bytes_ReturnsUtf8Json()
    {
        byte[] result = JsonPatchApplier.Apply(
            Encoding.UTF8.GetBytes(PatientJson),
            Encoding.UTF8.GetBytes("""[ { "op": "add", "path": "/active", "value": true } ]"""));

        JsonObject patched = JsonNode.Parse(result)!.AsObject();
        Assert.True((bool)patched["active"]!);
        Assert.Equal("p1", (string?)patched["id"]);
    }

    private static JsonObject Apply(string resource, string patch) =>
        JsonNode.Parse(JsonPatchApplier.Apply(Encoding.UTF8.GetBytes(resource), Encoding.UTF8.GetBytes(patch)))!.AsObject();

    private static FhirException AssertFails(string resource, string patch) =>
        Assert.Throws<FhirException>(() => JsonPatchApplier.Apply(Encoding.UTF8.GetBytes(resource), Encoding.UTF8.GetBytes(patch)));
}

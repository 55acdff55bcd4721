using OpenHip.Fhir.Access;
using OpenHip.Modules.Security.Features.Policy;

namespace OpenHip.Modules.Security.Tests.Policy;

public class ScopeParserTests
{
    private const AccessRights Rs = AccessRights.Read | AccessRights.Search;
    private const AccessRights Cud = AccessRights.Create | AccessRights.Update | AccessRights.Delete;

    public static TheoryData<string, string, string, AccessRights, string?> Valid => new()
    {
        { "patient/Observation.read", "Patient", "Observation", Rs, null },
        { "patient/Observation.write", "Patient", "Observation", Cud, null },
        { "user/Patient.*", "User", "Patient", AccessRights.All, null },
        { "system/*.read", "System", "*", Rs, null },
        { "patient/*.cruds", "Patient", "*", AccessRights.All, null },
        { "user/Observation.rs", "User", "Observation", Rs, null },
        { "system/Patient.r", "System", "Patient", AccessRights.Read, null },
        { "user/Encounter.cud", "User", "Encounter", Cud, null },
        { "patient/Condition.s", "Patient", "Condition", AccessRights.Search, null },
        { "user/Task.cu", "User", "Task", AccessRights.Create | AccessRights.Update, null },
        { "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory", "Patient", "Observation", Rs, "category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory" },
        { "user/Condition.r?code=http://hl7.org/fhir/sid/icd-10|J45&clinical-status=active", "User", "Condition", AccessRights.Read, "code=http://hl7.org/fhir/sid/icd-10|J45&clinical-status=active" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void TryParse_ValidScope_ParsesContextTypeRightsAndQuery(string scope, string context, string type, AccessRights rights, string? query)
    {
        Assert.True(ScopeParser.TryParse(scope, out SmartScope? parsed));
        Assert.Equal(new SmartScope(Enum.Parse<ScopeContext>(context), type, rights, query), parsed);
    }

    [Theory]
    [InlineData("openid")]
    [InlineData("launch/patient")]
    [InlineData("fhirUser")]
    [InlineData("offline_access")]
    [InlineData("patient/Observation")]
    [InlineData("patient/Observation.")]
    [InlineData("patient/Observation.sr")] // letters out of canonical order
    [InlineData("patient/Observation.rr")] // a letter twice
    [InlineData("patient/Observation.x")]
    [InlineData("patient/Observation.crudsx")]
    [InlineData("patient/Observation.READ")]
    [InlineData("patient/observation.read")] // types are case-sensitive
    [InlineData("patient/NoSuchType.read")]
    [InlineData("group/Observation.read")]
    [InlineData("Patient/Observation.read")]
    [InlineData("patient/Observation.read?category=laboratory")] // granular is v2 only
    [InlineData("patient/*.rs?category=laboratory")] // granular needs one type
    [InlineData("patient/Observation.rs?")]
    [InlineData("patient/Observation.rs extra")]
    [InlineData("/Observation.rs")]
    [InlineData("patient/.rs")]
    [InlineData("")]
    public void TryParse_InvalidScope_IsIgnored(string scope) => Assert.False(ScopeParser.TryParse(scope, out _));

    [Fact]
    public void ParseAll_MixedClaim_KeepsOnlyValidResourceScopes()
    {
        IReadOnlyList<SmartScope> scopes = ScopeParser.ParseAll("openid fhirUser launch/patient patient/Observation.rs  patient/Observation.sr user/Patient.read");

        Assert.Equal(
            [new SmartScope(ScopeContext.Patient, "Observation", Rs), new SmartScope(ScopeContext.User, "Patient", Rs)],
            scopes);
    }

    [Fact]
    public void ParseAll_NullOrBlank_IsEmpty()
    {
        Assert.Empty(ScopeParser.ParseAll(null));
        Assert.Empty(ScopeParser.ParseAll("   "));
    }
}

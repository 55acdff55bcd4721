namespace OpenHip.Modules.Security.Tests.Attacks;

/// <summary>
/// The HTTP data-leak matrix with real tokens (issue #8): each row is one caller on one path; it asserts the exact
/// status and that the body holds no foreign data (resident B's ids, references and name, or resources of types the
/// caller holds no scope for), and for write attacks that hospital B's records are unchanged afterwards.
/// </summary>
[Collection(AttackSuiteDefinition.Name)]
public sealed class LeakMatrixTests(AttackFixture fixture)
{
    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string name in LeakMatrix.Cases.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public async Task Attack(string name)
    {
        AttackCase c = LeakMatrix.Cases[name];
        Skip.If(c.Bug is not null, c.Bug);

        (System.Net.HttpStatusCode status, string body) = await fixture.SendAsync(c.Caller, c.Method, c.Path, c.Body, c.ContentType, c.Headers);

        Assert.True(status == c.Status, $"{name}: expected {(int)c.Status}, got {(int)status}: {Attacks.Attack.Shorten(body)}");
        Attacks.Attack.AssertNoLeak(body, c.Markers, name);
        c.Expect?.Invoke(body);
        if (c.Then is not null)
        {
            await c.Then(fixture);
        }
    }

    /// <summary>The markers work: hospital B's own view of resident B trips every one of them.</summary>
    [Fact]
    public async Task Markers_DetectResidentBData_InTheOwnersView()
    {
        (System.Net.HttpStatusCode status, string body) = await fixture.SendAsync(Caller.HospitalB, HttpMethod.Get, $"Patient/{Attacks.Attack.B}/$everything");

        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        string normalised = Attacks.Attack.Normalise(body);
        Assert.All(Attacks.Attack.ResidentBMarkers, marker => Assert.Contains(marker, normalised, StringComparison.Ordinal));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Attacks.Attack.AssertNoLeak(body, Attacks.Attack.ResidentBMarkers, "owner"));
    }
}

using OpenHip.Commands;

namespace OpenHip.Tests.Auth;

/// <summary>`openhip auth client|user|key` against a data directory, as an operator runs them.</summary>
[Collection(ConsoleOutput.Name)]
public sealed class AuthCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-auth-cli", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task Client_AddListRemove_RoundTrips()
    {
        Assert.Equal(0, (await RunAsync("auth", "client", "add", "lab-app", "--secret", "a-long-secret", "--grant", "authorization_code", "--grant", "refresh_token",
            "--redirect-uri", "https://lab.example/cb", "--scope", "user/*", "--source", "urn:oid:1.2.3")).Exit);
        (int duplicate, _, string duplicateError) = await RunAsync("auth", "client", "add", "lab-app", "--secret", "x-long-secret", "--grant", "client_credentials");
        (int listed, string list, _) = await RunAsync("auth", "client", "list");
        (int removed, _, _) = await RunAsync("auth", "client", "remove", "lab-app");
        (int again, _, _) = await RunAsync("auth", "client", "remove", "lab-app");
        (_, string after, _) = await RunAsync("auth", "client", "list");

        Assert.Equal(2, duplicate);
        Assert.Contains("already exists", duplicateError, StringComparison.Ordinal);
        Assert.Equal(0, listed);
        Assert.Contains("\"clientId\": \"lab-app\"", list, StringComparison.Ordinal);
        Assert.Contains("https://lab.example/cb", list, StringComparison.Ordinal);
        Assert.DoesNotContain("a-long-secret", list, StringComparison.Ordinal);
        Assert.Equal(0, removed);
        Assert.Equal(2, again);
        Assert.DoesNotContain("lab-app", after, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "auth.db")));
    }

    [Fact]
    public async Task Client_PublicWithClientCredentials_Refused()
    {
        (int exit, _, string error) = await RunAsync("auth", "client", "add", "bad", "--public", "--grant", "client_credentials");

        Assert.Equal(2, exit);
        Assert.Contains("confidential", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_AddListPasswordRemove_RoundTrips()
    {
        Assert.Equal(0, (await RunAsync("auth", "user", "add", "dr-li", "--password", "first password", "--kind", "practitioner",
            "--fhir-user", "Practitioner/li", "--role", "clinician", "--role", "physician", "--source", "urn:oid:9")).Exit);
        (int listed, string list, _) = await RunAsync("auth", "user", "list");
        (int changed, _, _) = await RunAsync("auth", "user", "password", "dr-li", "--password", "second password");
        (int shortPassword, _, _) = await RunAsync("auth", "user", "password", "dr-li", "--password", "short");
        (int badResident, _, string residentError) = await RunAsync("auth", "user", "add", "res", "--password", "long password", "--kind", "resident", "--fhir-user", "Practitioner/x");
        (int removed, _, _) = await RunAsync("auth", "user", "remove", "dr-li");
        (_, string after, _) = await RunAsync("auth", "user", "list");

        Assert.Equal(0, listed);
        Assert.Contains("\"userName\": \"dr-li\"", list, StringComparison.Ordinal);
        Assert.Contains("physician", list, StringComparison.Ordinal);
        Assert.DoesNotContain("first password", list, StringComparison.Ordinal);
        Assert.Equal(0, changed);
        Assert.Equal(2, shortPassword);
        Assert.Equal(2, badResident);
        Assert.Contains("Patient", residentError, StringComparison.Ordinal);
        Assert.Equal(0, removed);
        Assert.DoesNotContain("dr-li", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_RotateThenList_NewKeyActiveOldOneRetiring()
    {
        (int first, string rotated, _) = await RunAsync("auth", "key", "rotate", "--algorithm", "ES256");
        (int second, _, _) = await RunAsync("auth", "key", "rotate");
        (int listed, string keys, _) = await RunAsync("auth", "key", "list");

        Assert.Equal(0, first);
        Assert.Contains("ES256", rotated, StringComparison.Ordinal);
        Assert.Equal(0, second);
        Assert.Equal(0, listed);
        Assert.Contains("retires", keys, StringComparison.Ordinal);
        Assert.Contains("active", keys, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", keys, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        TextWriter output = Console.Out;
        TextWriter error = Console.Error;
        using var capturedOut = new StringWriter();
        using var capturedError = new StringWriter();
        Console.SetOut(capturedOut);
        Console.SetError(capturedError);
        try
        {
            int exit = await OpenHipCli.Build().Parse([.. args, "--data-dir", _directory]).InvokeAsync();
            return (exit, capturedOut.ToString(), capturedError.ToString());
        }
        finally
        {
            Console.SetOut(output);
            Console.SetError(error);
        }
    }
}

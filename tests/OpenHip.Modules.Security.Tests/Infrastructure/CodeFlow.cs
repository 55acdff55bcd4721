using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.IdentityModel.Tokens;

namespace OpenHip.Modules.Security.Tests.Infrastructure;

/// <summary>Drives the authorization code flow with HttpClient: authorize, the sign-in form, the redirect, the token request.</summary>
public static class CodeFlow
{
    public static (string Verifier, string Challenge) Pkce()
    {
        string verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static Dictionary<string, string> AuthorizeParameters(string clientId, string scope, string challenge, string method = "S256") => new()
    {
        ["response_type"] = "code",
        ["client_id"] = clientId,
        ["redirect_uri"] = TestClients.RedirectUri,
        ["scope"] = scope,
        ["state"] = "st-" + Guid.NewGuid().ToString("n")[..8],
        ["code_challenge"] = challenge,
        ["code_challenge_method"] = method,
        ["aud"] = string.Empty,
    };

    public static async Task<HttpResponseMessage> GetAuthorizeAsync(AuthServer server, Dictionary<string, string> parameters)
    {
        string query = string.Join('&', parameters.Where(p => p.Value.Length > 0).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        return await server.Client.GetAsync("auth/authorize?" + query);
    }

    /// <summary>Signs in at the form and returns the code from the redirect (asserting 302 to the registered URI with the state).</summary>
    public static async Task<string> SignInAsync(AuthServer server, Dictionary<string, string> parameters, string user, string? patient = null, string password = TestClients.Password)
    {
        using HttpResponseMessage page = await GetAuthorizeAsync(server, parameters);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<form", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using HttpResponseMessage redirect = await PostFormAsync(server, parameters, user, password, patient);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Uri location = redirect.Headers.Location!;
        Assert.StartsWith(TestClients.RedirectUri, location.ToString(), StringComparison.Ordinal);
        var query = HttpUtility.ParseQueryString(location.Query);
        Assert.Equal(parameters["state"], query["state"]);
        return query["code"] ?? throw new InvalidOperationException("no code in " + location);
    }

    public static Task<HttpResponseMessage> PostFormAsync(AuthServer server, Dictionary<string, string> parameters, string user, string password, string? patient)
    {
        var form = new Dictionary<string, string>(parameters.Where(p => p.Value.Length > 0))
        {
            ["username"] = user,
            ["password"] = password,
            ["decision"] = "allow",
        };
        if (patient is not null)
        {
            form["patient"] = patient;
        }

        return server.Client.PostAsync("auth/authorize", new FormUrlEncodedContent(form));
    }

    public static Task<(HttpStatusCode Status, JsonObject? Body, HttpResponseMessage Response)> RedeemAsync(AuthServer server, string clientId, string code, string? verifier, string? basic = null)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", TestClients.RedirectUri),
        };
        if (basic is null)
        {
            form.Add(new("client_id", clientId));
        }

        if (verifier is not null)
        {
            form.Add(new("code_verifier", verifier));
        }

        return server.PostTokenAsync(form, basic);
    }

    public static JsonObject Payload(string jwt)
    {
        string part = jwt.Split('.')[1];
        return JsonNode.Parse(Base64UrlEncoder.Decode(part))!.AsObject();
    }
}

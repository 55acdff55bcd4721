using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace OpenHip.Modules.Security.Tests.Http;

/// <summary>
/// Test-only: turns the <c>X-Test-Claims</c> header (a query string of claims, e.g. <c>sub=u&amp;scope=user/*.rs</c>)
/// into the authenticated caller, in front of the whole pipeline. Token issuing and validation are tested elsewhere;
/// these tests are about what a validated token's claims compile to.
/// </summary>
internal sealed class TestAuthentication : IStartupFilter
{
    public const string Header = "X-Test-Claims";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, proceed) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var value))
            {
                List<Claim> claims = [.. QueryHelpers.ParseQuery(value.ToString()).SelectMany(c => c.Value.Select(v => new Claim(c.Key, v ?? string.Empty)))];
                context.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "Test", "sub", "role"));
            }

            await proceed(context);
        });
        next(app);
    };
}

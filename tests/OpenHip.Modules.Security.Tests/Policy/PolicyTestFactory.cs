using System.Security.Claims;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Modules.Security.Features.Policy;

namespace OpenHip.Modules.Security.Tests.Policy;

/// <summary>The real compiler over the engine's real search parser, and claims as a token would carry them.</summary>
internal static class PolicyTestFactory
{
    private static readonly SearchRequestParser Parser =
        new(new SearchParameterRegistry(), Options.Create(new FhirEngineOptions { BaseUrl = "http://localhost/fhir" }));

    public static GranularFilterCompiler Granular { get; } = new(Parser, NullLogger<GranularFilterCompiler>.Instance);

    public static AccessPolicyCompiler Compiler(PolicyOptions? options = null)
    {
        options ??= new PolicyOptions();
        options.AddDefaults();
        return new AccessPolicyCompiler(Granular, Options.Create(options), NullLogger<AccessPolicyCompiler>.Instance);
    }

    public static CallerClaims Claims(params (string Type, string Value)[] claims) =>
        CallerClaims.From(new ClaimsPrincipal(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test")));
}

using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenHip.Modules.Security.Features.Authorization;
using OpenHip.Modules.Security.Features.Keys;
using OpenHip.Modules.Security.Persistence;

namespace OpenHip.Benchmarks.Security;

/// <summary>
/// The FHIR side's cost per request of checking a bearer token: a repeated token (the cache hit every request after a
/// client's first pays), and a token seen for the first time (full RS256 signature and claim validation).
/// </summary>
[MemoryDiagnoser]
public class TokenValidationBenchmarks
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-bench-auth", Guid.NewGuid().ToString("n"));
    private ServiceProvider _services = null!;
    private BearerTokenValidator _validator = null!;
    private BearerTokenValidator _uncached = null!;
    private string _token = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_directory);
        var options = new AuthOptions { FhirBaseUrl = "http://127.0.0.1:8080/fhir" };
        var services = new ServiceCollection();
        services.AddLogging();
        string path = Path.Combine(_directory, "auth.db");
        services.AddSingleton(new AuthDatabase(options => options.UseSqlite($"Data Source={path}")));
        services.AddAuthManagement(new AuthStoreOptions { SqlitePath = path });
        services.AddSingleton<KeyRing>();
        _services = services.BuildServiceProvider();
        _services.GetRequiredService<AuthSchemaMigrator>().MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        KeyRing keys = _services.GetRequiredService<KeyRing>();
        keys.LoadAsync("RS256", CancellationToken.None).GetAwaiter().GetResult();
        var external = new ExternalIssuers(options, _services.GetRequiredService<IHttpClientFactory>());
        _validator = new BearerTokenValidator(options, keys, external, TimeProvider.System);
        _uncached = new BearerTokenValidator(new AuthOptions { FhirBaseUrl = options.FhirBaseUrl, ValidationCacheSize = 0 }, keys, external, TimeProvider.System);
        _token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.ResolvedIssuer,
            Audience = options.FhirBaseUrl,
            TokenType = "at+jwt",
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "user-1",
                ["client_id"] = "bench",
                ["scope"] = "user/*.rs patient/Observation.rs launch/patient openid fhirUser",
                ["patient"] = "p-123",
                ["fhirUser"] = "Practitioner/1",
                ["role"] = new[] { "clinician", "physician" },
                ["openhip_source"] = "urn:oid:1.2.156.1",
            },
            SigningCredentials = new SigningCredentials(keys.SigningKeys[0], SecurityAlgorithms.RsaSha256),
        });
        if (_validator.ValidateAsync(_token, CancellationToken.None).AsTask().GetAwaiter().GetResult() is null)
        {
            throw new InvalidOperationException("the benchmark token does not validate");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "repeated token (cache hit)")]
    public async Task<bool> Cached() => await _validator.ValidateAsync(_token, CancellationToken.None) is not null;

    [Benchmark(Description = "first sight (RS256 signature + claims)")]
    public async Task<bool> Uncached() => await _uncached.ValidateAsync(_token, CancellationToken.None) is not null;
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Access;
using OpenHip.Modules.Security.Features.BreakGlass;
using OpenHip.Modules.Security.Features.Consent;

namespace OpenHip.Modules.Security.Features.Policy;

/// <summary>
/// The engine's <see cref="IAccessPolicyProvider"/>: one compiled policy per distinct set of claims, reused until a
/// consent or grant changes, a consent period or grant window boundary passes, or <see cref="PolicyOptions.CacheLifetime"/>
/// ends. A request costs a hash of its claims and a dictionary look-up.
/// </summary>
internal sealed class AccessPolicyProvider(
    AccessPolicyCompiler compiler,
    ConsentIndex consents,
    BreakGlassGrants grants,
    SecurityIndexLoader loader,
    TimeProvider time,
    IOptions<PolicyOptions> options) : IAccessPolicyProvider
{
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<AccessPolicy, CallerClaims> _callers = [];

    // The bearer validator hands out one principal per token for the token's life, so its claims and their key are
    // read once per token rather than once per request.
    private readonly ConditionalWeakTable<ClaimsPrincipal, KeyedClaims> _claims = [];

    public async ValueTask<AccessPolicy> GetPolicyAsync(ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        if (!loader.Ready.IsCompletedSuccessfully)
        {
            await loader.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        KeyedClaims keyed = _claims.GetValue(caller, principal => KeyedClaims.Of(CallerClaims.From(principal)));
        return Get(keyed.Claims, keyed.Key);
    }

    /// <summary>The claims a policy of this provider was compiled from (operations that need the caller, such as break-the-glass).</summary>
    public CallerClaims? CallerOf(AccessPolicy policy) => _callers.TryGetValue(policy, out CallerClaims? claims) ? claims : null;

    internal AccessPolicy Get(CallerClaims claims) => Get(claims, claims.Key());

    private AccessPolicy Get(CallerClaims claims, string key)
    {
        DateTimeOffset now = time.GetUtcNow();
        ConsentSnapshot snapshot = consents.Current;
        long grantGeneration = grants.Generation;
        if (_cache.TryGetValue(key, out Entry? cached) && cached.ConsentGeneration == snapshot.Generation && cached.GrantGeneration == grantGeneration && now < cached.ExpiresAt)
        {
            return cached.Policy;
        }

        IReadOnlyList<BreakGlassGrant> active = claims.IsSystem ? [] : grants.ActiveFor(claims.Subject, now);
        AccessPolicy policy = compiler.Compile(claims, snapshot, active, now);
        DateTimeOffset expires = now + options.Value.CacheLifetime;
        if (snapshot.NextChangeAfter(now) is { } change && change < expires)
        {
            expires = change;
        }

        foreach (BreakGlassGrant grant in active.Where(g => g.End < expires))
        {
            expires = grant.End;
        }

        if (_cache.Count >= options.Value.CacheSize)
        {
            _cache.Clear();
        }

        _callers.AddOrUpdate(policy, claims);
        _cache[key] = new Entry(policy, snapshot.Generation, grantGeneration, expires);
        return policy;
    }

    private sealed record KeyedClaims(CallerClaims Claims, string Key)
    {
        public static KeyedClaims Of(CallerClaims claims) => new(claims, claims.Key());
    }

    private sealed record Entry(AccessPolicy Policy, long ConsentGeneration, long GrantGeneration, DateTimeOffset ExpiresAt);
}

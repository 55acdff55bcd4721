using Microsoft.EntityFrameworkCore;
using OpenHip.Modules.Security.Persistence;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>
/// Records each validated client assertion's <c>jti</c> in the shared database until it expires; a second use, on
/// this node or any other, fails on the primary key and the request is refused. Runs after the signature check, so
/// nobody can burn another client's jti values with unsigned junk.
/// </summary>
internal sealed class ClientAssertionReplayGuard(AuthDbContext db, TimeProvider time, AuthOptions options)
    : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
        .AddFilter<OpenIddictServerHandlerFilters.RequireClientAssertionPrincipal>()
        .UseScopedHandler<ClientAssertionReplayGuard>()
        .SetOrder(OpenIddictServerHandlers.ValidateClientAssertionIssuer.Descriptor.Order + 500)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        System.Security.Claims.ClaimsPrincipal assertion = context.ClientAssertionPrincipal!;
        string? jti = assertion.GetClaim(Claims.JwtId);
        string? issuer = assertion.GetClaim(Claims.Issuer);
        DateTimeOffset expires = assertion.GetExpirationDate() ?? time.GetUtcNow() + options.MaxAssertionLifetime;
        if (jti is null || issuer is null)
        {
            context.Reject(Errors.InvalidClient, "the assertion has no jti");
            return;
        }

        DateTimeOffset now = time.GetUtcNow();
        db.UsedAssertions.Add(new UsedAssertion { Id = issuer + "\n" + jti, ExpiresAt = expires + options.ClockSkew });
        try
        {
            await db.SaveChangesAsync(context.CancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            context.Reject(Errors.InvalidClient, "this client assertion (jti) was already used");
            return;
        }

        // Expired entries can go: an assertion past its exp is refused before its jti matters.
        if (Random.Shared.Next(50) == 0)
        {
            await db.UsedAssertions.Where(u => u.ExpiresAt < now).ExecuteDeleteAsync(context.CancellationToken).ConfigureAwait(false);
        }
    }
}

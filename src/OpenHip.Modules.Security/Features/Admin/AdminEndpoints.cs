using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenHip.Modules.Security.Features.Clients;
using OpenHip.Modules.Security.Features.Users;

namespace OpenHip.Modules.Security.Features.Admin;

/// <summary>
/// <c>/admin/clients</c> and <c>/admin/users</c> (JSON, ProblemDetails on errors): the CLI's operations over HTTP,
/// for callers whose bearer token carries the <c>operator</c> role.
/// </summary>
internal static class AdminEndpoints
{
    public const string OperatorPolicy = "openhip-operator";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder admin = endpoints.MapGroup("/admin").RequireAuthorization(OperatorPolicy);
        admin.MapGet("/clients", async (ClientAdministration clients, CancellationToken ct) => Results.Ok(await clients.ListAsync(ct).ConfigureAwait(false)));
        admin.MapGet("/clients/{clientId}", async (string clientId, ClientAdministration clients, CancellationToken ct) =>
            await clients.FindAsync(clientId, ct).ConfigureAwait(false) is { } client ? Results.Ok(client) : Results.NotFound());
        admin.MapPost("/clients", async (ClientRegistration client, ClientAdministration clients, CancellationToken ct) =>
            await clients.AddAsync(client, ct).ConfigureAwait(false) is { } problem
                ? Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest)
                : Results.Created($"/admin/clients/{Uri.EscapeDataString(client.ClientId)}", await clients.FindAsync(client.ClientId, ct).ConfigureAwait(false)));
        admin.MapDelete("/clients/{clientId}", async (string clientId, ClientAdministration clients, CancellationToken ct) =>
            await clients.RemoveAsync(clientId, ct).ConfigureAwait(false) ? Results.NoContent() : Results.NotFound());

        admin.MapGet("/users", async (UserAdministration users, CancellationToken ct) => Results.Ok(await users.ListAsync(ct).ConfigureAwait(false)));
        admin.MapPost("/users", async (UserRegistration user, UserAdministration users, CancellationToken ct) =>
            await users.AddAsync(user, ct).ConfigureAwait(false) is { } problem
                ? Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest)
                : Results.Created($"/admin/users/{Uri.EscapeDataString(user.UserName)}", user with { Password = null }));
        admin.MapDelete("/users/{userName}", async (string userName, UserAdministration users, CancellationToken ct) =>
            await users.RemoveAsync(userName, ct).ConfigureAwait(false) ? Results.NoContent() : Results.NotFound());
    }
}

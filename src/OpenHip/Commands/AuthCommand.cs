using System.CommandLine;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenHip.Hosting;
using OpenHip.Modules.Security.Features.Clients;
using OpenHip.Modules.Security.Features.Keys;
using OpenHip.Modules.Security.Features.Users;
using OpenHip.Modules.Security.Persistence;

namespace OpenHip.Commands;

/// <summary>`openhip auth client|user|key ...`: clients, users and signing keys of the authorization server.</summary>
internal static class AuthCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create() => new("auth", "Authorization server: clients, users and keys") { ClientCommand(), UserCommand(), KeyCommand() };

    private static Command ClientCommand()
    {
        var id = new Argument<string>("client-id");
        var isPublic = new Option<bool>("--public") { Description = "A public client (no credentials; PKCE protects its codes)" };
        var secret = new Option<string?>("--secret") { Description = "Secret of a confidential symmetric client (client_secret_basic)" };
        var redirect = new Option<string[]>("--redirect-uri") { Description = "Allowed redirect URI (exact match); repeat for more" };
        var scope = new Option<string[]>("--scope") { Description = "Scope the client may get, e.g. patient/*.rs or system/* (trailing * = any suffix); repeat" };
        var grant = new Option<string[]>("--grant") { Description = "authorization_code, refresh_token or client_credentials; repeat" };
        var source = new Option<string?>("--source") { Description = "The client's institution (openhip_source claim, meta.source of its writes)" };
        var jwks = new Option<string?>("--jwks") { Description = "Inline JWKS JSON with the client's public keys, or @file" };
        var jwksUrl = new Option<string?>("--jwks-url") { Description = "JWKS URL (must be on Security:Auth:JwksUrlAllowList)" };
        var purpose = new Option<string[]>("--purpose") { Description = "Purpose of use the client may ask for (purpose_of_use); repeat" };
        var name = new Option<string?>("--name") { Description = "Display name shown on the sign-in page" };
        var add = new Command("add", "Register a client") { id, isPublic, secret, redirect, scope, grant, source, jwks, jwksUrl, purpose, name };
        Run(add, async (result, services, ct) =>
        {
            string? keys = result.GetValue(jwks);
            if (keys?.StartsWith('@') == true)
            {
                keys = await File.ReadAllTextAsync(keys[1..], ct).ConfigureAwait(false);
            }

            string? problem = await services.GetRequiredService<ClientAdministration>().AddAsync(new ClientRegistration
            {
                ClientId = result.GetValue(id)!,
                DisplayName = result.GetValue(name),
                Public = result.GetValue(isPublic),
                Secret = result.GetValue(secret),
                RedirectUris = result.GetValue(redirect) ?? [],
                Scopes = result.GetValue(scope) ?? [],
                GrantTypes = result.GetValue(grant) ?? [],
                Source = result.GetValue(source),
                Jwks = keys,
                JwksUrl = result.GetValue(jwksUrl),
                PurposesOfUse = result.GetValue(purpose) ?? [],
            }, ct).ConfigureAwait(false);
            return Report(problem, $"client {result.GetValue(id)} added");
        });

        var list = new Command("list", "List clients as JSON");
        Run(list, async (_, services, ct) =>
        {
            Console.WriteLine(JsonSerializer.Serialize(await services.GetRequiredService<ClientAdministration>().ListAsync(ct).ConfigureAwait(false), Json));
            return 0;
        });

        var removeId = new Argument<string>("client-id");
        var remove = new Command("remove", "Remove a client") { removeId };
        Run(remove, async (result, services, ct) =>
            Report(await services.GetRequiredService<ClientAdministration>().RemoveAsync(result.GetValue(removeId)!, ct).ConfigureAwait(false) ? null : "no such client", $"client {result.GetValue(removeId)} removed"));

        return new Command("client", "Manage OAuth clients") { add, list, remove };
    }

    private static Command UserCommand()
    {
        var userName = new Argument<string>("username");
        var password = new Option<string?>("--password") { Description = "Password (at least 8 characters); default: read from OPENHIP_PASSWORD" };
        var kind = new Option<string>("--kind") { Description = "practitioner, resident or operator", DefaultValueFactory = _ => UserKinds.Practitioner };
        var fhirUser = new Option<string?>("--fhir-user") { Description = "Practitioner/123, or a resident's Patient/456" };
        var role = new Option<string[]>("--role") { Description = "Role (one role claim each); repeat" };
        var source = new Option<string?>("--source") { Description = "The user's institution" };
        var purpose = new Option<string[]>("--purpose") { Description = "Purpose of use the user may ask for; repeat" };
        var add = new Command("add", "Add a user") { userName, password, kind, fhirUser, role, source, purpose };
        Run(add, async (result, services, ct) => Report(await services.GetRequiredService<UserAdministration>().AddAsync(new UserRegistration
        {
            UserName = result.GetValue(userName)!,
            Password = result.GetValue(password) ?? Environment.GetEnvironmentVariable("OPENHIP_PASSWORD"),
            Kind = result.GetValue(kind)!,
            FhirUser = result.GetValue(fhirUser),
            Roles = result.GetValue(role) ?? [],
            Source = result.GetValue(source),
            PurposesOfUse = result.GetValue(purpose) ?? [],
        }, ct).ConfigureAwait(false), $"user {result.GetValue(userName)} added"));

        var list = new Command("list", "List users as JSON (never passwords)");
        Run(list, async (_, services, ct) =>
        {
            Console.WriteLine(JsonSerializer.Serialize(await services.GetRequiredService<UserAdministration>().ListAsync(ct).ConfigureAwait(false), Json));
            return 0;
        });

        var removeName = new Argument<string>("username");
        var remove = new Command("remove", "Remove a user") { removeName };
        Run(remove, async (result, services, ct) =>
            Report(await services.GetRequiredService<UserAdministration>().RemoveAsync(result.GetValue(removeName)!, ct).ConfigureAwait(false) ? null : "no such user", $"user {result.GetValue(removeName)} removed"));

        var passwordName = new Argument<string>("username");
        var newPassword = new Option<string?>("--password") { Description = "New password; default: read from OPENHIP_PASSWORD" };
        var setPassword = new Command("password", "Set a user's password") { passwordName, newPassword };
        Run(setPassword, async (result, services, ct) => Report(
            await services.GetRequiredService<UserAdministration>().SetPasswordAsync(
                result.GetValue(passwordName)!, result.GetValue(newPassword) ?? Environment.GetEnvironmentVariable("OPENHIP_PASSWORD") ?? string.Empty, ct).ConfigureAwait(false),
            "password changed"));

        return new Command("user", "Manage users of the sign-in page") { add, list, remove, setPassword };
    }

    private static Command KeyCommand()
    {
        var algorithm = new Option<string>("--algorithm") { Description = "RS256 (default) or ES256", DefaultValueFactory = _ => "RS256" };
        var overlap = new Option<TimeSpan>("--overlap") { Description = "How long the replaced keys still validate (default 1 hour)", DefaultValueFactory = _ => TimeSpan.FromHours(1) };
        var rotate = new Command("rotate", "Add a new signing key; running nodes sign with it within a minute") { algorithm, overlap };
        Run(rotate, async (result, services, ct) =>
        {
            string alg = result.GetValue(algorithm)!;
            if (alg is not ("RS256" or "ES256"))
            {
                return Report("--algorithm must be RS256 or ES256", string.Empty);
            }

            StoredKey key = await KeyRing.RotateAsync(services.GetRequiredService<AuthDbContext>(), alg, result.GetValue(overlap), DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
            return Report(null, $"new signing key {key.Id} ({key.Algorithm})");
        });

        var list = new Command("list", "List keys (ids, use, algorithm, dates; never key material)");
        Run(list, async (_, services, ct) =>
        {
            foreach (StoredKey key in await services.GetRequiredService<AuthDbContext>().Keys.AsNoTracking().OrderBy(k => k.Use).ThenByDescending(k => k.CreatedAt).ToListAsync(ct).ConfigureAwait(false))
            {
                Console.WriteLine($"{key.Id}\t{key.Use}\t{key.Algorithm}\tcreated {key.CreatedAt:O}\t{(key.RetiresAt is { } at ? "retires " + at.ToString("O") : "active")}");
            }

            return 0;
        });
        return new Command("key", "Manage the server's signing keys") { rotate, list };
    }

    private static void Run(Command command, Func<ParseResult, IServiceProvider, CancellationToken, Task<int>> body)
    {
        var store = new StoreFlags();
        store.AddTo(command);
        command.SetAction(async (result, ct) => await AuthAdministrationHost.RunAsync(
            result.GetValue(store.Config), store.Overrides(result), (services, token) => body(result, services, token), ct).ConfigureAwait(false));
    }

    private static int Report(string? problem, string done)
    {
        if (problem is not null)
        {
            Console.Error.WriteLine($"openhip auth: {problem}");
            return 2;
        }

        Console.WriteLine(done);
        return 0;
    }
}

using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using OpenHip.Modules.Security.Features.Clients;
using OpenHip.Modules.Security.Features.Users;
using OpenHip.Modules.Security.Persistence;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>
/// The authorization endpoint after OpenIddict validated the request (client, exact redirect_uri, PKCE S256): shows
/// the sign-in form, checks the password, binds the launch context and issues the code.
/// </summary>
internal static partial class AuthorizeEndpoint
{
    public const string LaunchPatient = "launch/patient";

    public static async Task<IResult> HandleAsync(
        HttpContext context, ClientAdministration clients, UserAdministration users, AuthOptions options)
    {
        OpenIddictRequest request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("the OpenIddict request is missing");
        ClientRegistration client = (await clients.FindAsync(request.ClientId!, context.RequestAborted).ConfigureAwait(false))!;
        bool needsPatient = request.HasScope(LaunchPatient);
        string? decision = (string?)request["decision"];
        if (!HttpMethods.IsPost(context.Request.Method) || decision is null)
        {
            return Page(request, client, needsPatient, null, StatusCodes.Status200OK);
        }

        if (decision != "allow")
        {
            return Results.Forbid(Error(Errors.AccessDenied, "the user denied the request"), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        AuthUser? user = await users.VerifyAsync((string?)request["username"] ?? string.Empty, (string?)request["password"] ?? string.Empty, context.RequestAborted).ConfigureAwait(false);
        if (user is null)
        {
            return Page(request, client, needsPatient, "Wrong user name or password.", StatusCodes.Status401Unauthorized);
        }

        string? patient = null;
        if (needsPatient)
        {
            // A resident's launch is bound to their own record; a practitioner names the patient to open.
            patient = user.Kind == UserKinds.Resident ? user.FhirUser?["Patient/".Length..] : ((string?)request["patient"])?.Trim();
            if (string.IsNullOrEmpty(patient) || !PatientId().IsMatch(patient))
            {
                return Page(request, client, needsPatient, "Enter the id of the patient to open.", StatusCodes.Status400BadRequest);
            }
        }

        string? purpose = (string?)request["purpose_of_use"];
        if (purpose is not null && !user.PurposeList.Contains(purpose))
        {
            return Results.Forbid(Error(Errors.InvalidRequest, "purpose_of_use is not registered for this user"), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        ClaimsIdentity identity = SmartIdentity.Create();
        SmartIdentity.Add(identity, SmartClaims.Subject, user.Id);
        SmartIdentity.Add(identity, Claims.PreferredUsername, user.UserName);
        SmartIdentity.Add(identity, SmartClaims.FhirUser, user.FhirUser);
        SmartIdentity.Add(identity, SmartClaims.Patient, patient);
        SmartIdentity.Add(identity, SmartClaims.Source, client.Source ?? user.Source);
        SmartIdentity.Add(identity, SmartClaims.PurposeOfUse, purpose);
        foreach (string role in user.RoleList)
        {
            SmartIdentity.Add(identity, SmartClaims.Role, role);
        }

        IReadOnlyList<string> scopes = ScopeGrant.Grant(request.GetScopes(), client.Scopes);
        return Results.SignIn(SmartIdentity.Finish(identity, scopes, options.FhirBaseUrl), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    internal static AuthenticationProperties Error(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });

    private static IResult Page(OpenIddictRequest request, ClientRegistration client, bool needsPatient, string? error, int status) =>
        Results.Content(LoginPage.Render(request, client.DisplayName ?? client.ClientId, needsPatient, error), "text/html; charset=utf-8", statusCode: status);

    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex PatientId();
}

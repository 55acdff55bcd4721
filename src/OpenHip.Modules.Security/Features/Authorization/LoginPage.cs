using System.Net;
using System.Text;
using OpenIddict.Abstractions;

namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>
/// The sign-in and approval form: one page that posts the authorization request's parameters back to the
/// authorization endpoint with the user's credentials, the decision and, for a practitioner's patient launch, the patient.
/// </summary>
internal static class LoginPage
{
    /// <summary>Fields of the form that are not OAuth parameters (they are never echoed back in hidden inputs).</summary>
    public static readonly HashSet<string> OwnFields = new(StringComparer.Ordinal) { "username", "password", "decision", "patient" };

    public static string Render(OpenIddictRequest request, string clientName, bool needsPatient, string? error)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>OpenHIP sign-in</title>")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
            .Append(RedirectOrigin(request.RedirectUri)).Append("\">")
            .Append("<style>body{font-family:sans-serif;max-width:28em;margin:3em auto}label{display:block;margin:.6em 0}</style></head><body>")
            .Append("<h1>Sign in to OpenHIP</h1><p><b>").Append(Encode(clientName)).Append("</b> asks for: <code>")
            .Append(Encode(request.Scope ?? string.Empty)).Append("</code></p>");
        if (error is not null)
        {
            html.Append("<p role=\"alert\" style=\"color:#a00\">").Append(Encode(error)).Append("</p>");
        }

        html.Append("<form method=\"post\">");
        foreach (KeyValuePair<string, OpenIddictParameter> parameter in request.GetParameters())
        {
            if (!OwnFields.Contains(parameter.Key) && (string?)parameter.Value is { } value)
            {
                html.Append("<input type=\"hidden\" name=\"").Append(Encode(parameter.Key)).Append("\" value=\"").Append(Encode(value)).Append("\">");
            }
        }

        html.Append("<label>User name <input name=\"username\" autocomplete=\"username\" required></label>")
            .Append("<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>");
        if (needsPatient)
        {
            html.Append("<label>Patient id (practitioners: the patient to open; residents: leave empty) <input name=\"patient\"></label>");
        }

        html.Append("<button name=\"decision\" value=\"allow\">Sign in and allow</button> ")
            .Append("<button name=\"decision\" value=\"deny\" formnovalidate>Deny</button></form></body></html>");
        return html.ToString();
    }

    /// <summary>
    /// The (already validated, registered) redirect URI's origin as a CSP source: browsers apply <c>form-action</c> to
    /// the redirect that answers the form too, so <c>'self'</c> alone would block the way back to the app.
    /// </summary>
    private static string RedirectOrigin(string? redirectUri) =>
        Uri.TryCreate(redirectUri, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? " " + Encode(uri.GetLeftPart(UriPartial.Authority))
            : string.Empty;

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}

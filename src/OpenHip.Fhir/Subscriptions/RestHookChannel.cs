using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Search.Parsing;

namespace OpenHip.Fhir.Subscriptions;

/// <summary>
/// What a Subscription asks for, checked: criteria as a search on one type, a rest-hook endpoint on the allow-list, no
/// payload (a POST with no body) or <c>application/fhir+json</c> (the resource, PUT to <c>[endpoint]/[type]/[id]</c> as
/// R4 describes), and the extra headers (<c>Name: value</c>). Anything else is refused with a 422 when written.
/// </summary>
public sealed record RestHookChannel(
    string SubscriptionId,
    string Type,
    IReadOnlyList<KeyValuePair<string, string>> Criteria,
    Uri Endpoint,
    bool WithPayload,
    IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public const string FhirJson = "application/fhir+json";

    public static RestHookChannel Of(Subscription subscription, SubscriptionOptions options, SearchRequestParser parser)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parser);
        (string type, IReadOnlyList<KeyValuePair<string, string>> criteria) = ParseCriteria(subscription.Criteria, parser);
        Subscription.ChannelComponent channel = subscription.Channel
            ?? throw FhirException.Unprocessable("A Subscription needs a channel", "Subscription.channel");
        if (channel.Type != Subscription.SubscriptionChannelType.RestHook)
        {
            throw FhirException.Unprocessable($"Only rest-hook channels are supported, not {channel.TypeElement?.JsonValue ?? "none"}", "Subscription.channel.type");
        }

        Uri endpoint = Uri.TryCreate(channel.Endpoint, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw FhirException.Unprocessable("channel.endpoint must be an absolute http or https URL", "Subscription.channel.endpoint");
        if (!IsAllowed(endpoint, options.AllowedEndpoints))
        {
            throw FhirException.Unprocessable(
                $"{endpoint} is not an allowed notification endpoint (Fhir:Subscriptions:AllowedEndpoints): this server sends no request elsewhere",
                "Subscription.channel.endpoint");
        }

        bool payload = channel.Payload switch
        {
            null or "" => false,
            FhirJson => true,
            _ => throw FhirException.Unprocessable($"channel.payload may be empty or {FhirJson}, not {channel.Payload}", "Subscription.channel.payload"),
        };
        return new RestHookChannel(subscription.Id ?? string.Empty, type, criteria, endpoint, payload, [.. channel.Header.Select(h => Header(h ?? string.Empty))]);
    }

    /// <summary>Same scheme, host and port, and a path under the prefix's path.</summary>
    public static bool IsAllowed(Uri endpoint, IEnumerable<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(allowed);
        return allowed.Any(a => Uri.TryCreate(a, UriKind.Absolute, out Uri? prefix)
            && string.Equals(prefix.Scheme, endpoint.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(prefix.Host, endpoint.Host, StringComparison.OrdinalIgnoreCase)
            && prefix.Port == endpoint.Port
            && endpoint.AbsolutePath.StartsWith(prefix.AbsolutePath, StringComparison.Ordinal));
    }

    private static (string Type, IReadOnlyList<KeyValuePair<string, string>> Criteria) ParseCriteria(string? criteria, SearchRequestParser parser)
    {
        if (string.IsNullOrWhiteSpace(criteria))
        {
            throw FhirException.Unprocessable("A Subscription needs criteria (a search such as Observation?code=...)", "Subscription.criteria");
        }

        int query = criteria.IndexOf('?', StringComparison.Ordinal);
        string type = query < 0 ? criteria : criteria[..query];
        IReadOnlyList<KeyValuePair<string, string>> parameters = query < 0 ? [] : QueryStringEncoding.Parse(criteria[(query + 1)..]);
        if (!ModelInfo.IsKnownResource(type))
        {
            throw FhirException.Unprocessable($"Subscription criteria must start with a resource type, not '{type}'", "Subscription.criteria");
        }

        try
        {
            // Strict: a criterion the server would ignore would make the subscription fire for more than was asked.
            parser.Parse(SearchScope.ForType(type), parameters, SearchHandling.Strict);
        }
        catch (FhirException ex)
        {
            throw FhirException.Unprocessable($"Subscription criteria are not a valid search: {ex.Message}", "Subscription.criteria");
        }

        return (type, parameters);
    }

    private static KeyValuePair<string, string> Header(string header)
    {
        int colon = header.IndexOf(':', StringComparison.Ordinal);
        string name = colon > 0 ? header[..colon].Trim() : string.Empty;
        return name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && !header.Contains('\n', StringComparison.Ordinal)
            ? new(name, header[(colon + 1)..].Trim())
            : throw FhirException.Unprocessable($"channel.header '{header}' is not 'Name: value'", "Subscription.channel.header");
    }
}

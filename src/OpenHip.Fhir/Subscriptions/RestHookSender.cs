using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Resources;

namespace OpenHip.Fhir.Subscriptions;

/// <summary>
/// Sends one rest-hook notification. Redirects are not followed (a redirect could lead off the allow-list) and the
/// endpoint is checked against the allow-list again at send time, since the list may have changed since the write.
/// </summary>
public sealed class RestHookSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly IOptions<FhirEngineOptions> _options;

    public RestHookSender(IOptions<FhirEngineOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            Timeout = options.Value.Subscriptions.RequestTimeout,
        };
    }

    /// <summary>Null when the endpoint took it (2xx); otherwise why not.</summary>
    public async Task<string?> SendAsync(RestHookChannel channel, string type, string id, ReadOnlyMemory<byte>? resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (!RestHookChannel.IsAllowed(channel.Endpoint, _options.Value.Subscriptions.AllowedEndpoints))
        {
            return $"{channel.Endpoint} is no longer an allowed notification endpoint";
        }

        using HttpRequestMessage request = resource is { } json
            ? new HttpRequestMessage(HttpMethod.Put, new Uri($"{channel.Endpoint.AbsoluteUri.TrimEnd('/')}/{type}/{id}"))
            {
                Content = new ReadOnlyMemoryContent(json) { Headers = { ContentType = new MediaTypeHeaderValue(RestHookChannel.FhirJson) } },
            }
            : new HttpRequestMessage(HttpMethod.Post, channel.Endpoint);
        foreach ((string name, string value) in channel.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"{channel.Endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException ex)
        {
            return $"{channel.Endpoint} could not be reached: {ex.Message}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{channel.Endpoint} did not answer within {_http.Timeout.TotalSeconds:0} s";
        }
    }

    public void Dispose() => _http.Dispose();
}

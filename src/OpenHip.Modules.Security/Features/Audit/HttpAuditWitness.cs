using System.Net.Http.Headers;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>A witness service: each checkpoint line is POSTed (application/json) to one allow-listed URL.</summary>
internal sealed class HttpAuditWitness(HttpClient client, Uri url) : IAuditWitness
{
    public string Description => url.ToString();

    public async Task AppendAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        using var content = new StringContent(checkpoint.ToLine());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using HttpResponseMessage response = await client.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    public Task<long?> LastNumberAsync(string node, CancellationToken cancellationToken) => Task.FromResult<long?>(null);
}

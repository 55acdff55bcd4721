using Microsoft.Extensions.Hosting;
using OpenHip.Modules.Security.Features.BreakGlass;
using OpenHip.Modules.Security.Features.Consent;

namespace OpenHip.Modules.Security.Features.Policy;

/// <summary>
/// Loads the consent and grant indexes when the server starts. Policies wait for it: a request compiled before the
/// consents are known would show what a resident withheld.
/// </summary>
internal sealed class SecurityIndexLoader(ConsentIndex consents, BreakGlassGrants grants) : IHostedService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await consents.LoadAsync(cancellationToken).ConfigureAwait(false);
            await grants.LoadAsync(cancellationToken).ConfigureAwait(false);
            _ready.TrySetResult();
        }
        catch (Exception ex)
        {
            // Fail closed: every policy request fails until a restart loads the indexes.
            _ready.TrySetException(ex);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenHip.Fhir.Search.Terminology;

/// <summary>
/// Runs <see cref="TokenClosureMaintainer"/> at start and after each terminology change, in the background: until a pass
/// completes, <c>:below</c> on the changed systems answers from the resolved code set (correct, only slower).
/// </summary>
public sealed partial class TokenClosureService(
    TokenClosureMaintainer maintainer,
    ILogger<TokenClosureService> logger,
    ICodeAncestry? ancestry = null) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

    // Changes that arrive during a pass coalesce into one more pass.
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (ancestry is null)
        {
            return;
        }

        ancestry.Changed += OnChanged;
        try
        {
            _changes.Writer.TryWrite(true);
            while (await _changes.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                _changes.Reader.TryRead(out _);
                try
                {
                    await maintainer.CatchUpAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A failed pass leaves searches on the code-set path (correct); it is retried, not fatal.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    LogFailed(logger, exception);
                    await Task.Delay(RetryDelay, stoppingToken).ConfigureAwait(false);
                    _changes.Writer.TryWrite(true);
                }
            }
        }
        finally
        {
            ancestry.Changed -= OnChanged;
        }
    }

    private void OnChanged(object? sender, EventArgs e) => _changes.Writer.TryWrite(true);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Rebuilding :below closure rows failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

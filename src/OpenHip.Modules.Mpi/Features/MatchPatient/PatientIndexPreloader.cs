using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenHip.Modules.Mpi.Features.MatchPatient;

/// <summary>
/// Loads the match index and fits its model while the server starts taking other traffic, so that the first
/// <c>$match</c> or linking batch after a start does not wait for it (a million Patients took minutes on a busy
/// 2-core machine). Requests that need the index meanwhile wait for the same load; readiness does not, because reads and
/// writes need no index.
/// </summary>
internal sealed class PatientIndexPreloader(PatientIndex index, ILogger<PatientIndexPreloader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var elapsed = Stopwatch.StartNew();
        try
        {
            // Off the start-up thread: BackgroundService runs ExecuteAsync in line up to its first await.
            await Task.Yield();
            await index.CatchUpAsync(stoppingToken).ConfigureAwait(false);
            index.Model();
            MpiLog.IndexLoaded(logger, index.Count, elapsed.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The first request that needs the index loads it again and reports its own failure.
            MpiLog.IndexPreloadFailed(logger, ex);
        }
    }
}

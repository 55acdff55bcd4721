using Microsoft.Extensions.DependencyInjection;
using OpenHip.Modules.Mpi.Features.Rebuild;

namespace OpenHip.Modules.Mpi;

/// <summary>The MPI's command-line maintenance, for the composition root's <c>openhip mpi ...</c> commands.</summary>
public static class MpiMaintenance
{
    /// <summary>
    /// <c>openhip mpi rebuild</c>: re-links the whole population, printing progress to <paramref name="progress"/>;
    /// resumable. Returns 0, or 1 when a node holds the linking lease (the reason is printed).
    /// </summary>
    public static async Task<int> RebuildAsync(IServiceProvider services, TextWriter progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(progress);
        try
        {
            await services.GetRequiredService<PopulationRebuilder>().RunAsync(progress, null, ct).ConfigureAwait(false);
            return 0;
        }
        catch (InvalidOperationException ex)
        {
            await progress.WriteLineAsync("mpi rebuild: " + ex.Message).ConfigureAwait(false);
            return 1;
        }
    }
}

using System.CommandLine;
using OpenHip.Hosting;

namespace OpenHip.Commands;

/// <summary>`openhip mpi rebuild`: re-links the whole population against the configured store (after a model change), resumable.</summary>
internal static class MpiCommand
{
    public static Command Create()
    {
        var store = new StoreFlags();
        var rebuild = new Command("rebuild", "Re-link every Patient to its golden Person, reporting progress; continues where a crashed run stopped");
        store.AddTo(rebuild);
        rebuild.SetAction(async (result, ct) =>
            await OpenHipServer.RebuildMpiAsync(result.GetValue(store.Config), store.Overrides(result), ct).ConfigureAwait(false));
        return new Command("mpi", "Master patient index maintenance") { rebuild };
    }
}

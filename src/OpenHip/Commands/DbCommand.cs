using System.CommandLine;
using OpenHip.Hosting;

namespace OpenHip.Commands;

/// <summary>`openhip db migrate`: brings the configured store's schema up to date and exits, for deployments that migrate before starting nodes.</summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var store = new StoreFlags();
        var migrate = new Command("migrate", "Apply the missing schema migrations of the configured store and exit");
        store.AddTo(migrate);
        migrate.SetAction(async (result, ct) =>
            await OpenHipServer.MigrateAsync(result.GetValue(store.Config), store.Overrides(result), ct).ConfigureAwait(false));
        return new Command("db", "Database maintenance") { migrate };
    }
}

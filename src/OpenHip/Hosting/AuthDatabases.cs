using Microsoft.EntityFrameworkCore;
using OpenHip.Modules.Security.Persistence;

namespace OpenHip.Hosting;

/// <summary>The EF Core provider of the auth tables: the executable is the one place that knows the database drivers.</summary>
internal static class AuthDatabases
{
    public static AuthDatabase For(AuthStoreOptions store) => new(options =>
    {
        if (store.IsPostgres)
        {
            options.UseNpgsql(store.ConnectionString);
        }
        else
        {
            // Busy waits up to the command timeout: the CLI and a running server may write auth.db at once.
            options.UseSqlite($"Data Source={store.SqlitePath};Pooling=True;Default Timeout=30");
        }
    });
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace OpenHip.Modules.Security.Persistence;

public static class AuthStorageServiceCollectionExtensions
{
    /// <summary>The auth tables on SQLite or PostgreSQL, with OpenIddict's stores over them.</summary>
    public static IServiceCollection AddAuthStorage(this IServiceCollection services, AuthStoreOptions store)
    {
        services.AddSingleton(store);
        services.AddSingleton<AuthSchemaMigrator>();
        services.AddDbContext<AuthDbContext>(options =>
        {
            if (store.IsPostgres)
            {
                options.UseNpgsql(store.ConnectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_unused", store.Schema));
            }
            else
            {
                // Busy waits up to the command timeout: the CLI and a running server may write auth.db at once.
                options.UseSqlite($"Data Source={store.SqlitePath};Pooling=True;Default Timeout=30");
            }

            options.ReplaceService<IModelCacheKeyFactory, AuthModelCacheKeyFactory>();
            options.UseOpenIddict();
        });
        services.AddOpenIddict().AddCore(core => core.UseEntityFrameworkCore().UseDbContext<AuthDbContext>());
        return services;
    }
}

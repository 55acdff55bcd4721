using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace OpenHip.Modules.Security.Persistence;

public static class AuthStorageServiceCollectionExtensions
{
    /// <summary>The auth tables, with OpenIddict's stores over them; the caller registers the <see cref="AuthDatabase"/> provider.</summary>
    public static IServiceCollection AddAuthStorage(this IServiceCollection services, AuthStoreOptions store)
    {
        services.AddSingleton(store);
        services.AddSingleton<AuthSchemaMigrator>();
        services.AddDbContext<AuthDbContext>((provider, options) =>
        {
            provider.GetRequiredService<AuthDatabase>().Configure(options);
            options.ReplaceService<IModelCacheKeyFactory, AuthModelCacheKeyFactory>();
            options.UseOpenIddict();
        });
        services.AddOpenIddict().AddCore(core => core.UseEntityFrameworkCore().UseDbContext<AuthDbContext>());
        return services;
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace OpenHip.Modules.Security.Persistence;

/// <summary>One model per schema: EF caches models per context type, and the schema is configurable.</summary>
internal sealed class AuthModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        (context.GetType(), (context as AuthDbContext)?.Schema, context.Database.ProviderName, designTime);
}

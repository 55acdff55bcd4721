using Microsoft.EntityFrameworkCore;

namespace OpenHip.Modules.Security.Persistence;

/// <summary>
/// The EF Core provider of the auth tables (UseSqlite or UseNpgsql), given by the composition root: the module owns
/// its tables and migrations, but, like every module, references no database driver itself.
/// </summary>
public sealed class AuthDatabase(Action<DbContextOptionsBuilder> configure)
{
    public void Configure(DbContextOptionsBuilder options) => configure(options);
}

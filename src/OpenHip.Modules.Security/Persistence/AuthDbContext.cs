using Microsoft.EntityFrameworkCore;

namespace OpenHip.Modules.Security.Persistence;

/// <summary>
/// The authorization server's tables: OpenIddict's applications, authorizations, scopes and tokens, plus users, used
/// assertion ids and keys. The schema comes from the hand-written migrations in <c>Migrations/</c>, never from
/// EnsureCreated, so upgrades are versioned and keep data.
/// </summary>
public sealed class AuthDbContext(DbContextOptions<AuthDbContext> options, AuthStoreOptions store) : DbContext(options)
{
    public DbSet<AuthUser> Users => Set<AuthUser>();

    public DbSet<UsedAssertion> UsedAssertions => Set<UsedAssertion>();

    public DbSet<StoredKey> Keys => Set<StoredKey>();

    /// <summary>The schema is part of the model: the model cache key (see <see cref="AuthModelCacheKeyFactory"/>) includes it.</summary>
    internal string? Schema => store.IsPostgres ? store.Schema : null;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        if (Schema is not null)
        {
            modelBuilder.HasDefaultSchema(Schema);
        }

        modelBuilder.UseOpenIddict();
        modelBuilder.Entity<AuthUser>(user =>
        {
            user.ToTable("OpenHipUsers");
            user.HasKey(u => u.Id);
            user.Property(u => u.Id).HasMaxLength(100);
            user.Property(u => u.UserName).HasMaxLength(200).IsRequired();
            user.HasIndex(u => u.UserName).IsUnique();
            user.Property(u => u.Kind).HasMaxLength(20).IsRequired();
            user.Property(u => u.FhirUser).HasMaxLength(200);
            user.Property(u => u.Source).HasMaxLength(400);
            user.Ignore(u => u.RoleList);
            user.Ignore(u => u.PurposeList);
        });
        modelBuilder.Entity<UsedAssertion>(used =>
        {
            used.ToTable("OpenHipUsedAssertions");
            used.HasKey(u => u.Id);
            used.Property(u => u.Id).HasMaxLength(600);
            used.HasIndex(u => u.ExpiresAt);
        });
        modelBuilder.Entity<StoredKey>(key =>
        {
            key.ToTable("OpenHipKeys");
            key.HasKey(k => k.Id);
            key.Property(k => k.Id).HasMaxLength(100);
            key.Property(k => k.Use).HasMaxLength(10).IsRequired();
            key.Property(k => k.Algorithm).HasMaxLength(20).IsRequired();
            key.Property(k => k.Material).IsRequired();
        });

        if (!store.IsPostgres)
        {
            // SQLite cannot order or compare DateTimeOffset natively; store UTC ticks so expiry queries run in SQL.
            foreach (Microsoft.EntityFrameworkCore.Metadata.IMutableProperty property in modelBuilder.Model.GetEntityTypes()
                .SelectMany(t => t.GetProperties())
                .Where(p => p.ClrType == typeof(DateTimeOffset) || p.ClrType == typeof(DateTimeOffset?)))
            {
                property.SetValueConverter(new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter());
            }
        }
    }
}

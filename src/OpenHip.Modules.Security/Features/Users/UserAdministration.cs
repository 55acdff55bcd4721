using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenHip.Modules.Security.Persistence;

namespace OpenHip.Modules.Security.Features.Users;

/// <summary>Users of the login form: one implementation behind <c>openhip auth user</c>, <c>/admin/users</c> and sign-in.</summary>
public sealed partial class UserAdministration(AuthDbContext db, TimeProvider time)
{
    // PBKDF2 (HMAC-SHA512, 100k iterations in .NET 10's V3 format) with a random salt per password.
    private static readonly PasswordHasher<AuthUser> Hasher = new();

    // Compared against when the user does not exist, so a wrong user name costs as long as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(new AuthUser(), Guid.NewGuid().ToString());

    public async Task<string?> AddAsync(UserRegistration user, CancellationToken ct)
    {
        string? problem = Check(user);
        if (problem is not null)
        {
            return problem;
        }

        if (await db.Users.AnyAsync(u => u.UserName == user.UserName, ct).ConfigureAwait(false))
        {
            return $"user '{user.UserName}' already exists";
        }

        var entity = new AuthUser
        {
            UserName = user.UserName,
            Kind = user.Kind,
            FhirUser = user.FhirUser,
            Roles = string.Join(' ', user.Roles),
            Source = user.Source,
            PurposesOfUse = string.Join(' ', user.PurposesOfUse),
            CreatedAt = time.GetUtcNow(),
        };
        entity.PasswordHash = Hasher.HashPassword(entity, user.Password!);
        db.Users.Add(entity);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return null;
    }

    public async Task<IReadOnlyList<UserRegistration>> ListAsync(CancellationToken ct) =>
        [.. (await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct).ConfigureAwait(false)).Select(ToRegistration)];

    public async Task<bool> RemoveAsync(string userName, CancellationToken ct) =>
        await db.Users.Where(u => u.UserName == userName).ExecuteDeleteAsync(ct).ConfigureAwait(false) > 0;

    public async Task<string?> SetPasswordAsync(string userName, string password, CancellationToken ct)
    {
        if (password.Length < 8)
        {
            return "the password needs at least 8 characters";
        }

        AuthUser? user = await db.Users.SingleOrDefaultAsync(u => u.UserName == userName, ct).ConfigureAwait(false);
        if (user is null)
        {
            return $"no user '{userName}'";
        }

        user.PasswordHash = Hasher.HashPassword(user, password);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return null;
    }

    /// <summary>The user when the password matches; null otherwise (unknown user or wrong password alike).</summary>
    public async Task<AuthUser?> VerifyAsync(string userName, string password, CancellationToken ct)
    {
        AuthUser? user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == userName, ct).ConfigureAwait(false);
        PasswordVerificationResult result = Hasher.VerifyHashedPassword(user ?? new AuthUser(), user?.PasswordHash ?? DummyHash, password);
        return user is not null && result != PasswordVerificationResult.Failed ? user : null;
    }

    public Task<AuthUser?> FindByIdAsync(string id, CancellationToken ct) =>
        db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct);

    internal static UserRegistration ToRegistration(AuthUser user) => new()
    {
        UserName = user.UserName,
        Kind = user.Kind,
        FhirUser = user.FhirUser,
        Roles = user.RoleList,
        Source = user.Source,
        PurposesOfUse = user.PurposeList,
    };

    private static string? Check(UserRegistration user)
    {
        if (string.IsNullOrWhiteSpace(user.UserName) || user.UserName.Length > 200)
        {
            return "user name is required (at most 200 characters)";
        }

        if (!UserKinds.IsKnown(user.Kind))
        {
            return "kind must be practitioner, resident or operator";
        }

        if (user.Password is null || user.Password.Length < 8)
        {
            return "the password needs at least 8 characters";
        }

        if (user.FhirUser is not null && !FhirReference().IsMatch(user.FhirUser))
        {
            return "fhirUser must be a reference like Practitioner/123 or Patient/456";
        }

        if (user.Kind == UserKinds.Resident && user.FhirUser?.StartsWith("Patient/", StringComparison.Ordinal) != true)
        {
            return "a resident's fhirUser must be their Patient (Patient/<id>): their launches are bound to it";
        }

        if (user.Roles.Any(r => r.Contains(' ', StringComparison.Ordinal)) || user.PurposesOfUse.Any(p => p.Contains(' ', StringComparison.Ordinal)))
        {
            return "roles and purposes of use are single words";
        }

        return null;
    }

    [GeneratedRegex("^(Practitioner|PractitionerRole|Patient|RelatedPerson|Person)/[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex FhirReference();
}

using Microsoft.Extensions.Options;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Fhir.Storage.Sqlite;

namespace OpenHip.Hosting;

/// <summary>Start-up checks of the store selection, naming the setting to fix (never echoing a connection string).</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (!options.IsSqlite && !options.IsPostgres)
        {
            return ValidateOptionsResult.Fail(
                $"{StorageOptions.ProviderKey}: '{options.Provider}' is not a store; use '{StorageOptions.SqliteProvider}' (the default) or '{StorageOptions.Postgres}'");
        }

        if (options.IsPostgres && options.PostgreSql.ConnectionStringProblem() is { } problem)
        {
            return ValidateOptionsResult.Fail(
                $"{PostgreSqlStoreOptions.ConnectionStringKey}: {problem} when {StorageOptions.ProviderKey} is '{StorageOptions.Postgres}' (--connection \"Host=...;Database=...;Username=...\")");
        }

        if (options.IsSqlite)
        {
            List<System.ComponentModel.DataAnnotations.ValidationResult> results = [];
            if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options.Sqlite, new(options.Sqlite), results, validateAllProperties: true))
            {
                return ValidateOptionsResult.Fail(results.Select(r => $"{SqliteStoreOptions.SectionName}:{string.Join(',', r.MemberNames)}: {r.ErrorMessage}"));
            }
        }

        if (options.IsPostgres)
        {
            List<System.ComponentModel.DataAnnotations.ValidationResult> results = [];
            if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options.PostgreSql, new(options.PostgreSql), results, validateAllProperties: true))
            {
                return ValidateOptionsResult.Fail(results.Select(r => $"{PostgreSqlStoreOptions.SectionName}:{string.Join(',', r.MemberNames)}: {r.ErrorMessage}"));
            }
        }

        return ValidateOptionsResult.Success;
    }
}

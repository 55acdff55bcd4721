using Microsoft.Extensions.Options;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Hosting;

/// <summary>
/// <c>openhip audit verify</c> without starting the server: opens the configured store, reads the witness, checks.
/// Exit codes: 0 intact, 1 tampered (every finding printed, each with the first affected record), 2 cannot run.
/// </summary>
internal static class AuditVerification
{
    public static async Task<int> RunAsync(
        string? configFile,
        IReadOnlyDictionary<string, string?> overrides,
        string? witnessPath,
        string? publicKeyHex,
        TextWriter output,
        TextWriter error,
        CancellationToken ct)
    {
        var configuration = new ConfigurationManager();
        OpenHipServer.AddSources(configuration, configFile, overrides);
        ServerOptions server;
        StorageOptions storage;
        AuditLogOptions audit;
        try
        {
            server = OpenHipServer.Bind<ServerOptions>(configuration, ServerOptions.SectionName, null);
            storage = OpenHipServer.Bind<StorageOptions>(configuration, StorageOptions.SectionName, new StorageOptionsValidator());
            audit = OpenHipServer.Bind<AuditLogOptions>(configuration, AuditLogOptions.SectionName, null);
        }
        catch (OptionsValidationException ex)
        {
            return await OpenHipServer.ReportInvalidAsync(ex).ConfigureAwait(false);
        }

        audit.DataDirectory = server.DataDirectory;
        string witness = witnessPath ?? audit.WitnessPath ?? AuditLogOptions.DefaultWitnessPath(server.DataDirectory);
        byte[]? trusted;
        try
        {
            trusted = publicKeyHex is not null
                ? Convert.FromHexString(publicKeyHex)
                : AuditLogVerifier.SigningPublicKeyIn(audit.SigningKeyPath ?? Path.Combine(server.DataDirectory, "audit-signing.key"));
        }
        catch (Exception ex) when (ex is FormatException or IOException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"openhip audit verify: cannot read the audit public key: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        if (!storage.IsPostgres && !File.Exists(Path.Combine(server.DataDirectory, "openhip.db")))
        {
            await error.WriteLineAsync($"openhip audit verify: no database in {Path.GetFullPath(server.DataDirectory)}").ConfigureAwait(false);
            return 2;
        }

        IFhirStore store;
        try
        {
            store = await Stores.OpenAsync(storage, server, ct).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any failure to reach the store is "cannot run" (exit 2), with its message.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"openhip audit verify: cannot open the store: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        try
        {
            if (store is not IAuditLog log)
            {
                await error.WriteLineAsync("openhip audit verify: the configured store keeps no audit log").ConfigureAwait(false);
                return 2;
            }

            // Read before and after the log's checkpoint copies, so that a server running meanwhile is not taken for tampering.
            string[]? lines = null;
            AuditVerificationReport report = await new AuditLogVerifier(log).VerifyAsync(
                async token =>
                {
                    lines = File.Exists(witness) ? await File.ReadAllLinesAsync(witness, token).ConfigureAwait(false) : null;
                    return lines;
                },
                trusted,
                ct).ConfigureAwait(false);
            string summary = $"{report.Chains} chains, {report.Rows} records, {report.Checkpoints} checkpoints (witness {Path.GetFullPath(witness)}{(lines is null ? ", missing" : string.Empty)})";
            if (report.Intact)
            {
                await output.WriteLineAsync($"audit log intact: {summary}").ConfigureAwait(false);
                return 0;
            }

            await output.WriteLineAsync($"audit log TAMPERED: {summary}").ConfigureAwait(false);
            foreach (AuditFinding finding in report.Findings)
            {
                await output.WriteLineAsync("  " + finding).ConfigureAwait(false);
            }

            return 1;
        }
        finally
        {
            await Stores.DisposeAsync(store).ConfigureAwait(false);
        }
    }
}

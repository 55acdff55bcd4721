using System.CommandLine;
using OpenHip.Hosting;

namespace OpenHip.Commands;

/// <summary>`openhip audit verify`: checks the audit log's hash chains against the signed checkpoints of the witness.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var store = new StoreFlags();
        var witness = new Option<string?>("--witness")
        {
            Description = "The checkpoint witness file (default Security:Audit:WitnessPath, else <data dir>.audit-witness.jsonl)",
        };
        var publicKey = new Option<string?>("--public-key")
        {
            Description = "Hex SM2 public key every checkpoint must be signed with (default: the key in Security:Audit:SigningKeyPath when present)",
        };
        var verify = new Command("verify", "Check every audit chain and checkpoint; exit 0 intact, 1 tampered (first affected record printed), 2 cannot run")
        {
            witness,
            publicKey,
        };
        store.AddTo(verify);
        verify.SetAction(async (result, ct) =>
        {
            Dictionary<string, string?> overrides = store.Overrides(result);
            return await AuditVerification.RunAsync(
                result.GetValue(store.Config), overrides, result.GetValue(witness), result.GetValue(publicKey), Console.Out, Console.Error, ct).ConfigureAwait(false);
        });
        return new Command("audit", "The tamper-evident audit log") { verify };
    }
}

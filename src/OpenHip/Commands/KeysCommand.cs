using System.CommandLine;
using OpenHip.Hosting;
using OpenHip.Modules.Security.Features.FieldEncryption;

namespace OpenHip.Commands;

/// <summary>
/// `openhip keys`: field-encryption key management. `rotate` makes a new data key current for new writes while servers
/// keep running (old keys stay for reading); `new-kek` prints a fresh key-encryption key to put in the environment.
/// </summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var store = new StoreFlags();
        var rotate = new Command("rotate", "Create a new field-encryption data key for new writes; values under older keys stay readable");
        store.AddTo(rotate);
        rotate.SetAction(async (result, ct) =>
            await OpenHipServer.RotateKeysAsync(result.GetValue(store.Config), store.Overrides(result), ct).ConfigureAwait(false));

        var newKek = new Command("new-kek", "Print a random key-encryption key (32 hex digits) for Security:FieldEncryption:Kek");
        newKek.SetAction(_ => Console.WriteLine(FieldEncryption.NewKeyEncryptionKey()));
        return new Command("keys", "Field-encryption key management") { rotate, newKek };
    }
}

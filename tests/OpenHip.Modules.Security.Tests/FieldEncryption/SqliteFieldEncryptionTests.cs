using System.Text;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Modules.Security.Tests.FieldEncryption;

public sealed class SqliteFieldEncryptionTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-field-encryption", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task ProtectedValues_AbsentFromDatabaseFiles_ExactSearchWorks()
    {
        ProtectedPatient[] patients;
        await using (EncryptedServer server = await EncryptedServer.StartAsync(EncryptedServer.SettingsFor(_directory)))
        {
            patients = await EncryptedScenario.WriteAndSearchAsync(server);
        }

        byte[] files = ReadDatabaseFiles();
        foreach (ProtectedPatient patient in patients)
        {
            // The scan sees what is stored in plain: the family name (not protected) is there.
            Assert.True(files.AsSpan().IndexOf(Encoding.UTF8.GetBytes(patient.Family)) >= 0, "the scan must find unprotected text");
            foreach (string secret in patient.Secrets)
            {
                Assert.True(files.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"a protected value is stored in plain ({secret.Length} chars)");
            }
        }
    }

    [Fact]
    public async Task Restart_SameKek_ReadsAndFindsEarlierValues()
    {
        ProtectedPatient patient = ProtectedPatient.NewUnique();
        await using (EncryptedServer first = await EncryptedServer.StartAsync(EncryptedServer.SettingsFor(_directory)))
        {
            await first.SendAsync(HttpMethod.Post, "Patient", patient.ToJson());
        }

        await using EncryptedServer second = await EncryptedServer.StartAsync(EncryptedServer.SettingsFor(_directory));
        Assert.Equal(1, await second.CountAsync($"Patient?identifier={ProtectedPatient.ResidentSystem}|{patient.ResidentId}"));
    }

    [Fact]
    public async Task Start_WrongKek_RefusesWithClearMessage()
    {
        await using (EncryptedServer first = await EncryptedServer.StartAsync(EncryptedServer.SettingsFor(_directory)))
        {
            await first.SendAsync(HttpMethod.Post, "Patient", ProtectedPatient.NewUnique().ToJson());
        }

        Dictionary<string, string?> wrong = EncryptedServer.SettingsFor(_directory, new Dictionary<string, string?>
        {
            ["Security:FieldEncryption:Kek"] = "ffeeddccbbaa99887766554433221100",
        });

        CryptoStartupException ex = await Assert.ThrowsAsync<CryptoStartupException>(() => EncryptedServer.StartAsync(wrong));
        Assert.Contains("key-encryption key does not open the keys in the store", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_KekRemovedFromConfiguration_RefusesWithClearMessage()
    {
        await using (EncryptedServer first = await EncryptedServer.StartAsync(EncryptedServer.SettingsFor(_directory)))
        {
            await first.SendAsync(HttpMethod.Post, "Patient", ProtectedPatient.NewUnique().ToJson());
        }

        Dictionary<string, string?> none = EncryptedServer.SettingsFor(_directory, new Dictionary<string, string?> { ["Security:FieldEncryption:Kek"] = "" });

        CryptoStartupException ex = await Assert.ThrowsAsync<CryptoStartupException>(() => EncryptedServer.StartAsync(none));
        Assert.Contains("no key-encryption key is configured", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MalformedKek_RefusesWithClearMessage()
    {
        Dictionary<string, string?> bad = EncryptedServer.SettingsFor(_directory, new Dictionary<string, string?> { ["Security:FieldEncryption:Kek"] = "not-a-key" });

        CryptoStartupException ex = await Assert.ThrowsAsync<CryptoStartupException>(() => EncryptedServer.StartAsync(bad));
        Assert.Contains("16-byte SM4 key", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private byte[] ReadDatabaseFiles()
    {
        using var all = new MemoryStream();
        foreach (string file in Directory.GetFiles(_directory, "openhip.db*"))
        {
            using FileStream stream = new(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.CopyTo(all);
        }

        return all.ToArray();
    }
}

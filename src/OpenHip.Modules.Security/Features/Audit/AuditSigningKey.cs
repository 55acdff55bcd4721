using System.Text.Json;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// The SM2 key that signs checkpoints. Created on first start in a file only the server's user can read; its public
/// key travels in every checkpoint, and verification insists that one key signed the whole series.
/// </summary>
internal sealed class AuditSigningKey
{
    private readonly byte[] _privateKey;

    // Kept rather than rebuilt from the scalar for every checkpoint: that is a curve multiplication each time.
    private readonly Sm2KeyPair _pair;

    private AuditSigningKey(byte[] privateKey)
    {
        _privateKey = privateKey;
        _pair = Sm2KeyPair.FromPrivateKey(privateKey);
        PublicKey = _pair.PublicKey;
        PublicKeyHex = Convert.ToHexStringLower(PublicKey);
        KeyId = PublicKeyHex.Length > 16 ? Convert.ToHexStringLower(AuditChainCrypto.Hash(PublicKey))[..16] : PublicKeyHex;
    }

    public byte[] PublicKey { get; }

    public string PublicKeyHex { get; }

    /// <summary>A short name of the key for logs (the start of SM3 of the public key).</summary>
    public string KeyId { get; }

    public byte[] Sign(ReadOnlySpan<byte> data) => AuditChainCrypto.Sign(_pair, data);

    public static AuditSigningKey Generate() => new(AuditChainCrypto.GenerateKeyPair().PrivateKey);

    /// <summary>Reads the key file, creating it (and reporting <paramref name="created"/>) when missing.</summary>
    public static AuditSigningKey LoadOrCreate(string path, out bool created)
    {
        if (File.Exists(path))
        {
            created = false;
            return Read(path);
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        AuditSigningKey key = Generate();
        string json = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["curve"] = "sm2p256v1",
            ["private"] = Convert.ToHexStringLower(key._privateKey),
            ["public"] = key.PublicKeyHex,
        });
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(json);
        }

        created = true;
        return key;
    }

    /// <summary>The public key of a key file (what verification pins), or null when there is none.</summary>
    public static byte[]? PublicKeyIn(string path) => File.Exists(path) ? Read(path).PublicKey : null;

    private static AuditSigningKey Read(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        string hex = document.RootElement.GetProperty("private").GetString()
            ?? throw new InvalidDataException($"{path} holds no private key");
        return new AuditSigningKey(Convert.FromHexString(hex));
    }
}

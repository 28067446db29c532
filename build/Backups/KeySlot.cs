using Konscious.Security.Cryptography;
using Pipeline.Engine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Backups;

/// <summary>
/// One way into an encrypted repository, stored in the clear as <c>keys/&lt;id&gt;.json</c>: the master key wrapped with
/// AES-256-GCM under a key derived from a passphrase (Argon2id, 64 MiB, 3 passes, 2 lanes: memory-hard, so each guess
/// costs 64 MiB and about half a second) or from a key file (HKDF-SHA256 of its 256 random bits). Adding or removing a
/// slot never touches the data: every slot wraps the same master key.
/// </summary>
public sealed record KeySlot(int Format, string Id, string Kind, string Kdf, int MemoryKiB, int Iterations, int Parallelism,
    string Salt, string Wrapped, DateTimeOffset CreatedAt, string Host)
{
    public const string PassphraseKind = "passphrase", KeyFileKind = "key-file";
    public const int Argon2MemoryKiB = 64 << 10, Argon2Iterations = 3, Argon2Parallelism = 2;

    public string Key => RepositoryLayout.KeySlot(Id);

    public static async Task<KeySlot> CreateAsync(string repositoryId, byte[] master, Credential credential, CancellationToken ct)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var slot = new KeySlot(1, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), credential.Kind,
            credential.Kind == PassphraseKind ? "argon2id" : "hkdf-sha256", Argon2MemoryKiB, Argon2Iterations, Argon2Parallelism,
            Convert.ToBase64String(salt), "", DateTimeOffset.UtcNow, Environment.MachineName);
        var kek = await slot.KeyEncryptionKeyAsync(credential, salt, ct);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var wrapped = new byte[12 + 32 + 16];
        using var aes = new AesGcm(kek, 16);
        aes.Encrypt(nonce, master, wrapped.AsSpan(12, 32), wrapped.AsSpan(44, 16), slot.AssociatedData(repositoryId));
        nonce.CopyTo(wrapped, 0);
        return slot with { Wrapped = Convert.ToBase64String(wrapped) };
    }

    /// <summary>The master key, or null when the credential does not open this slot (or the slot was changed).</summary>
    public async Task<byte[]?> UnwrapAsync(string repositoryId, Credential credential, CancellationToken ct)
    {
        if (credential.Kind != Kind) return null;
        // A changed character may leave no base64 (System.Text.Json writes '+' as \u002B): a damaged slot, like a failed tag.
        var wrapped = new byte[60];
        var salt = new byte[Salt.Length];
        if (!Convert.TryFromBase64String(Wrapped, wrapped, out var length) || length != 60
            || !Convert.TryFromBase64String(Salt, salt, out var saltLength)) return null;
        var kek = await KeyEncryptionKeyAsync(credential, salt[..saltLength], ct);
        var master = new byte[32];
        using var aes = new AesGcm(kek, 16);
        try { aes.Decrypt(wrapped.AsSpan(0, 12), wrapped.AsSpan(12, 32), wrapped.AsSpan(44, 16), master, AssociatedData(repositoryId)); }
        catch (AuthenticationTagMismatchException) { return null; }
        return master;
    }

    /// <summary>Everything but the wrapped key is authenticated with it: a slot's parameters cannot be changed unnoticed.</summary>
    private byte[] AssociatedData(string repositoryId) => Encoding.UTF8.GetBytes(
        $"pipeline-backup key slot v{Format}\0{repositoryId}\0{Id}\0{Kind}\0{Kdf}\0{MemoryKiB}\0{Iterations}\0{Parallelism}\0{Salt}");

    private async Task<byte[]> KeyEncryptionKeyAsync(Credential credential, byte[] salt, CancellationToken ct)
    {
        if (Kdf == "hkdf-sha256")
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, credential.Secret, 32, salt, "pipeline-backup key file slot v1"u8.ToArray());
        if (Kdf != "argon2id" || MemoryKiB is < 8 << 10 or > 4 << 20 || Iterations is < 1 or > 100 || Parallelism is < 1 or > 16)
            throw new PipelineException($"Key slot {Key} has key derivation {Kdf} ({MemoryKiB} KiB, {Iterations} passes), which this "
                + "Pipeline "
                + "does not use (update Pipeline, or remove the slot with ./build.sh RemoveBackupKey).");
        using var argon = new Argon2id(credential.Secret)
        {
            Salt = salt,
            MemorySize = MemoryKiB,
            Iterations = Iterations,
            DegreeOfParallelism = Parallelism,
        };
        ct.ThrowIfCancellationRequested();
        return await argon.GetBytesAsync(32);
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, KeySlotJson.Default.KeySlot);

    public static KeySlot FromJson(ReadOnlySpan<byte> json, string key)
    {
        try
        {
            var slot = JsonSerializer.Deserialize(json, KeySlotJson.Default.KeySlot) ?? throw new JsonException("empty");
            if (slot.Key != key) throw new JsonException($"it names itself {slot.Id}");
            return slot;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new PipelineException($"Key slot {key} is not valid ({e.Message}): it was damaged; open the repository with another slot "
                + $"and remove this one (./build.sh RemoveBackupKey --backup-key-id <id>).");
        }
    }
}

/// <summary>What opens a key slot: a passphrase (its UTF-8 bytes) or a key file's 256 bits.</summary>
public sealed record Credential(string Kind, byte[] Secret)
{
    public static Credential Passphrase(string passphrase) => new(KeySlot.PassphraseKind, Encoding.UTF8.GetBytes(passphrase));

    /// <summary>Reads a key file (base64 of 32 random bytes on one line); with <paramref name="create"/>, makes a missing one
    /// (0600).</summary>
    public static Credential KeyFile(string path, bool create)
    {
        if (!File.Exists(path))
        {
            if (!create) throw new PipelineException($"The backup key file {path} does not exist.");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new StreamWriter(path, Encoding.ASCII, options))
                file.WriteLine(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            Log.Warning($"Created the backup key file {path}: keep a copy away from this machine; without it (or another key slot) the "
                + "backups cannot be read.");
        }
        try
        {
            var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            if (key.Length != 32) throw new FormatException($"{key.Length} bytes, not 32");
            return new Credential(KeySlot.KeyFileKind, key);
        }
        catch (FormatException e)
        {
            throw new PipelineException($"The backup key file {path} is not a key ({e.Message}): it holds the base64 of 32 random bytes.");
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(KeySlot))]
internal sealed partial class KeySlotJson : JsonSerializerContext;

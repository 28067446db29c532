using Pipeline.Engine;
using Pipeline.Tools.S3;
using System.Security.Cryptography;

namespace Pipeline.Backups;

/// <summary>
/// What this run opens repositories with: a passphrase or a key file (a key slot: reads and writes everything), or
/// only the operators' public key (write-only: adds snapshots, reads none); and whether a new repository is encrypted.
/// </summary>
public sealed record RepositoryAccess(string? Passphrase = null, string? KeyFile = null, string? PublicKeyFile = null)
{
    public bool EncryptNew { get; init; } = true;

    public IReadOnlyList<Credential> Credentials(bool createKeyFile = false) =>
        [
            .. Passphrase is { Length: > 0 } p ? [Credential.Passphrase(p)] : Array.Empty<Credential>(),
            .. KeyFile is { } f ? [Credential.KeyFile(f, createKeyFile)] : Array.Empty<Credential>(),
        ];

    /// <summary>
    /// The repository behind <paramref name="raw"/> as this run sees it: sealed when its marker says so, as it is when it
    /// has no marker (made before encryption) or says <c>none</c>. With <paramref name="create"/> (Backup), a repository
    /// that holds nothing yet is made: encrypted with a first key slot, unless <see cref="EncryptNew"/> is off.
    /// </summary>
    public async Task<IObjectStore> OpenAsync(IObjectStore raw, string repository, BackupState state, bool create, CancellationToken ct)
    {
        var config = await RepositoryKeys.ConfigAsync(raw, repository, state, ct);
        byte[]? made = null;
        if (config is null)
        {
            if (!create || await HoldsAnythingAsync(raw, ct)) return raw; // made before encryption existed (or nothing to read)
            (config, made) = await InitializeAsync(raw, repository, state, ct);
        }
        if (!config.Encrypted) return raw;
        // A repository this run made opens with the master key it just wrapped: its slot is not read back.
        return new SealedObjectStore(raw, token => made is null
            ? CipherAsync(raw, config, repository, state, token)
            : Task.FromResult(Full(raw, made, repository)));
    }

    private async Task<RepositoryCipher> CipherAsync(IObjectStore raw, RepositoryConfig config, string repository, BackupState state,
        CancellationToken ct)
    {
        if (PublicKeyFile is not null)
        {
            var operators = ECDiffieHellman.Create();
            try { operators.ImportFromPem(await File.ReadAllTextAsync(PublicKeyFile, ct)); }
            catch (Exception e) when (e is ArgumentException or CryptographicException or IOException)
            {
                throw new PipelineException($"The operators' public key {PublicKeyFile} cannot be read ({e.Message}): export it with "
                    + "./build.sh ExportBackupPublicKey.");
            }
            return RepositoryCipher.WriteOnly(operators, NamingKey(state, repository));
        }
        return Full(raw, await RepositoryKeys.UnlockAsync(raw, config, repository, Credentials(), ct), repository);
    }

    /// <summary>The cipher of a master key (a slot opened it, or this run made it); the operators' private key is read
    /// (sealed) when first needed.</summary>
    private static RepositoryCipher Full(IObjectStore raw, byte[] master, string repository) =>
        RepositoryCipher.Full(master, async (cipher, token) =>
        {
            var sealedStore = new SealedObjectStore(raw, _ => Task.FromResult(cipher));
            await using var body = await sealedStore.GetAsync(RepositoryLayout.OperatorKey, token)
                ?? throw new PipelineException($"{repository} has no {RepositoryLayout.OperatorKey}: objects written by write-only hosts "
                    + "cannot be opened.");
            using var buffer = new MemoryStream();
            await body.CopyToAsync(buffer, token);
            var key = ECDiffieHellman.Create();
            key.ImportPkcs8PrivateKey(buffer.ToArray(), out _);
            return key;
        });

    /// <summary>Makes the repository; answers its marker, and the master key when it is encrypted.</summary>
    private async Task<(RepositoryConfig Config, byte[]? Master)> InitializeAsync(IObjectStore raw, string repository, BackupState state,
        CancellationToken ct)
    {
        if (!EncryptNew)
        {
            var plain = new RepositoryConfig(1, NewId(), RepositoryConfig.None, DateTimeOffset.UtcNow);
            await raw.PutAsync(RepositoryLayout.Config, plain.ToJson(), ct);
            RepositoryKeys.Remember(state, repository, plain);
            return (plain, null);
        }
        if (PublicKeyFile is not null)
            throw new PipelineException($"{repository} is not made yet, and a write-only host (--backup-public-key) cannot make it: run "
                + "./build.sh Backup once with --backup-passphrase (BACKUP_PASSPHRASE) or --backup-key-file where the operators are.");
        var credentials = Credentials(createKeyFile: true);
        if (credentials.Count == 0)
            throw new PipelineException($"{repository} is new, and new repositories are encrypted: give --backup-passphrase (or "
                + "BACKUP_PASSPHRASE) or --backup-key-file <file> (made when missing), or set backups: encryption: none.");
        var config = new RepositoryConfig(1, NewId(), RepositoryConfig.Aes256Gcm, DateTimeOffset.UtcNow);
        var master = RandomNumberGenerator.GetBytes(32);
        foreach (var credential in credentials)
        {
            var slot = await KeySlot.CreateAsync(config.Id, master, credential, ct);
            await raw.PutAsync(slot.Key, slot.ToJson(), ct);
        }
        var cipher = RepositoryCipher.Full(master, (_, _) => Task.FromResult<ECDiffieHellman?>(null));
        using var operators = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        await new SealedObjectStore(raw, _ => Task.FromResult(cipher)).PutAsync(RepositoryLayout.OperatorKey,
            operators.ExportPkcs8PrivateKey(), ct);
        await raw.PutAsync(RepositoryLayout.Config, config.ToJson(), ct); // last: a marker names a repository that opens
        RepositoryKeys.Remember(state, repository, config);
        Log.Information(
            $"{repository}: new repository, encrypted (AES-256-GCM); key slots: {string.Join(", ", credentials.Select(c => c.Kind))}."
        );
        return (config, master);
    }

    private static async Task<bool> HoldsAnythingAsync(IObjectStore raw, CancellationToken ct)
    {
        foreach (var prefix in new[] { RepositoryLayout.Snapshots, RepositoryLayout.Indexes, RepositoryLayout.Objects })
            await foreach (var _ in raw.ListAsync(prefix, ct)) return true;
        return false;
    }

    /// <summary>A write-only host's own key for naming what it stores (kept in its state; recorded, sealed, in its snapshots).</summary>
    private static byte[] NamingKey(BackupState state, string repository)
    {
        var file = state.Directory / "write-only" / $"{BackupState.KeyOf(repository)}.naming";
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }
        return Convert.FromBase64String(File.ReadAllText(file).Trim());
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}

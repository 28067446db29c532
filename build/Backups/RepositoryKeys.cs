using Pipeline.Engine;
using Pipeline.Tools.S3;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Backups;

/// <summary>
/// The marker and key slots of a repository: reading the marker (a local copy first), opening the master key with a
/// passphrase or key file, and adding, listing and removing slots (BackupKeys, AddBackupKey, RemoveBackupKey), none
/// of which touches the data. The operators' public key, for write-only hosts, is exported from the sealed private key.
/// </summary>
public static class RepositoryKeys
{
    public static async Task<RepositoryConfig?> ConfigAsync(IObjectStore raw, string repository, BackupState state, CancellationToken ct)
    {
        var local = state.Config(repository);
        if (File.Exists(local)) return RepositoryConfig.FromJson(await File.ReadAllBytesAsync(local, ct), local);
        var json = await ReadAsync(raw, RepositoryLayout.Config, ct);
        if (json is null) return null;
        var config = RepositoryConfig.FromJson(json, $"{repository}/{RepositoryLayout.Config}");
        Remember(state, repository, config);
        return config;
    }

    public static void Remember(BackupState state, string repository, RepositoryConfig config)
    {
        var file = state.Config(repository);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, config.ToJson());
    }

    public static async Task<IReadOnlyList<KeySlot>> SlotsAsync(IObjectStore raw, CancellationToken ct)
    {
        var slots = new List<KeySlot>();
        await foreach (var o in raw.ListAsync(RepositoryLayout.Keys, ct))
            if (await ReadAsync(raw, o.Key, ct) is { } json) slots.Add(KeySlot.FromJson(json, o.Key));
        return slots;
    }

    /// <summary>The master key, from the first slot a credential opens; the error names every slot tried.</summary>
    public static async Task<byte[]> UnlockAsync(IObjectStore raw, RepositoryConfig config, string repository,
        IReadOnlyList<Credential> credentials, CancellationToken ct)
    {
        if (credentials.Count == 0)
            throw new PipelineException($"{repository} is encrypted: give --backup-passphrase (or BACKUP_PASSPHRASE) or --backup-key-file, "
                + "or --backup-public-key to add snapshots only.");
        var slots = await SlotsAsync(raw, ct);
        foreach (var credential in credentials)
            foreach (var slot in slots.Where(s => s.Kind == credential.Kind))
                if (await slot.UnwrapAsync(config.Id, credential, ct) is { } master) return master;
        var tried = slots.Where(s => credentials.Any(c => c.Kind == s.Kind)).Select(s => $"{s.Key} ({s.Kind})").ToList();
        throw new PipelineException(tried.Count == 0
            ? $"{repository} has no key slot of the kind given ({string.Join(", ", credentials.Select(c => c.Kind))}); its slots: "
                + $"{string.Join(", ", slots.Select(s => $"{s.Key} ({s.Kind})"))}."
            : $"The {string.Join(" and the ", credentials.Select(c => c.Kind.Replace('-', ' ')))} "
                + $"open{(credentials.Count == 1 ? "s" : "")} "
                + $"none of {repository}'s key slots tried: {string.Join(", ", tried)} (wrong passphrase or key file, or a damaged slot).");
    }

    public static async Task<KeySlot> AddAsync(IObjectStore raw, RepositoryConfig config, string repository,
        IReadOnlyList<Credential> open, Credential added, CancellationToken ct)
    {
        var master = await UnlockAsync(raw, config, repository, open, ct);
        var slot = await KeySlot.CreateAsync(config.Id, master, added, ct);
        await raw.PutAsync(slot.Key, slot.ToJson(), ct);
        return slot;
    }

    /// <summary>Removes a slot after proving a key opens the repository; the last slot is never removed.</summary>
    public static async Task RemoveAsync(IObjectStore raw, RepositoryConfig config, string repository, IReadOnlyList<Credential> open,
        string id, CancellationToken ct)
    {
        await UnlockAsync(raw, config, repository, open, ct);
        var slots = await SlotsAsync(raw, ct);
        if (slots.All(s => s.Id != id))
            throw new PipelineException($"{repository} has no key slot {id}; its slots: {string.Join(", ", slots.Select(s => s.Id))}.");
        if (slots.Count == 1) throw new PipelineException($"{id} is the last key slot of {repository}: add another before removing it.");
        await raw.DeleteAsync(RepositoryLayout.KeySlot(id), ct);
    }

    public static string Describe(string repository, IReadOnlyList<KeySlot> slots)
    {
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{repository}: {slots.Count} key slots");
        foreach (var s in slots.OrderBy(s => s.CreatedAt))
            sb.Append(CultureInfo.InvariantCulture,
                $"\n  {s.Id}  {s.Kind,-10}  {s.Kdf,-11}  added {s.CreatedAt:yyyy-MM-dd HH:mm} UTC on {s.Host}");
        return sb.ToString();
    }

    /// <summary>The operators' public key (PEM) for write-only hosts, from the sealed private key.</summary>
    public static async Task<string> PublicKeyPemAsync(SealedObjectStore store, CancellationToken ct)
    {
        await using var body = await store.GetAsync(RepositoryLayout.OperatorKey, ct)
            ?? throw new PipelineException($"The repository has no {RepositoryLayout.OperatorKey}.");
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        using var key = ECDiffieHellman.Create();
        key.ImportPkcs8PrivateKey(buffer.ToArray(), out _);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    private static async Task<byte[]?> ReadAsync(IObjectStore raw, string key, CancellationToken ct)
    {
        if (raw is IConditionalObjectStore direct) return (await direct.GetVersionedAsync(key, ct))?.Content; // no SDK start
        await using var body = await raw.GetAsync(key, ct);
        if (body is null) return null;
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}

using Pipeline.Engine;
using Pipeline.Tools.S3;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Pipeline.Acme;

public enum RestoreOutcome { LocalStatePresent, Restored, NoBackup, FailedTransiently, RecoveredFromBackup }

/// <summary>
/// The ACME state in S3: restored before the CA is asked (when local state is missing or does not read), backed up after.
/// A restore that fails for a transient reason leaves a marker next to the state; while it exists Certificates
/// does not ask the CA (rate limits: 5 certificates per exact names set per week) unless --force-issue.
/// </summary>
public sealed class StateBackup(AcmeStateStore store, IObjectStore objects, string key)
{
    public string MarkerPath => store.Path + ".restore-failed";
    private string BackedUpHashPath => store.Path + ".backed-up.sha256";

    public static bool RestoreFailed(AcmeStateStore store, out string reason)
    {
        var marker = store.Path + ".restore-failed";
        reason = File.Exists(marker) ? File.ReadAllText(marker).Trim() : "";
        return File.Exists(marker);
    }

    public async Task<RestoreOutcome> RestoreAsync(CancellationToken ct)
    {
        PrivateFile.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(store.Path))!);
        string? damage = null;
        if (store.Exists)
        {
            damage = await store.DamageAsync(ct);
            if (damage is null)
            {
                File.Delete(MarkerPath);
                Log.Information($"Local ACME state present ({store.Path}); nothing restored.");
                return RestoreOutcome.LocalStatePresent;
            }
        }
        byte[]? content;
        try
        {
            await using var stream = await objects.GetAsync(key, ct);
            if (stream is null) content = null;
            else
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, ct);
                content = buffer.ToArray();
            }
        }
        catch (Exception e) when (IsTransient(e, ct))
        {
            await MaskedFile.WriteAllTextAsync(
                MarkerPath,
                $"{DateTimeOffset.UtcNow:O} {e.GetType().Name}: {e.Message}\n",
                CancellationToken.None
            );
            Log.Warning(
                $"Restoring the ACME state from {Location} failed ({e.Message}); the CA will not be asked until a restore succeeds (or "
                + $"--force-issue)."
            );
            return RestoreOutcome.FailedTransiently;
        }
        catch (DamagedObjectException e) when (damage is not null)
        {
            throw new PipelineException(
                $"{store.Path}: not a readable ACME state ({damage}), and its backup is no good either: {e.Message}"
            );
        }
        if (damage is not null) return await RecoverAsync(damage, content, ct);
        if (content is null)
        {
            File.Delete(MarkerPath);
            Log.Information($"No ACME state backed up at {key} yet: certificates will be issued fresh.");
            return RestoreOutcome.NoBackup;
        }
        await store.WriteAsync(content, ct);
        await File.WriteAllTextAsync(BackedUpHashPath, Stamp(content), ct);
        File.Delete(MarkerPath);
        Log.Information($"Restored the ACME state from {key} ({AcmeStateStore.Parse(content, key)}).");
        return RestoreOutcome.Restored;
    }

    /// <summary>
    /// The local state does not read (a write cut short, a full disk): the copy in S3 is checked (it must read as a
    /// state; whether it is the one this machine backed up last is said) and put in its place, the damaged file kept
    /// beside it. Without a good copy, Certificates would start from nothing and ask the CA anew: that is refused here.
    /// </summary>
    private async Task<RestoreOutcome> RecoverAsync(string damage, byte[]? content, CancellationToken ct)
    {
        if (content is null)
            throw new PipelineException(
                $"{store.Path}: not a readable ACME state ({damage}), and there is no backup at {Location}; move it away to start fresh "
                + $"(the CA is then asked for every certificate anew)."
            );
        AcmeState state;
        try
        {
            state = AcmeStateStore.Parse(content, Location);
        }
        catch (PipelineException e)
        {
            throw new PipelineException(
                $"{store.Path}: not a readable ACME state ({damage}), and its backup is no good either: {e.Message}"
            );
        }
        var stamp = File.Exists(BackedUpHashPath) ? (await File.ReadAllTextAsync(BackedUpHashPath, ct)).Trim() : null;
        var which = stamp == Stamp(content) ? "the copy this machine backed up last" : "a copy this machine did not back up itself";
        var aside = $"{store.Path}.damaged-{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss'Z'}";
        File.Move(store.Path, aside, overwrite: true);
        await store.WriteAsync(content, ct);
        await File.WriteAllTextAsync(BackedUpHashPath, Stamp(content), ct);
        File.Delete(MarkerPath);
        Log.Warning(
            $"Local ACME state {store.Path} is damaged ({damage}): restored the good copy from {Location} instead ({which}; {state}); the "
            + $"damaged file is kept as {aside}."
        );
        return RestoreOutcome.RecoveredFromBackup;
    }

    /// <summary>Where the backup is, as a user finds it (<c>s3://bucket/key</c>).</summary>
    private string Location => objects is S3ObjectStore s3 ? $"s3://{s3.Bucket}/{s3.FullKey(key)}" : key;

    /// <summary>Uploads the state when it differs from what was last backed up (or restored); true when uploaded.</summary>
    public async Task<bool> BackupAsync(CancellationToken ct)
    {
        if (!store.Exists) { Log.Information("No local ACME state to back up."); return false; }
        var content = await File.ReadAllBytesAsync(store.Path, ct);
        var stamp = Stamp(content);
        if (File.Exists(BackedUpHashPath) && (await File.ReadAllTextAsync(BackedUpHashPath, ct)).Trim() == stamp)
        {
            Log.Information($"ACME state backup at {key} is up to date.");
            return false;
        }
        await objects.PutAsync(key, content, ct);
        await File.WriteAllTextAsync(BackedUpHashPath, stamp, ct);
        Log.Information($"Backed up the ACME state to {key} ({content.Length} bytes).");
        return true;
    }

    /// <summary>Network, timeout and server-side (5xx, throttling) errors: worth retrying later, not a reason to ask the CA.</summary>
    public static bool IsTransient(Exception e, CancellationToken ct) => e switch
    {
        OperationCanceledException when ct.IsCancellationRequested => false,
        HttpRequestException or SocketException or IOException or TimeoutException or OperationCanceledException => true,
        Amazon.Runtime.AmazonServiceException s => s.StatusCode
            is System.Net.HttpStatusCode.InternalServerError
                or System.Net.HttpStatusCode.ServiceUnavailable
                or System.Net.HttpStatusCode.BadGateway
                or System.Net.HttpStatusCode.GatewayTimeout
                or System.Net.HttpStatusCode.TooManyRequests
                or 0
            || s.InnerException is not null && IsTransient(s.InnerException, ct),
        Amazon.Runtime.AmazonClientException c => c.InnerException is null || IsTransient(c.InnerException, ct),
        _ => e.InnerException is not null && IsTransient(e.InnerException, ct),
    };

    private static string Hash(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>What was backed up where: the content's hash and the destination, so a new bucket or key is sent to.</summary>
    private string Stamp(byte[] content) =>
        $"{Hash(content)} {(objects is S3ObjectStore s3 ? $"{s3.Endpoint.ServiceUrl}/{s3.Bucket}/{s3.FullKey(key)}" : key)}";
}

using Pipeline.Engine;
using System.Diagnostics;

namespace Pipeline.Deploying.Locking;

/// <summary>
/// A lock file on this machine (the host of a local docker socket). Every change happens while holding an exclusive
/// flock on <c>&lt;lock&gt;.guard</c> (.NET's <see cref="FileShare.None"/> on Unix; the kernel drops it when its
/// process dies, so no guard is ever left stale) and publishes whole content by rename, so a reader without the
/// guard never sees a half-written lock.
/// </summary>
public sealed class FileLockStore(string path) : ILockStore
{
    private static readonly TimeSpan GuardWait = TimeSpan.FromSeconds(30);

    public string Location => path;

    public async Task<bool> TryCreateAsync(string content, CancellationToken ct)
    {
        using var guard = await GuardAsync(ct);
        if (File.Exists(path)) return false;
        await PublishAsync(content, ct);
        return true;
    }

    public async Task<string?> ReadAsync(CancellationToken ct)
    {
        try { return await File.ReadAllTextAsync(path, ct); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return null; }
    }

    public async Task<bool> TryReplaceAsync(string expected, string content, CancellationToken ct)
    {
        using var guard = await GuardAsync(ct);
        if (await ReadAsync(ct) != expected) return false;
        await PublishAsync(content, ct);
        return true;
    }

    public async Task<bool> TryDeleteAsync(string expected, CancellationToken ct)
    {
        using var guard = await GuardAsync(ct);
        if (await ReadAsync(ct) != expected) return false;
        File.Delete(path);
        return true;
    }

    private async Task PublishAsync(string content, CancellationToken ct)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllTextAsync(temporary, content, ct);
        File.Move(temporary, path, overwrite: true);
    }

    private async Task<FileStream> GuardAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream($"{path}.guard", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (watch.Elapsed < GuardWait)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5 + Random.Shared.Next(10)), ct);
            }
            catch (IOException e)
            {
                throw new PipelineException(
                    $"{path}.guard was held by another process for {watch.Elapsed.TotalSeconds:0} s ({e.Message}); is a deploy stuck? The "
                    + $"guard ends with that process."
                );
            }
        }
    }
}

namespace Pipeline.Deploying.Locking;

/// <summary>Where a lock lives (a file on the docker/ssh host, an S3 object): created only if absent, atomically.</summary>
public interface ILockStore
{
    string Location { get; }
    Task<bool> TryCreateAsync(string content, CancellationToken ct);
    Task<string?> ReadAsync(CancellationToken ct);
    Task ReplaceAsync(string content, CancellationToken ct);
    Task DeleteAsync(CancellationToken ct);
}

/// <summary>A lock file on this machine (the host of a local docker socket): O_EXCL create, replace by rename.</summary>
public sealed class FileLockStore(string path) : ILockStore
{
    public string Location => path;

    public async Task<bool> TryCreateAsync(string content, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(content), ct);
            return true;
        }
        catch (IOException) when (File.Exists(path)) { return false; }
    }

    public async Task<string?> ReadAsync(CancellationToken ct) => File.Exists(path) ? await File.ReadAllTextAsync(path, ct) : null;

    public async Task ReplaceAsync(string content, CancellationToken ct)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        await File.WriteAllTextAsync(temporary, content, ct);
        File.Move(temporary, path, overwrite: true);
    }

    public Task DeleteAsync(CancellationToken ct)
    {
        File.Delete(path);
        return Task.CompletedTask;
    }
}

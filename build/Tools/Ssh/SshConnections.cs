using System.Collections.Concurrent;

namespace Pipeline.Tools.Ssh;

/// <summary>
/// The connections a run holds: one per host, user, port and route, opened on first use and reused by every command
/// after it (a dropped one is opened again; a failed attempt is not remembered). Its owner disposes it at the end.
/// </summary>
public sealed class SshConnections : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SshConnection>>> _open = new();

    public async Task<SshConnection> GetAsync(SshTarget target, CancellationToken ct)
    {
        while (true)
        {
            var lazy = _open.GetOrAdd(target.Key, _ => new Lazy<Task<SshConnection>>(() =>
                SshConnection.OpenAsync(target, CancellationToken.None)
            ));
            var entry = new KeyValuePair<string, Lazy<Task<SshConnection>>>(target.Key, lazy);
            SshConnection connection;
            try { connection = await lazy.Value.WaitAsync(ct); }
            catch (Exception) when (lazy.Value.IsFaulted)
            {
                _open.TryRemove(entry);
                throw;
            }
            if (connection.IsConnected) return connection;
            if (_open.TryRemove(entry)) connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _open.Values.Where(l => l.IsValueCreated))
            if (await lazy.Value.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default) is { } connection)
                connection.Dispose();
        _open.Clear();
    }
}

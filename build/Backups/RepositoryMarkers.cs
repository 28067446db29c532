using Pipeline.Engine;
using Pipeline.Tools.S3;
using System.Text;

namespace Pipeline.Backups;

/// <summary>
/// Markers a running backup or prune leaves in the repository, so they never rob each other: a prune that sees a
/// fresh backup marker keeps every object (a backup in flight may rely on one it did not re-send), and a backup
/// waits while a fresh prune marker exists. A killed run's marker simply grows stale.
/// </summary>
public sealed class RepositoryMarkers(IObjectStore store)
{
    public static readonly TimeSpan PruneMarkerLifetime = TimeSpan.FromMinutes(15);
    /// <summary>How long a backup's marker holds off object removal at least (a killed backup's marker then expires).</summary>
    public static readonly TimeSpan BackupMarkerLifetime = TimeSpan.FromHours(6);

    public async Task<string> PlaceAsync(string key, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(
            $"{{\"host\":\"{Environment.MachineName}\",\"pid\":{Environment.ProcessId},\"at\":\"{DateTimeOffset.UtcNow:O}\"}}"
        );
        await store.PutAsync(key, body, ct);
        return key;
    }

    /// <summary>Writes the marker again every <paramref name="interval"/> until disposed, so a long run's marker never
    /// looks stale to the others. A failed refresh is logged; the run goes on.</summary>
    public MarkerRefresh KeepFresh(string key, TimeSpan interval) => new(this, key, interval);

    public sealed class MarkerRefresh : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        internal MarkerRefresh(RepositoryMarkers markers, string key, TimeSpan interval) => _loop = Task.Run(async () =>
        {
            while (true)
            {
                await Task.Delay(interval, _stop.Token);
                try { await markers.PlaceAsync(key, _stop.Token); }
                catch (Exception e) when (e is PipelineException or HttpRequestException)
                {
                    Log.Warning($"Could not refresh the marker {key} ({e.Message}); trying again in {interval.TotalMinutes:0.#} minutes.");
                }
            }
        });

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try { await _loop; }
            catch (OperationCanceledException) { }
            _stop.Dispose();
        }
    }

    /// <summary>Removes a marker; also on cancellation (with a short time limit of its own).</summary>
    public async Task RemoveAsync(string key)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await store.DeleteAsync(key, cts.Token); }
        catch (Exception e) when (e is PipelineException or OperationCanceledException or HttpRequestException)
        {
            Log.Warning($"Could not remove the marker {key} ({e.Message}); it goes stale by itself.");
        }
    }

    public async Task<IReadOnlyList<ObjectInfo>> FreshAsync(string kind, TimeSpan lifetime, DateTimeOffset now, CancellationToken ct)
    {
        var fresh = new List<ObjectInfo>();
        await foreach (var o in store.ListAsync($"{RepositoryLayout.Locks}{kind}-", ct))
            if (now - o.LastModified < lifetime) fresh.Add(o);
        return fresh;
    }

    /// <summary>Waits while a prune runs in the repository (at most <paramref name="limit"/>).</summary>
    public async Task WaitForPrunesAsync(TimeSpan limit, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        while (await FreshAsync("prune", PruneMarkerLifetime, DateTimeOffset.UtcNow, ct) is { Count: > 0 } prunes)
        {
            if (DateTimeOffset.UtcNow - started > limit)
                throw new PipelineException(
                    $"A prune has been running in the repository for over {limit.TotalMinutes:0} minutes ({prunes[0].Key}); try again "
                    + $"later."
                );
            Log.Information($"Waiting: a prune is running in the repository ({prunes[0].Key}).");
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }
    }
}
